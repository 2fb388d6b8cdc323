import type { OneOrMany, PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { ipInRange } from './ip-address';
import { piecesText, resolveVariables, type ResolvedPattern, type VariableValue } from './policy-variables';
import { compileWildcard, wildcardMatch, type PatternPiece } from './wildcard';
import { asArray, policyStatements } from './policy-document';
import { accountOfArn } from '@/lib/model/arn';

export { wildcardMatch } from './wildcard';

// The one evaluator of IAM policy statements: trust policies (design.md "Trust policies": PI002, PI003, PI008,
// PI012, IR004, IR005 and the action preflights ask whether STS lets a principal assume a role), and the
// identity, boundary, session and resource policies that decide what a session may do (iam-evaluator.ts,
// domain.md §1d). One matcher (wildcard.ts), one set of condition operators, one variable substitution.
//
// Semantics follow the IAM policy evaluation logic and condition-operator reference
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
// - an explicit Deny wins over any Allow; no matching Allow is an implicit deny;
// - condition blocks are ANDed, keys within a block are ANDed, values of one key are ORed;
// - a key absent from the request makes a positive operator false and a negated operator true;
//   `…IfExists` makes an absent key true; `Null` tests presence;
// - `ForAllValues:` is true for an absent/empty key, `ForAnyValue:` is false for it.
// Where the evaluator cannot know a value (e.g. the pod name tag, an unsupported operator) the condition is
// `unknown`, and a decision that depends on it is `unknown`: rules do not fire on unknown input.

export type ConditionOutcome = 'pass' | 'fail' | 'unknown';

export interface RequestPrincipal {
  service?: string;
  federated?: string;
  /** An IAM role (or user) ARN; matches a policy naming the ARN itself, its account root, or the account ID. */
  aws?: string;
}

/** How a key that the request does not carry should be judged, with the reason shown to the user. */
export interface KeyAvailability {
  /** An exact key name, or a prefix ending in `/` (e.g. `aws:PrincipalTag/`). Case-insensitive. */
  pattern: string;
  availability: 'absent' | 'unknown';
  note: string;
}

export interface RequestContext {
  principal: RequestPrincipal;
  action: string;
  /** The resource ARN the request acts on; undefined for trust policies (the role itself is the resource). */
  resource?: string;
  /** Keys present in the request, with their value(s). Names are case-insensitive (IAM condition keys are). */
  keys: Record<string, string | string[]>;
  /** Keys known to be absent, or present with values the console cannot know. Checked after `keys`. */
  keyAvailability?: KeyAvailability[];
  /** How to judge any other key: absent (the caller's request context is fully known) or unknown. */
  otherKeys: 'absent' | 'unknown';
}

export interface ConditionResult {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  key: string;
  expected: string[];
  /** The request's value(s); null when the key is absent, undefined when it is unknown. */
  actual: string[] | null | undefined;
  outcome: ConditionOutcome;
  /** Why it failed or could not be judged, in words. */
  reason?: string;
}

export interface StatementVerdict {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  statement: PolicyStatement;
  principalMatches: boolean;
  actionMatches: boolean;
  /** undefined when the request names no resource (trust policies). */
  resourceMatches?: ConditionOutcome;
  conditions: ConditionResult[];
  /** pass: the statement applies to this request; fail: it does not; unknown: it depends on unknown input. */
  outcome: ConditionOutcome;
  /** Why the statement does not apply (empty when it applies). */
  reasons: string[];
}

export type TrustDecision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';

export interface TrustEvaluation {
  decision: TrustDecision;
  action: string;
  /** The first Allow statement that applies (when decision is allow, or a Deny overrode it). */
  allowedBy?: StatementVerdict;
  /** The first Deny statement that applies. */
  deniedBy?: StatementVerdict;
  statements: StatementVerdict[];
}

// ---------------------------------------------------------------------------------------------- wildcards

/** ArnLike/ArnEquals: each of the six colon-separated parts is matched on its own (the resource part may hold colons). */
export function arnMatch(pattern: string | PatternPiece[], value: string): boolean {
  const p = splitArnPieces(typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => compileWildcard(part).matches(v[i]));
}

function splitArn(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6 || (parts[0] !== 'arn' && !parts[0].includes('*') && !parts[0].includes('?'))) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** splitArn over pattern pieces, keeping which text is literal (substituted) and which has wildcards. */
function splitArnPieces(pieces: PatternPiece[]): PatternPiece[][] | null {
  const parts: PatternPiece[][] = [[]];
  for (const piece of pieces) {
    const chunks = piece.text.split(':');
    chunks.forEach((chunk, i) => {
      if (i > 0) {
        if (parts.length < 6) parts.push([]);
        else parts[5].push({ text: ':', literal: true });
      }
      if (chunk) parts[parts.length - 1].push({ text: chunk, literal: piece.literal });
    });
  }
  if (parts.length < 6) return null;
  const head = piecesText(parts[0]);
  if (head !== 'arn' && !parts[0].some((piece) => !piece.literal && /[*?]/.test(piece.text))) return null;
  return parts;
}

/** Resource / NotResource: `*` is every resource; otherwise ARN parts match one by one, case-sensitively. */
export function resourceMatch(pattern: string | PatternPiece[], resource: string): boolean {
  const pieces = typeof pattern === 'string' ? [{ text: pattern, literal: false }] : pattern;
  if (pieces.length === 1 && !pieces[0].literal && pieces[0].text === '*') return true;
  return arnMatch(pieces, resource);
}

// ---------------------------------------------------------------------------------------------- principals/actions

/** Does a Principal element (or NotPrincipal's list) name this request's principal? */
function principalNames(element: unknown, principal: RequestPrincipal): boolean {
  if (element === '*') return true;
  if (!element || typeof element !== 'object') return false;
  const e = element as { AWS?: OneOrMany<string>; Service?: OneOrMany<string>; Federated?: OneOrMany<string> };
  for (const aws of asArray(e.AWS)) {
    // `"AWS": "*"` means everyone, like `"Principal": "*"` (IAM principal element reference).
    if (aws === '*') return true;
    if (!principal.aws) continue;
    const account = accountOfArn(principal.aws);
    if (aws.toLowerCase() === principal.aws.toLowerCase()) return true;
    const partition = principal.aws.split(':')[1];
    if (account && (aws === account || aws === `arn:${partition}:iam::${account}:root`)) return true;
  }
  if (principal.service) {
    for (const service of asArray(e.Service)) {
      if (service === '*' || service.toLowerCase() === principal.service.toLowerCase()) return true;
    }
  }
  if (principal.federated) {
    for (const federated of asArray(e.Federated)) {
      if (federated === '*' || federated.toLowerCase() === principal.federated.toLowerCase()) return true;
    }
  }
  return false;
}

/** Action names are case-insensitive and may carry wildcards (`sts:*`, `*`, `sts:Assume*`). */
export function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => wildcardMatch(p, action, true));
}

function describePrincipal(p: RequestPrincipal): string {
  if (p.service) return `service principal ${p.service}`;
  if (p.federated) return `federated principal ${p.federated}`;
  if (p.aws) return `AWS principal ${p.aws}`;
  return 'an anonymous principal';
}

// ---------------------------------------------------------------------------------------------- conditions

type KeyLookup = { kind: 'present'; values: string[] } | { kind: 'absent'; note?: string } | { kind: 'unknown'; note: string };

function lookupKey(context: RequestContext, key: string, lowered: Map<string, string[]>): KeyLookup {
  const k = key.toLowerCase();
  const values = lowered.get(k);
  if (values) return { kind: 'present', values };
  for (const rule of context.keyAvailability ?? []) {
    const pattern = rule.pattern.toLowerCase();
    const hit = pattern.endsWith('/') ? k.startsWith(pattern) : k === pattern;
    if (hit) return rule.availability === 'absent' ? { kind: 'absent', note: rule.note } : { kind: 'unknown', note: rule.note };
  }
  return context.otherKeys === 'absent'
    ? { kind: 'absent' }
    : { kind: 'unknown', note: `the value of ${key} in this request is not known to the console` };
}

/** A key's value for `${key}` substitution: the same lookup conditions use. */
export function variableValue(context: RequestContext, key: string, lowered: Map<string, string[]>): VariableValue {
  const found = lookupKey(context, key, lowered);
  return found.kind === 'present' ? { kind: 'present', values: found.values } : found.kind === 'absent' ? { kind: 'absent' } : found;
}

type ValueTest = (expected: string, actual: string, pieces: PatternPiece[]) => boolean | 'unknown';

interface OperatorSpec {
  test: ValueTest;
  /** Negated operators (StringNotEquals…) are true when no value matches. */
  negated: boolean;
}

function parseNumber(s: string): number | null {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function parseDate(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function numeric(cmp: (a: number, b: number) => boolean): ValueTest {
  return (expected, actual) => {
    const e = parseNumber(expected);
    const a = parseNumber(actual);
    if (e === null || a === null) return false;
    return cmp(a, e);
  };
}

function dated(cmp: (a: number, b: number) => boolean): ValueTest {
  return (expected, actual) => {
    const e = parseDate(expected);
    const a = parseDate(actual);
    if (e === null || a === null) return false;
    return cmp(a, e);
  };
}

const OPERATORS: Record<string, OperatorSpec> = {
  stringequals: { test: (e, a) => e === a, negated: false },
  stringnotequals: { test: (e, a) => e === a, negated: true },
  stringequalsignorecase: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: true },
  stringlike: { test: (_e, a, pieces) => compileWildcard(pieces).matches(a), negated: false },
  stringnotlike: { test: (_e, a, pieces) => compileWildcard(pieces).matches(a), negated: true },
  arnequals: { test: (_e, a, pieces) => arnMatch(pieces, a), negated: false },
  arnlike: { test: (_e, a, pieces) => arnMatch(pieces, a), negated: false },
  arnnotequals: { test: (_e, a, pieces) => arnMatch(pieces, a), negated: true },
  arnnotlike: { test: (_e, a, pieces) => arnMatch(pieces, a), negated: true },
  bool: { test: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
  numericequals: { test: numeric((a, b) => a === b), negated: false },
  numericnotequals: { test: numeric((a, b) => a === b), negated: true },
  numericlessthan: { test: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { test: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { test: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { test: numeric((a, b) => a >= b), negated: false },
  dateequals: { test: dated((a, b) => a === b), negated: false },
  datenotequals: { test: dated((a, b) => a === b), negated: true },
  datelessthan: { test: dated((a, b) => a < b), negated: false },
  datelessthanequals: { test: dated((a, b) => a <= b), negated: false },
  dategreaterthan: { test: dated((a, b) => a > b), negated: false },
  dategreaterthanequals: { test: dated((a, b) => a >= b), negated: false },
  ipaddress: { test: (e, a) => ipInRange(e, a) ?? false, negated: false },
  notipaddress: { test: (e, a) => ipInRange(e, a) ?? false, negated: true },
  binaryequals: { test: (e, a) => e === a, negated: false },
};

function stringifyConditionValue(v: string | boolean | number): string {
  return typeof v === 'string' ? v : String(v);
}

interface ParsedOperator {
  set: 'ForAnyValue' | 'ForAllValues' | null;
  base: string;
  ifExists: boolean;
}

function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'] = null;
  const m = /^(ForAnyValue|ForAllValues):(.*)$/i.exec(rest);
  if (m) {
    set = m[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue' : 'ForAllValues';
    rest = m[2];
  }
  let ifExists = false;
  if (/IfExists$/i.test(rest) && rest.toLowerCase() !== 'null') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return { set, base: rest.toLowerCase(), ifExists };
}

function evaluateCondition(
  operator: string,
  key: string,
  rawExpected: OneOrMany<string | boolean | number>,
  context: RequestContext,
  lowered: Map<string, string[]>,
): ConditionResult {
  const expected = asArray(rawExpected).map(stringifyConditionValue);
  const op = parseOperator(operator);
  const lookup = lookupKey(context, key, lowered);
  const base: Omit<ConditionResult, 'outcome'> = {
    operator,
    key,
    expected,
    actual: lookup.kind === 'present' ? lookup.values : lookup.kind === 'absent' ? null : undefined,
  };

  if (op.base === 'null') {
    // Null: "true" means the key must be absent, "false" that it must be present.
    if (lookup.kind === 'unknown') return { ...base, outcome: 'unknown', reason: lookup.note };
    const absent = lookup.kind === 'absent';
    const ok = expected.some((e) => (e.toLowerCase() === 'true') === absent);
    return ok
      ? { ...base, outcome: 'pass' }
      : { ...base, outcome: 'fail', reason: absent ? `${key} is absent${lookup.note ? ` (${lookup.note})` : ''}` : `${key} is present` };
  }

  const spec = OPERATORS[op.base];
  if (!spec) return { ...base, outcome: 'unknown', reason: `operator ${operator} is not evaluated by the console` };

  if (lookup.kind === 'unknown') {
    if (op.ifExists) return { ...base, outcome: 'unknown', reason: lookup.note };
    return { ...base, outcome: 'unknown', reason: lookup.note };
  }

  if (lookup.kind === 'absent' || lookup.values.length === 0) {
    const why = `${key} is absent from the request${lookup.kind === 'absent' && lookup.note ? ` (${lookup.note})` : ''}`;
    if (op.ifExists) return { ...base, outcome: 'pass', reason: `${why}; IfExists makes it true` };
    if (op.set === 'ForAllValues') return { ...base, outcome: 'pass', reason: `${why}; ForAllValues is true for an empty set` };
    if (op.set === 'ForAnyValue') return { ...base, outcome: 'fail', reason: why };
    return spec.negated
      ? { ...base, outcome: 'pass', reason: `${why}; a negated operator is true for an absent key` }
      : { ...base, outcome: 'fail', reason: why };
  }

  // Policy variables in the expected values are substituted first; one with no value equals nothing
  // (reference_policies_variables, "Policy variables with no value"); one the console cannot know is unknown.
  // Only string and ARN operators take variables (reference_policies_variables, "Where you can use policy variables").
  const takesVariables = op.base.startsWith('string') || op.base.startsWith('arn');
  const resolved: ResolvedPattern[] = expected.map((e) =>
    takesVariables
      ? resolveVariables(e, (k) => variableValue(context, k, lowered))
      : { kind: 'resolved', pieces: [{ text: e, literal: false }] },
  );
  // matchOne: does one actual value satisfy the operator's test against the expected list?
  const matchOne = (actual: string): boolean | 'unknown' => {
    let sawUnknown = false;
    for (const r of resolved) {
      if (r.kind === 'no-value') continue;
      if (r.kind === 'unknown') {
        sawUnknown = true;
        continue;
      }
      const t = spec.test(piecesText(r.pieces), actual, r.pieces);
      if (t === true) return true;
      if (t === 'unknown') sawUnknown = true;
    }
    return sawUnknown ? 'unknown' : false;
  };
  // For a negated operator one value "satisfies" it when it matches none of the expected values.
  const satisfies = (actual: string): boolean | 'unknown' => {
    const m = matchOne(actual);
    if (m === 'unknown') return 'unknown';
    return spec.negated ? !m : m;
  };

  const values = lookup.values;
  const results = values.map(satisfies);
  let outcome: ConditionOutcome;
  if (op.set === 'ForAllValues') {
    outcome = results.every((r) => r === true) ? 'pass' : results.some((r) => r === false) ? 'fail' : 'unknown';
  } else if (op.set === 'ForAnyValue') {
    outcome = results.some((r) => r === true) ? 'pass' : results.some((r) => r === 'unknown') ? 'unknown' : 'fail';
  } else if (spec.negated) {
    // Without a set operator a negated operator on a multi-valued key is true only when no value matches.
    outcome = results.every((r) => r === true) ? 'pass' : results.some((r) => r === false) ? 'fail' : 'unknown';
  } else {
    outcome = results.some((r) => r === true) ? 'pass' : results.some((r) => r === 'unknown') ? 'unknown' : 'fail';
  }
  if (outcome === 'pass') return { ...base, outcome };
  if (outcome === 'unknown') return { ...base, outcome, reason: `operator ${operator} cannot be judged for ${key}` };
  const shown = values.length === 1 ? `"${values[0]}"` : `[${values.map((v) => `"${v}"`).join(', ')}]`;
  const verb = spec.negated ? 'matches one of' : 'does not match';
  return { ...base, outcome, reason: `${key} is ${shown}, which ${verb} ${operator} [${expected.map((e) => `"${e}"`).join(', ')}]` };
}

// ---------------------------------------------------------------------------------------------- statements

/** Which kind of policy a statement sits in: trust and resource policies name a Principal, identity policies do not. */
export type PolicyKind = 'trust' | 'identity' | 'resource';

function resourceOutcome(
  patterns: string[],
  resource: string,
  context: RequestContext,
  lowered: Map<string, string[]>,
): { outcome: ConditionOutcome; note?: string } {
  let sawUnknown: string | undefined;
  for (const pattern of patterns) {
    const resolved = resolveVariables(pattern, (k) => variableValue(context, k, lowered));
    // A Resource holding a variable with no value matches no resource (reference_policies_variables).
    if (resolved.kind === 'no-value') continue;
    if (resolved.kind === 'unknown') {
      sawUnknown ??= `${pattern} depends on ${resolved.key}: ${resolved.note}`;
      continue;
    }
    if (resourceMatch(resolved.pieces, resource)) return { outcome: 'pass' };
  }
  return sawUnknown ? { outcome: 'unknown', note: sawUnknown } : { outcome: 'fail' };
}

export function evaluateStatement(
  statement: PolicyStatement,
  index: number,
  context: RequestContext,
  lowered: Map<string, string[]>,
  kind: PolicyKind = 'trust',
): StatementVerdict {
  const reasons: string[] = [];
  let principalMatches: boolean;
  if (kind === 'identity') {
    // An identity policy applies to the identity it is attached to; it has no Principal element.
    principalMatches = true;
  } else if (statement.Principal !== undefined) {
    principalMatches = principalNames(statement.Principal, context.principal);
    if (!principalMatches) reasons.push(`Principal does not name the ${describePrincipal(context.principal)}`);
  } else if (statement.NotPrincipal !== undefined) {
    // NotPrincipal applies to every principal it does not name.
    principalMatches = !principalNames(statement.NotPrincipal, context.principal);
    if (!principalMatches) reasons.push(`NotPrincipal excludes the ${describePrincipal(context.principal)}`);
  } else {
    principalMatches = false;
    reasons.push(`the statement has no Principal (a ${kind} policy statement needs one)`);
  }

  let actionOk: boolean;
  if (statement.Action !== undefined) {
    actionOk = actionMatches(asArray(statement.Action), context.action);
    if (!actionOk) reasons.push(`Action ${JSON.stringify(statement.Action)} does not cover ${context.action}`);
  } else if (statement.NotAction !== undefined) {
    actionOk = !actionMatches(asArray(statement.NotAction), context.action);
    if (!actionOk) reasons.push(`NotAction ${JSON.stringify(statement.NotAction)} excludes ${context.action}`);
  } else {
    actionOk = false;
    reasons.push('the statement has no Action');
  }

  let resourceMatches: ConditionOutcome | undefined;
  if (context.resource !== undefined && kind !== 'trust') {
    if (statement.Resource !== undefined) {
      const r = resourceOutcome(asArray(statement.Resource), context.resource, context, lowered);
      resourceMatches = r.outcome;
      if (r.outcome === 'fail') reasons.push(`Resource ${JSON.stringify(statement.Resource)} does not cover ${context.resource}`);
      if (r.note) reasons.push(r.note);
    } else if (statement.NotResource !== undefined) {
      const r = resourceOutcome(asArray(statement.NotResource), context.resource, context, lowered);
      resourceMatches = r.outcome === 'pass' ? 'fail' : r.outcome === 'fail' ? 'pass' : 'unknown';
      if (resourceMatches === 'fail') reasons.push(`NotResource ${JSON.stringify(statement.NotResource)} excludes ${context.resource}`);
      if (r.note) reasons.push(r.note);
    } else {
      resourceMatches = 'fail';
      reasons.push('the statement has no Resource');
    }
  }

  const conditions: ConditionResult[] = [];
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(block ?? {})) {
      conditions.push(evaluateCondition(operator, key, expected, context, lowered));
    }
  }
  for (const c of conditions) if (c.outcome === 'fail') reasons.push(`condition ${c.operator} ${c.key} failed: ${c.reason}`);

  let outcome: ConditionOutcome;
  if (!principalMatches || !actionOk || resourceMatches === 'fail' || conditions.some((c) => c.outcome === 'fail')) outcome = 'fail';
  else if (resourceMatches === 'unknown' || conditions.some((c) => c.outcome === 'unknown')) outcome = 'unknown';
  else outcome = 'pass';

  return {
    index,
    sid: statement.Sid,
    effect: statement.Effect,
    statement,
    principalMatches,
    actionMatches: actionOk,
    ...(resourceMatches !== undefined ? { resourceMatches } : {}),
    conditions,
    outcome,
    reasons,
  };
}

/** Lower-cased request keys, built once per request and shared by every statement. */
export function loweredKeys(context: RequestContext): Map<string, string[]> {
  const lowered = new Map<string, string[]>();
  for (const [k, v] of Object.entries(context.keys)) lowered.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
  return lowered;
}

/** Evaluate a trust policy for one request. Pure; safe to call for thousands of roles. */
export function evaluateTrustPolicy(policy: PolicyDocument, context: RequestContext): TrustEvaluation {
  const lowered = loweredKeys(context);
  const statements = policyStatements(policy).map((s, i) => evaluateStatement(s, i, context, lowered));
  const deniedBy = statements.find((s) => s.effect === 'Deny' && s.outcome === 'pass');
  const allowedBy = statements.find((s) => s.effect === 'Allow' && s.outcome === 'pass');
  let decision: TrustDecision;
  if (deniedBy) decision = 'explicit-deny';
  else if (statements.some((s) => s.effect === 'Deny' && s.outcome === 'unknown'))
    decision = allowedBy || statements.some((s) => s.effect === 'Allow' && s.outcome === 'unknown') ? 'unknown' : 'implicit-deny';
  else if (allowedBy) decision = 'allow';
  else if (statements.some((s) => s.effect === 'Allow' && s.outcome === 'unknown')) decision = 'unknown';
  else decision = 'implicit-deny';
  return { decision, action: context.action, allowedBy, deniedBy, statements };
}

/**
 * Statements that grant the action to the principal ignoring conditions (the question PI002/IR004 ask:
 * "is there an Allow statement for this principal and action at all?").
 */
export function statementsGranting(
  policy: PolicyDocument,
  principal: RequestPrincipal,
  action: string,
): { index: number; statement: PolicyStatement }[] {
  const out: { index: number; statement: PolicyStatement }[] = [];
  policyStatements(policy).forEach((statement, index) => {
    if (statement.Effect !== 'Allow') return;
    const p =
      statement.Principal !== undefined
        ? principalNames(statement.Principal, principal)
        : statement.NotPrincipal !== undefined
          ? !principalNames(statement.NotPrincipal, principal)
          : false;
    if (!p) return;
    const a =
      statement.Action !== undefined
        ? actionMatches(asArray(statement.Action), action)
        : statement.NotAction !== undefined
          ? !actionMatches(asArray(statement.NotAction), action)
          : false;
    if (a) out.push({ index, statement });
  });
  return out;
}

/** One line for why a request was not allowed: the deny that applied, or each relevant statement's reasons. */
export function explainDecision(evaluation: TrustEvaluation): string {
  if (evaluation.decision === 'allow') return `allowed by statement ${label(evaluation.allowedBy!)}`;
  if (evaluation.decision === 'explicit-deny') return `denied by statement ${label(evaluation.deniedBy!)}`;
  if (evaluation.decision === 'unknown') return 'the outcome depends on values the console cannot know';
  const allows = evaluation.statements.filter((s) => s.effect === 'Allow');
  if (allows.length === 0) return 'the policy has no Allow statement';
  return allows.map((s) => `statement ${label(s)}: ${s.reasons.join('; ')}`).join(' | ');
}

function label(s: StatementVerdict): string {
  return s.sid ? `"${s.sid}" (#${s.index})` : `#${s.index}`;
}
