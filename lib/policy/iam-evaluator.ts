import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { accountOfArn, parseRoleArn } from '@/lib/model/arn';
import { asArray, policyStatements } from './policy-document';
import {
  evaluateStatement,
  loweredKeys,
  type ConditionOutcome,
  type KeyAvailability,
  type RequestContext,
  type StatementVerdict,
} from './policy-evaluator';
import { POD_IDENTITY_SESSION_TAGS } from './request-contexts';

// What a role session may do (domain.md §1d; IAM user guide, reference_policies_evaluation-logic and
// reference_policies_evaluation-logic-cross-account):
// 1. an explicit Deny in any applicable policy (identity, boundary, session, resource) wins;
// 2. same account: a resource policy that names the role SESSION (or everyone) allows on its own; one that
//    names the ROLE ARN allows unless the boundary or session policy implicitly denies; otherwise the identity
//    policies must allow, and so must the boundary and the session policy when present;
// 3. cross-account: the principal's side (identity ∩ boundary ∩ session) AND the resource policy must allow;
// 4. Organizations SCPs/RCPs are not readable from a member account: a verdict says it covers what the
//    console can see.
// Every input may be unknown (a failed read, a per-pod tag); a verdict that depends on it is `unknown`.

export type PolicySourceKind = 'inline' | 'managed' | 'boundary' | 'session' | 'resource';

export interface PolicySource {
  kind: PolicySourceKind;
  name: string;
  arn?: string;
  versionId?: string;
  document: PolicyDocument;
}

/** The session the pods' requests are made with: the role (or target role) plus what narrows or tags it. */
export interface SessionIdentity {
  /** The role whose session makes the requests: the target role when the association sets one. */
  roleArn: string;
  account: string;
  partition: string;
  /** Identity policies of that role (inline and managed); null when they could not all be read. */
  identityPolicies: PolicySource[] | null;
  /** undefined: the role has no boundary; null: it has one that could not be read. */
  boundary?: PolicySource | null;
  /** Session policies (the association's `policy`). */
  sessionPolicies: PolicySource[];
  /** aws:PrincipalTag values: the role's tags overridden by the session tags. */
  principalTags: Record<string, string>;
  /** Principal tags whose value differs per pod (kubernetes-pod-name, -uid). */
  perPodTags: string[];
  /** Why some inputs are missing (shown with an unknown verdict). */
  unreadable: string[];
}

export interface ResourcePolicy {
  source: PolicySource;
  /** The account that owns the resource; null when the console cannot tell. */
  account: string | null;
}

export interface AccessQuery {
  action: string;
  resource: string;
  /** Extra request keys, e.g. { 's3:prefix': 'snapshots/' }. */
  context?: Record<string, string | string[]>;
}

export type AccessDecision = 'allowed' | 'explicit-deny' | 'implicit-deny' | 'unknown';

export interface DecidingStatement {
  policy: { kind: PolicySourceKind; name: string; arn?: string };
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  outcome: ConditionOutcome;
  statement: PolicyStatement;
}

export interface AccessVerdict {
  action: string;
  resource: string;
  decision: AccessDecision;
  /** The statements that decided: the applying Deny, or the Allows that together grant it. */
  statements: DecidingStatement[];
  /** In words: why this decision (each missing allow, each unknown input). */
  reasons: string[];
  /** Every policy that took part. */
  policies: { kind: PolicySourceKind; name: string; arn?: string }[];
  /** Always: what the console cannot see (SCPs, RCPs). */
  caveats: string[];
}

const SCP_CAVEAT =
  'Organizations SCPs and RCPs are not readable from a member account: the verdict covers every policy the console can see';

/** The request context a role session presents (IAM global condition keys reference). */
export function sessionRequestContext(session: SessionIdentity, query: AccessQuery): RequestContext {
  const keys: Record<string, string | string[]> = {
    'aws:PrincipalArn': session.roleArn,
    'aws:PrincipalAccount': session.account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    // The SDKs call AWS over TLS.
    'aws:SecureTransport': 'true',
  };
  for (const [tag, value] of Object.entries(session.principalTags)) keys[`aws:PrincipalTag/${tag}`] = value;
  for (const [key, value] of Object.entries(query.context ?? {})) keys[key] = value;
  const availability: KeyAvailability[] = [
    ...session.perPodTags.map((tag) => ({
      pattern: `aws:PrincipalTag/${tag}`,
      availability: 'unknown' as const,
      note: `${tag} differs per pod (set by EKS when each pod gets credentials)`,
    })),
    { pattern: 'aws:PrincipalTag/', availability: 'absent', note: 'the session carries no such tag' },
    { pattern: 'aws:username', availability: 'absent', note: 'aws:username is present only for IAM users' },
    { pattern: 'aws:PrincipalServiceName', availability: 'absent', note: 'the caller is a role session, not a service' },
  ];
  return {
    principal: { aws: session.roleArn },
    action: query.action,
    resource: query.resource,
    keys,
    keyAvailability: availability,
    otherKeys: 'unknown',
  };
}

interface PolicyResult {
  source: PolicySource;
  verdicts: StatementVerdict[];
}

function evaluatePolicies(
  sources: PolicySource[],
  context: RequestContext,
  lowered: Map<string, string[]>,
  kind: 'identity' | 'resource',
): PolicyResult[] {
  return sources.map((source) => ({
    source,
    verdicts: policyStatements(source.document).map((statement, index) => evaluateStatement(statement, index, context, lowered, kind)),
  }));
}

/** OR over statements of one effect: pass if any passes, unknown if any is unknown, else fail. */
function anyOutcome(results: PolicyResult[], effect: 'Allow' | 'Deny', filter?: (v: StatementVerdict) => boolean): ConditionOutcome {
  let unknown = false;
  for (const result of results)
    for (const v of result.verdicts) {
      if (v.effect !== effect || (filter && !filter(v))) continue;
      if (v.outcome === 'pass') return 'pass';
      if (v.outcome === 'unknown') unknown = true;
    }
  return unknown ? 'unknown' : 'fail';
}

function and(...outcomes: ConditionOutcome[]): ConditionOutcome {
  if (outcomes.includes('fail')) return 'fail';
  return outcomes.includes('unknown') ? 'unknown' : 'pass';
}

function or(...outcomes: ConditionOutcome[]): ConditionOutcome {
  if (outcomes.includes('pass')) return 'pass';
  return outcomes.includes('unknown') ? 'unknown' : 'fail';
}

function deciding(
  results: PolicyResult[],
  effect: 'Allow' | 'Deny',
  outcomes: ConditionOutcome[],
  filter?: (v: StatementVerdict) => boolean,
) {
  const out: DecidingStatement[] = [];
  for (const result of results)
    for (const v of result.verdicts)
      if (v.effect === effect && outcomes.includes(v.outcome) && (!filter || filter(v)))
        out.push({
          policy: { kind: result.source.kind, name: result.source.name, ...(result.source.arn ? { arn: result.source.arn } : {}) },
          index: v.index,
          ...(v.sid ? { sid: v.sid } : {}),
          effect: v.effect,
          outcome: v.outcome,
          statement: v.statement,
        });
  return out;
}

/** How a resource-policy statement names the caller: the session itself (or everyone), the role ARN, or the account. */
function principalForm(statement: PolicyStatement, session: SessionIdentity): 'session' | 'role' | 'account' | 'other' {
  const p = statement.Principal;
  if (p === '*') return 'session';
  if (!p || typeof p !== 'object') return 'other';
  let best: 'session' | 'role' | 'account' | 'other' = 'other';
  for (const aws of asArray(p.AWS)) {
    if (aws === '*') return 'session';
    if (aws.toLowerCase() === session.roleArn.toLowerCase()) best = 'role';
    else if (best === 'other' && (aws === session.account || aws === `arn:${session.partition}:iam::${session.account}:root`))
      best = 'account';
  }
  return best;
}

function sourceRef(source: PolicySource) {
  return { kind: source.kind, name: source.name, ...(source.arn ? { arn: source.arn } : {}) };
}

/** May this session do `query`? Pure; the same call for the SA page, the reverse lookup and PM001/PM003. */
export function evaluateAccess(session: SessionIdentity, query: AccessQuery, resourcePolicy?: ResourcePolicy | null): AccessVerdict {
  const context = sessionRequestContext(session, query);
  const lowered = loweredKeys(context);
  const reasons: string[] = [...session.unreadable];
  const identity = evaluatePolicies(session.identityPolicies ?? [], context, lowered, 'identity');
  const boundary = session.boundary ? evaluatePolicies([session.boundary], context, lowered, 'identity') : [];
  const sessionPolicies = evaluatePolicies(session.sessionPolicies, context, lowered, 'identity');
  const resource = resourcePolicy ? evaluatePolicies([resourcePolicy.source], context, lowered, 'resource') : [];
  const all = [...identity, ...boundary, ...sessionPolicies, ...resource];
  const policies = [
    ...(session.identityPolicies ?? []),
    ...(session.boundary ? [session.boundary] : []),
    ...session.sessionPolicies,
    ...(resourcePolicy ? [resourcePolicy.source] : []),
  ].map(sourceRef);
  const verdict = (decision: AccessDecision, statements: DecidingStatement[]): AccessVerdict => ({
    action: query.action,
    resource: query.resource,
    decision,
    statements,
    reasons,
    policies,
    caveats: [SCP_CAVEAT],
  });

  // 1. Explicit deny anywhere. An unreadable identity policy or boundary could hold one.
  const denyKnown = anyOutcome(all, 'Deny');
  if (denyKnown === 'pass') return verdict('explicit-deny', deciding(all, 'Deny', ['pass']));
  const deny = session.identityPolicies === null || session.boundary === null ? or(denyKnown, 'unknown') : denyKnown;

  // 2. The principal's side: identity ∩ boundary ∩ session policy.
  const identityAllow = session.identityPolicies === null ? or(anyOutcome(identity, 'Allow'), 'unknown') : anyOutcome(identity, 'Allow');
  const boundaryAllow = session.boundary === undefined ? 'pass' : session.boundary === null ? 'unknown' : anyOutcome(boundary, 'Allow');
  const sessionAllow = session.sessionPolicies.length === 0 ? 'pass' : anyOutcome(sessionPolicies, 'Allow');
  const principalSide = and(identityAllow, boundaryAllow, sessionAllow);

  // 3. The resource policy, by how it names the caller.
  const bySession = anyOutcome(resource, 'Allow', (v) => principalForm(v.statement, session) === 'session');
  const byRole = anyOutcome(resource, 'Allow', (v) => principalForm(v.statement, session) === 'role');
  const anyResourceAllow = anyOutcome(resource, 'Allow');
  const sameAccount = or(bySession, and(byRole, boundaryAllow, sessionAllow), principalSide);
  const crossAccount = and(principalSide, anyResourceAllow);
  const resourceAccount = resourcePolicy ? resourcePolicy.account : accountOfArn(query.resource);
  let allow: ConditionOutcome;
  if (resourceAccount === session.account || (!resourcePolicy && resourceAccount === null)) allow = sameAccount;
  else if (resourceAccount !== null) {
    allow = resourcePolicy ? crossAccount : and(principalSide, 'unknown');
    if (!resourcePolicy)
      reasons.push(`the resource is in account ${resourceAccount}: its resource policy, which must also allow, is not read`);
  } else {
    allow = sameAccount === crossAccount ? sameAccount : 'unknown';
    if (sameAccount !== crossAccount)
      reasons.push(
        `the outcome depends on whether the resource is in account ${session.account} (allowed by either policy) or another (both must allow)`,
      );
  }

  if (deny === 'unknown' && allow !== 'fail') {
    reasons.push(...unknownReasons(all));
    return verdict('unknown', deciding(all, 'Deny', ['unknown']));
  }
  if (allow === 'pass') {
    const grants = [
      ...deciding(identity, 'Allow', ['pass']),
      ...deciding(boundary, 'Allow', ['pass']),
      ...deciding(sessionPolicies, 'Allow', ['pass']),
      ...deciding(resource, 'Allow', ['pass']),
    ];
    return verdict('allowed', grants);
  }
  if (allow === 'unknown') {
    reasons.push(...unknownReasons(all));
    return verdict('unknown', [...deciding(all, 'Allow', ['pass', 'unknown'])]);
  }
  if (identityAllow === 'fail' && !(resource.length > 0 && anyResourceAllow === 'pass'))
    reasons.push('no statement of the identity policies allows it' + (resource.length > 0 ? ', nor does the resource policy' : ''));
  if (boundaryAllow === 'fail') reasons.push(`the permissions boundary ${session.boundary?.name} does not allow it`);
  if (sessionAllow === 'fail') reasons.push('the session policy does not allow it');
  if (resource.length > 0 && anyResourceAllow === 'fail' && resourceAccount !== session.account && principalSide !== 'fail')
    reasons.push('the resource is in another account and its policy does not allow this principal');
  return verdict('implicit-deny', []);
}

function unknownReasons(results: PolicyResult[]): string[] {
  const out = new Set<string>();
  for (const result of results)
    for (const v of result.verdicts) {
      if (v.outcome !== 'unknown') continue;
      for (const c of v.conditions) if (c.outcome === 'unknown' && c.reason) out.add(`${result.source.name} #${v.index}: ${c.reason}`);
      for (const r of v.reasons) out.add(`${result.source.name} #${v.index}: ${r}`);
    }
  return [...out];
}

export interface SessionInput {
  roleArn: string;
  identityPolicies: PolicySource[] | null;
  boundary?: PolicySource | null;
  sessionPolicy?: PolicyDocument;
  roleTags?: Record<string, string>;
  /** Pod Identity session tags, when the association passes them (not IRSA, not disableSessionTags). */
  sessionTags?: { clusterArn: string; clusterName: string; namespace: string; serviceAccount: string };
  unreadable?: string[];
}

/** Builds the session a workload's pods get. Session tags override role tags of the same key (id_session-tags). */
export function sessionIdentity(input: SessionInput): SessionIdentity {
  const role = parseRoleArn(input.roleArn);
  const principalTags: Record<string, string> = { ...(input.roleTags ?? {}) };
  const perPodTags: string[] = [];
  if (input.sessionTags) {
    principalTags['eks-cluster-arn'] = input.sessionTags.clusterArn;
    principalTags['eks-cluster-name'] = input.sessionTags.clusterName;
    principalTags['kubernetes-namespace'] = input.sessionTags.namespace;
    principalTags['kubernetes-service-account'] = input.sessionTags.serviceAccount;
    // The pod name and uid tags are set per pod (AUG pod-id-abac): every other tag is known for the SA.
    for (const tag of POD_IDENTITY_SESSION_TAGS.filter((t) => t.startsWith('kubernetes-pod-'))) {
      perPodTags.push(tag);
      delete principalTags[tag];
    }
  }
  return {
    roleArn: input.roleArn,
    account: role?.account ?? '',
    partition: role?.partition ?? 'aws',
    identityPolicies: input.identityPolicies,
    ...(input.boundary !== undefined ? { boundary: input.boundary } : {}),
    sessionPolicies: input.sessionPolicy ? [{ kind: 'session', name: 'association policy', document: input.sessionPolicy }] : [],
    principalTags,
    perPodTags,
    unreadable: input.unreadable ?? [],
  };
}

/** The API's three-way decision. */
export function apiDecision(decision: AccessDecision): 'allowed' | 'denied' | 'unknown' {
  return decision === 'allowed' ? 'allowed' : decision === 'unknown' ? 'unknown' : 'denied';
}
