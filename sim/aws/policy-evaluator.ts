import type { PolicyDocument } from '../world';

// The simulator's own IAM policy evaluation (IAM user guide, "Policy evaluation logic",
// reference_policies_evaluation-logic; "IAM JSON policy elements": Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal, Condition operators; "Policy variables"). Independent of the product's lib/policy:
// the simulator checks the console, so it keeps its own reading of the rules.

export type Statement = Record<string, unknown>;

/** Condition keys of a request, by lower-cased key name (condition key names are case-insensitive). */
export type RequestContext = Map<string, string[]>;

export function contextOf(entries: Record<string, string | string[] | undefined>): RequestContext {
  const context: RequestContext = new Map();
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    context.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  }
  return context;
}

export function statementsOf(policy: PolicyDocument | undefined): Statement[] {
  const raw = policy?.Statement;
  if (Array.isArray(raw)) return raw.filter((s): s is Statement => !!s && typeof s === 'object' && !Array.isArray(s));
  if (raw && typeof raw === 'object') return [raw as Statement];
  return [];
}

export function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

// ---- wildcards -------------------------------------------------------------------------------------------

/** One character of a pattern: a literal, or a wildcard (`*` any run, `?` exactly one). */
type PatternChar = string | { wild: '*' | '?' };

function literalPattern(text: string): PatternChar[] {
  return [...text].map((ch) => (ch === '*' || ch === '?' ? { wild: ch } : ch));
}

/** Greedy matching with one backtrack point per `*`: linear in practice, O(n·m) at worst, never exponential. */
function matchPattern(pattern: PatternChar[], text: string, ignoreCase: boolean): boolean {
  const t = ignoreCase ? text.toLowerCase() : text;
  const p = ignoreCase ? pattern.map((c) => (typeof c === 'string' ? c.toLowerCase() : c)) : pattern;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const c = p[pi];
    if (pi < p.length && (typeof c === 'string' ? c === t[ti] : c.wild === '?')) {
      pi++;
      ti++;
    } else if (pi < p.length && typeof c !== 'string' && c.wild === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && typeof p[pi] !== 'string' && (p[pi] as { wild: string }).wild === '*') pi++;
  return pi === p.length;
}

export function wildcardMatch(pattern: string, text: string, ignoreCase = false): boolean {
  return matchPattern(literalPattern(pattern), text, ignoreCase);
}

// ---- policy variables ------------------------------------------------------------------------------------

/**
 * `${aws:username}`, `${aws:PrincipalTag/team}`, `${s3:prefix, 'default'}`; `${*}`, `${?}`, `${$}` are the
 * literal characters. Only policies with Version 2012-10-17 have variables; older ones read them literally
 * (IAM user guide, "Policy variables"). Returns null when a variable has no value and no default: the element
 * that contains it then matches nothing. Substituted values are literal, never wildcards.
 */
function substitute(text: string, context: RequestContext, variables: boolean, missing?: Set<string>): PatternChar[] | null {
  if (!variables || !text.includes('${')) return literalPattern(text);
  const out: PatternChar[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out.push(...literalPattern(text.slice(i)));
      break;
    }
    out.push(...literalPattern(text.slice(i, start)));
    const end = text.indexOf('}', start);
    if (end < 0) {
      out.push(...literalPattern(text.slice(start)));
      break;
    }
    const inner = text.slice(start + 2, end).trim();
    i = end + 1;
    if (inner === '*' || inner === '?' || inner === '$') {
      out.push(...inner);
      continue;
    }
    const withDefault = /^([^,]+),\s*'([^']*)'$/.exec(inner);
    const key = (withDefault ? withDefault[1] : inner).trim();
    const value = context.get(key.toLowerCase())?.[0];
    if (value === undefined) missing?.add(key);
    const resolved = value ?? withDefault?.[2];
    if (resolved === undefined) return null;
    out.push(...resolved);
  }
  return out;
}

// ---- ARNs --------------------------------------------------------------------------------------------------

/** ArnLike: each of the six colon-separated parts matched on its own; the last one keeps its colons. */
function arnParts(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function splitPattern(pattern: PatternChar[]): PatternChar[][] | null {
  const parts: PatternChar[][] = [[]];
  for (const c of pattern) {
    if (c === ':' && parts.length < 6) parts.push([]);
    else parts[parts.length - 1].push(c);
  }
  return parts.length === 6 ? parts : null;
}

function arnMatches(pattern: PatternChar[], arn: string): boolean {
  if (pattern.length === 1 && typeof pattern[0] !== 'string' && pattern[0].wild === '*') return true;
  const patternParts = splitPattern(pattern);
  const parts = arnParts(arn);
  if (!patternParts || !parts) return matchPattern(pattern, arn, false);
  return patternParts.every((p, i) => matchPattern(p, parts[i], false));
}

// ---- conditions --------------------------------------------------------------------------------------------

function ipv4ToBigInt(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
}

function ipv6ToBigInt(ip: string): bigint | null {
  const [head, tail] = ip.split('::');
  if (ip.split('::').length > 2) return null;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function parseIp(ip: string): { bits: number; value: bigint } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = ipv4ToBigInt(mapped ? mapped[1] : ip);
  if (v4 !== null) return { bits: 32, value: v4 };
  const v6 = ipv6ToBigInt(ip);
  return v6 === null ? null : { bits: 128, value: v6 };
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [net, prefixText] = cidr.split('/');
  const address = parseIp(ip);
  const network = parseIp(net);
  if (!address || !network || address.bits !== network.bits) return false;
  const prefix = prefixText === undefined ? network.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > network.bits) return false;
  const shift = BigInt(network.bits - prefix);
  return address.value >> shift === network.value >> shift;
}

function parseDate(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000; // epoch seconds
  return Date.parse(value);
}

type Compare = (actual: string, expected: PatternChar[], expectedText: string) => boolean;

const literalText = (p: PatternChar[]) => p.map((c) => (typeof c === 'string' ? c : c.wild)).join('');

/** The positive comparison of each operator family; negated operators are these, inverted. */
const COMPARE: Record<string, Compare> = {
  stringequals: (a, _e, t) => a === t,
  stringequalsignorecase: (a, _e, t) => a.toLowerCase() === t.toLowerCase(),
  stringlike: (a, e) => matchPattern(e, a, false),
  numericequals: (a, _e, t) => Number(a) === Number(t),
  numericlessthan: (a, _e, t) => Number(a) < Number(t),
  numericlessthanequals: (a, _e, t) => Number(a) <= Number(t),
  numericgreaterthan: (a, _e, t) => Number(a) > Number(t),
  numericgreaterthanequals: (a, _e, t) => Number(a) >= Number(t),
  dateequals: (a, _e, t) => parseDate(a) === parseDate(t),
  datelessthan: (a, _e, t) => parseDate(a) < parseDate(t),
  datelessthanequals: (a, _e, t) => parseDate(a) <= parseDate(t),
  dategreaterthan: (a, _e, t) => parseDate(a) > parseDate(t),
  dategreaterthanequals: (a, _e, t) => parseDate(a) >= parseDate(t),
  bool: (a, _e, t) => a.toLowerCase() === t.toLowerCase(),
  binaryequals: (a, _e, t) => a === t,
  ipaddress: (a, _e, t) => ipInCidr(a, t),
  arnequals: (a, e) => arnMatches(e, a),
  arnlike: (a, e) => arnMatches(e, a),
};

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  numericnotequals: 'numericequals',
  datenotequals: 'dateequals',
  notipaddress: 'ipaddress',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};

export interface EvaluationNotes {
  /** Condition keys and variables the statements needed and the context lacked (SimulatePrincipalPolicy). */
  missing: Set<string>;
}

function conditionHolds(
  operatorRaw: string,
  key: string,
  expectedRaw: unknown,
  context: RequestContext,
  variables: boolean,
  notes?: EvaluationNotes,
): boolean {
  let operator = operatorRaw.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (operator.startsWith('forallvalues:')) {
    set = 'all';
    operator = operator.slice('forallvalues:'.length);
  } else if (operator.startsWith('foranyvalue:')) {
    set = 'any';
    operator = operator.slice('foranyvalue:'.length);
  }
  const ifExists = operator.endsWith('ifexists');
  if (ifExists) operator = operator.slice(0, -'ifexists'.length);
  const actual = context.get(key.toLowerCase());
  const present = actual !== undefined && actual.length > 0;
  const expectedTexts = (Array.isArray(expectedRaw) ? expectedRaw : [expectedRaw]).map((v) => String(v));
  if (operator === 'null') {
    const wantAbsent = expectedTexts.some((v) => v.toLowerCase() === 'true');
    return wantAbsent ? !present : present;
  }
  if (!present) notes?.missing.add(key);
  const negated = operator in NEGATED;
  const compare = COMPARE[negated ? NEGATED[operator] : operator];
  if (!compare) return false; // an operator AWS does not have: the condition cannot hold
  if (!present) {
    if (ifExists) return true;
    if (set === 'all') return true;
    if (set === 'any') return false;
    // A missing key matches no value: positive operators fail, negated ones hold (IAM user guide, condition operators).
    return negated;
  }
  const expected = expectedTexts
    .map((text) => ({ text, pattern: substitute(text, context, variables, notes?.missing) }))
    .filter((e): e is { text: string; pattern: PatternChar[] } => e.pattern !== null)
    .map((e) => ({ pattern: e.pattern, text: variables ? literalText(e.pattern) : e.text }));
  const matchesAny = (value: string) => expected.some((e) => compare(value, e.pattern, e.text));
  const valueHolds = (value: string) => (negated ? !matchesAny(value) : matchesAny(value));
  if (set === 'all') return actual.every(valueHolds);
  if (set === 'any') return actual.some(valueHolds);
  return negated ? actual.every(valueHolds) : actual.some(valueHolds);
}

export function conditionsHold(statement: Statement, context: RequestContext, variables: boolean, notes?: EvaluationNotes): boolean {
  const condition = statement.Condition;
  if (condition === undefined) return true;
  if (!condition || typeof condition !== 'object') return false;
  // Every operator block, and every key in it, must hold (AND); values of one key are alternatives (OR).
  let holds = true;
  for (const [operator, tests] of Object.entries(condition as Record<string, unknown>)) {
    if (!tests || typeof tests !== 'object') return false;
    for (const [key, expected] of Object.entries(tests as Record<string, unknown>)) {
      // keep evaluating after a failure so that every missing key is reported
      if (!conditionHolds(operator, key, expected, context, variables, notes)) holds = false;
    }
  }
  return holds;
}

// ---- statements ---------------------------------------------------------------------------------------------

export interface EvaluatedRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** Whether the request's action is in the statement's Action (or outside its NotAction): case-insensitive. */
export function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined) return !asList(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function resourceMatches(statement: Statement, request: EvaluatedRequest, variables: boolean, notes?: EvaluationNotes): boolean {
  const matchesOne = (pattern: string) => {
    const substituted = substitute(pattern, request.context, variables, notes?.missing);
    return substituted !== null && arnMatches(substituted, request.resource);
  };
  if (statement.Resource !== undefined) return asList(statement.Resource).some(matchesOne);
  if (statement.NotResource !== undefined) return !asList(statement.NotResource).some(matchesOne);
  // Trust policies have no Resource; identity policies without one are malformed and grant nothing.
  return false;
}

/** Who a resource-based policy statement may name for this caller (IAM JSON policy elements: Principal). */
export interface PrincipalIdentity {
  account: string;
  /** The ARNs that name this caller specifically: role ARN and session ARN, user ARN, or account root. */
  arns: string[];
}

export type PrincipalMatch = 'specific' | 'account' | null;

export function principalMatches(statement: Statement, principal: PrincipalIdentity): PrincipalMatch {
  const matchIn = (value: unknown): PrincipalMatch => {
    if (value === '*') return 'specific';
    if (!value || typeof value !== 'object') return null;
    const aws = asList((value as Record<string, unknown>).AWS);
    if (aws.includes('*')) return 'specific';
    if (aws.some((a) => principal.arns.includes(a))) return 'specific';
    if (aws.some((a) => a === principal.account || a === `arn:aws:iam::${principal.account}:root`)) return 'account';
    return null;
  };
  if (statement.Principal !== undefined) return matchIn(statement.Principal);
  if (statement.NotPrincipal !== undefined) return matchIn(statement.NotPrincipal) ? null : 'specific';
  return null;
}

export interface MatchedStatement {
  policyId: string;
  policyType: PolicyType;
  index: number;
  statement: Statement;
}

export type PolicyType = 'role' | 'user' | 'aws-managed' | 'user-managed' | 'resource' | 'session' | 'boundary' | 'input';

export interface NamedPolicy {
  id: string;
  type: PolicyType;
  document: PolicyDocument;
}

export interface PolicySetResult {
  allows: MatchedStatement[];
  denies: MatchedStatement[];
}

/** The Allow and Deny statements of these policies that apply to the request. */
export function evaluatePolicies(
  policies: NamedPolicy[],
  request: EvaluatedRequest,
  options: { principal?: PrincipalIdentity; notes?: EvaluationNotes } = {},
): PolicySetResult & { principalMatches: Map<MatchedStatement, PrincipalMatch> } {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const principalMatchOf = new Map<MatchedStatement, PrincipalMatch>();
  for (const policy of policies) {
    const variables = policy.document.Version === '2012-10-17';
    statementsOf(policy.document).forEach((statement, index) => {
      if (!actionMatches(statement, request.action)) return;
      let principalMatch: PrincipalMatch = null;
      if (options.principal) {
        principalMatch = principalMatches(statement, options.principal);
        if (!principalMatch) return;
      }
      if (!resourceMatches(statement, request, variables, options.notes)) return;
      if (!conditionsHold(statement, request.context, variables, options.notes)) return;
      const matched: MatchedStatement = { policyId: policy.id, policyType: policy.type, index, statement };
      principalMatchOf.set(matched, principalMatch);
      if (statement.Effect === 'Deny') denies.push(matched);
      else if (statement.Effect === 'Allow') allows.push(matched);
    });
  }
  return { allows, denies, principalMatches: principalMatchOf };
}

// ---- a principal's request ----------------------------------------------------------------------------------

export interface PrincipalPolicies {
  kind: 'root' | 'user' | 'assumed-role';
  identity: PrincipalIdentity;
  identityPolicies: NamedPolicy[];
  boundary?: NamedPolicy;
  sessionPolicies: NamedPolicy[];
}

export type DenialReason =
  | 'explicit-deny-identity'
  | 'explicit-deny-resource'
  | 'explicit-deny-boundary'
  | 'explicit-deny-session'
  | 'no-identity-allow'
  | 'no-boundary-allow'
  | 'no-session-allow'
  | 'no-resource-allow';

export interface Decision {
  allowed: boolean;
  /** allowed | explicitDeny | implicitDeny, as SimulatePrincipalPolicy words it. */
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  reason?: DenialReason;
  /** The statements that decided: the denying ones, or the allowing ones. */
  matched: MatchedStatement[];
  allowedByBoundary?: boolean;
}

export interface ResourcePolicyInput {
  document?: PolicyDocument;
  /** The account that owns the resource. */
  account: string;
}

/**
 * The evaluation logic for a request within or across accounts (IAM user guide, "Policy evaluation logic" and
 * "Cross-account policy evaluation logic"): an explicit Deny in any policy wins; otherwise within one account an
 * Allow in the identity policies (limited by the boundary and session policies) or in the resource policy suffices;
 * across accounts both sides must allow. The account root may do everything in its own account (scenario-format.md).
 */
export function decide(
  principal: PrincipalPolicies,
  request: EvaluatedRequest,
  resource?: ResourcePolicyInput,
  notes?: EvaluationNotes,
): Decision {
  const identity = evaluatePolicies(principal.identityPolicies, request, { notes });
  const boundary = principal.boundary ? evaluatePolicies([principal.boundary], request, { notes }) : undefined;
  const session = principal.sessionPolicies.length > 0 ? evaluatePolicies(principal.sessionPolicies, request, { notes }) : undefined;
  const resourceResult = resource?.document
    ? evaluatePolicies([{ id: 'resource', type: 'resource', document: resource.document }], request, {
        principal: principal.identity,
        notes,
      })
    : undefined;

  const deny = (reason: DenialReason, matched: MatchedStatement[]): Decision => ({
    allowed: false,
    decision: 'explicitDeny',
    reason,
    matched,
  });
  if (identity.denies.length) return deny('explicit-deny-identity', identity.denies);
  if (resourceResult?.denies.length) return deny('explicit-deny-resource', resourceResult.denies);
  if (boundary?.denies.length) return deny('explicit-deny-boundary', boundary.denies);
  if (session?.denies.length) return deny('explicit-deny-session', session.denies);

  const implicit = (reason: DenialReason, allowedByBoundary?: boolean): Decision => ({
    allowed: false,
    decision: 'implicitDeny',
    reason,
    matched: [],
    allowedByBoundary,
  });
  const sameAccount = !resource || resource.account === principal.identity.account;
  const isRoot = principal.kind === 'root';
  // Statements of the resource policy that grant to this caller directly (not by naming its account, which
  // only delegates to the account's own policies, except for a caller of another account).
  const resourceAllows = (resourceResult?.allows ?? []).filter((m) => {
    const match = resourceResult!.principalMatches.get(m);
    return match === 'specific' || (match === 'account' && (isRoot || !sameAccount));
  });
  const boundaryAllows = !boundary || boundary.allows.length > 0;
  const sessionAllows = !session || session.allows.length > 0;
  const identityAllows = isRoot || identity.allows.length > 0;
  const identitySide = identityAllows && boundaryAllows && sessionAllows;

  if (sameAccount) {
    if (identitySide)
      return { allowed: true, decision: 'allowed', matched: isRoot ? [] : identity.allows, allowedByBoundary: boundary ? true : undefined };
    if (resourceAllows.length > 0 && boundaryAllows && sessionAllows)
      return { allowed: true, decision: 'allowed', matched: resourceAllows };
    if (!identityAllows && resourceAllows.length === 0) return implicit('no-identity-allow', boundary ? boundaryAllows : undefined);
    if (!boundaryAllows) return implicit('no-boundary-allow', false);
    return implicit('no-session-allow');
  }
  if (!identityAllows) return implicit('no-identity-allow');
  if (!boundaryAllows) return implicit('no-boundary-allow', false);
  if (!sessionAllows) return implicit('no-session-allow');
  if (resourceAllows.length === 0) return implicit('no-resource-allow');
  return { allowed: true, decision: 'allowed', matched: [...identity.allows, ...resourceAllows] };
}

/** The clause AWS appends to "User: … is not authorized to perform: ACTION on resource: R". */
export function denialClause(reason: DenialReason, action: string): string {
  switch (reason) {
    case 'explicit-deny-identity':
      return 'with an explicit deny in an identity-based policy';
    case 'explicit-deny-resource':
      return 'with an explicit deny in a resource-based policy';
    case 'explicit-deny-boundary':
      return 'with an explicit deny in a permissions boundary';
    case 'explicit-deny-session':
      return 'with an explicit deny in a session policy';
    case 'no-identity-allow':
      return `because no identity-based policy allows the ${action} action`;
    case 'no-boundary-allow':
      return `because no permissions boundary allows the ${action} action`;
    case 'no-session-allow':
      return `because no session policy allows the ${action} action`;
    case 'no-resource-allow':
      return `because no resource-based policy allows the ${action} action`;
  }
}
