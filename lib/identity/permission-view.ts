import type { Finding } from '@/lib/model/finding';
import type { SourceError } from '@/lib/model/cluster-state';
import { apiDecision, evaluateAccess, type AccessVerdict, type PolicySource } from '@/lib/policy/iam-evaluator';
import { asArray, policyStatements } from '@/lib/policy/policy-document';
import { wildcardMatch } from '@/lib/policy/wildcard';
import type { ServiceAccountContext } from './identity-context';
import { knownNeedsOf, type KnownNeed } from './known-needs';
import { evaluateWorkloadAccess, workloadIdentityOf, type WorkloadIdentity } from './permissions';

// What the SA page's "AWS access" section and GET …/permissions show (api.md "Permissions"): the identity
// chain, the policies that take part, and the actions the identity policies grant, grouped by service, each
// judged through the whole evaluation (boundary, session policy, explicit denies).

export interface StatementRef {
  policy: string;
  kind: PolicySource['kind'];
  arn?: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

export interface PermissionAction {
  action: string;
  resources: string[];
  decision: 'allowed' | 'denied' | 'unknown';
  statements: StatementRef[];
}

export interface PermissionsView {
  identity: {
    mechanism: 'pod-identity' | 'irsa';
    roleArn: string;
    sourceRoleArn?: string;
    targetRoleArn?: string;
    sessionTags: boolean;
    principalTags: Record<string, string>;
    perPodTags: string[];
    sessionPolicy?: string;
  } | null;
  /** Why the identity or its permissions are unknown (no identity, an unreadable policy…). */
  unknownReason?: string;
  policies: { kind: PolicySource['kind']; arn?: string; name: string; versionId?: string; document: unknown }[];
  services: { service: string; actions: PermissionAction[] }[];
  /** What the SA is known to need, judged: the "Can it…?" box's prefill. */
  knownNeeds: (KnownNeed & { verdict: AccessVerdict })[];
  errors: Pick<SourceError, 'source' | 'operation' | 'code' | 'message' | 'missingPermission'>[];
}

function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action : action.slice(0, i).toLowerCase();
}

function refs(verdict: AccessVerdict): StatementRef[] {
  return verdict.statements.map((s) => ({
    policy: s.policy.name,
    kind: s.policy.kind,
    ...(s.policy.arn ? { arn: s.policy.arn } : {}),
    index: s.index,
    ...(s.sid ? { sid: s.sid } : {}),
    effect: s.effect,
  }));
}

/** The actions the identity policies grant, each judged on its resources through the full evaluation. */
export function grantedActions(identity: WorkloadIdentity): { service: string; actions: PermissionAction[] }[] {
  const byService = new Map<string, Map<string, PermissionAction>>();
  for (const policy of identity.session.identityPolicies ?? []) {
    policyStatements(policy.document).forEach((statement, index) => {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) return;
      const resources = statement.Resource !== undefined ? asArray(statement.Resource) : ['*'];
      for (const action of asArray(statement.Action)) {
        const verdicts = resources.map((resource) => evaluateAccess(identity.session, { action, resource }));
        const decisions = verdicts.map((v) => apiDecision(v.decision));
        const decision = decisions.includes('allowed') ? 'allowed' : decisions.includes('unknown') ? 'unknown' : 'denied';
        const service = serviceOf(action);
        const actions = byService.get(service) ?? new Map<string, PermissionAction>();
        byService.set(service, actions);
        const key = `${action}\u0000${resources.join(',')}`;
        const existing = actions.get(key);
        const own: StatementRef = {
          policy: policy.name,
          kind: policy.kind,
          ...(policy.arn ? { arn: policy.arn } : {}),
          index,
          ...(statement.Sid ? { sid: statement.Sid } : {}),
          effect: 'Allow',
        };
        const deciding = decision === 'allowed' ? [own] : verdicts.flatMap(refs).filter((r) => r.effect === 'Deny');
        if (existing) existing.statements.push(...deciding);
        else actions.set(key, { action, resources, decision, statements: deciding.length > 0 ? deciding : [own] });
      }
    });
  }
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({ service, actions: [...actions.values()].sort((a, b) => a.action.localeCompare(b.action)) }));
}

export function permissionsViewOf(ctx: ServiceAccountContext): PermissionsView {
  const workload = workloadIdentityOf(ctx);
  const errors = Object.values(ctx.fleet.policies ?? {})
    .filter(() => workload.status === 'known')
    .flatMap((p) => p.errors)
    .filter((e) => workload.status === 'known' && e.subject?.roleArn === workload.identity.roleArn)
    .map((e) => ({
      source: e.source,
      operation: e.operation,
      code: e.code,
      message: e.message,
      ...(e.missingPermission ? { missingPermission: e.missingPermission } : {}),
    }));
  if (workload.status !== 'known')
    return {
      identity: null,
      unknownReason:
        workload.status === 'none' ? 'the service account has no workload identity (no association, no IRSA annotation)' : workload.reason,
      policies: [],
      services: [],
      knownNeeds: [],
      errors,
    };
  const identity = workload.identity;
  return {
    identity: {
      mechanism: identity.mechanism,
      roleArn: identity.sourceRoleArn ?? identity.roleArn,
      ...(identity.sourceRoleArn ? { sourceRoleArn: identity.sourceRoleArn, targetRoleArn: identity.roleArn } : {}),
      sessionTags: identity.sessionTags,
      principalTags: identity.session.principalTags,
      perPodTags: identity.session.perPodTags,
      ...(identity.sessionPolicyText ? { sessionPolicy: identity.sessionPolicyText } : {}),
    },
    ...(identity.session.identityPolicies === null
      ? { unknownReason: `some policies of ${identity.roleArn} could not be read: ${identity.session.unreadable.join('; ')}` }
      : {}),
    policies: identity.policies.map((p) => ({
      kind: p.kind,
      ...(p.arn ? { arn: p.arn } : {}),
      name: p.name,
      ...(p.versionId ? { versionId: p.versionId } : {}),
      document: p.document,
    })),
    services: grantedActions(identity),
    knownNeeds: knownNeedsOf(ctx).map((need) => ({ ...need, verdict: evaluateWorkloadAccess(ctx.fleet, identity, need) })),
    errors,
  };
}

/** The row's summary: services the identity may use (after boundary and session policy), and admin-equivalence (PM003). */
export function permissionSummary(
  ctx: ServiceAccountContext,
  findings: Finding[],
): { summary: { allowedServices: string[]; adminEquivalent: boolean } } | undefined {
  const workload = workloadIdentityOf(ctx);
  if (workload.status !== 'known' || workload.identity.session.identityPolicies === null) return undefined;
  const session = workload.identity.session;
  const limits = [...(session.boundary ? [session.boundary] : []), ...session.sessionPolicies];
  const services = new Set<string>();
  for (const policy of session.identityPolicies ?? [])
    for (const statement of policyStatements(policy.document)) {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) continue;
      for (const action of asArray(statement.Action)) services.add(serviceOf(action));
    }
  // A boundary or session policy that names no action of a service removes it.
  const allowedServices = [...services]
    .filter((service) =>
      limits.every((limit) =>
        policyStatements(limit.document).some(
          (s) =>
            s.Effect === 'Allow' &&
            asArray(s.Action).some((a) => serviceOf(a) === '*' || service === '*' || wildcardMatch(serviceOf(a), service, true)),
        ),
      ),
    )
    .sort();
  const adminEquivalent = findings.some(
    (f) => f.code === 'PM003' && (f.evidence as { adminEquivalent?: boolean }).adminEquivalent === true,
  );
  return { summary: { allowedServices, adminEquivalent } };
}
