import type { IamRole } from '@/lib/model/cluster-state';
import { evaluateTrustPolicy, statementsGranting, type ConditionResult, type TrustEvaluation } from '@/lib/policy/policy-evaluator';
import {
  POD_IDENTITY_SERVICE_PRINCIPAL,
  podIdentityRequestContext,
  roleChainRequestContext,
  webIdentityRequestContext,
} from '@/lib/policy/request-contexts';
import type { ServiceAccountContext } from './identity-context';
import { parseRoleArn, roleNameOf } from '@/lib/model/arn';
import { issuerHostPath, oidcProviderArn } from './identity-facts';

// The trust questions of Pod Identity, IRSA and role chaining, asked of the one evaluator. Shared by the
// rules (PI002, PI003, PI012, IR004, IR005) and by the SA page's chain so both say the same thing.

export const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'] as const;

export interface GrantCheck {
  action: string;
  statements: { index: number; sid?: string }[];
}

export interface PodIdentityTrust {
  role: IamRole;
  /** Statements granting each action to pods.eks.amazonaws.com, conditions aside (PI002). */
  grants: GrantCheck[];
  missingActions: string[];
  /** Full evaluations against this cluster/SA (PI003); AssumeRole only when session tags are disabled. */
  evaluations: TrustEvaluation[];
  blocked: TrustEvaluation | null;
}

// Several rules and the chain ask the same question of one SA; answer it once per SA context and role.
const memo = new WeakMap<ServiceAccountContext, Map<string, unknown>>();
function remember<T>(ctx: ServiceAccountContext, key: string, compute: () => T): T {
  let m = memo.get(ctx);
  if (!m) memo.set(ctx, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

/**
 * What EKS Auth's calls for one service account would get from a trust policy: AssumeRole, and TagSession unless
 * session tags are disabled (then EKS does not tag the session, so only AssumeRole is checked at credential time).
 * Shared by the rules and the association actions' preflight.
 */
export function podIdentityTrustEvaluations(
  trustPolicy: IamRole['trustPolicy'],
  eks: { arn: string; name: string; account: string },
  subject: { namespace: string; serviceAccount: string; disableSessionTags?: boolean },
): TrustEvaluation[] {
  const actions = subject.disableSessionTags ? ['sts:AssumeRole'] : [...POD_IDENTITY_ACTIONS];
  return actions.map((action) =>
    evaluateTrustPolicy(
      trustPolicy,
      podIdentityRequestContext({
        action,
        clusterArn: eks.arn,
        clusterName: eks.name,
        clusterAccount: eks.account,
        namespace: subject.namespace,
        serviceAccount: subject.serviceAccount,
        disableSessionTags: subject.disableSessionTags,
      }),
    ),
  );
}

export function podIdentityTrust(ctx: ServiceAccountContext, role: IamRole): PodIdentityTrust {
  return remember(ctx, `pi|${role.arn}`, () => computePodIdentityTrust(ctx, role));
}

function computePodIdentityTrust(ctx: ServiceAccountContext, role: IamRole): PodIdentityTrust {
  const grants = POD_IDENTITY_ACTIONS.map((action) => ({
    action,
    statements: statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, action).map((g) => ({
      index: g.index,
      sid: g.statement.Sid,
    })),
  }));
  const missingActions = grants.filter((g) => g.statements.length === 0).map((g) => g.action);
  const eks = ctx.cluster.eks;
  const evaluations = eks && ctx.association ? podIdentityTrustEvaluations(role.trustPolicy, eks, ctx.association) : [];
  const blocked = evaluations.find((e) => e.decision === 'implicit-deny' || e.decision === 'explicit-deny') ?? null;
  return { role, grants, missingActions, evaluations, blocked };
}

/** The conditions that failed in statements that otherwise grant the request (the "why not" of PI003/IR005). */
export function failingConditions(evaluation: TrustEvaluation): { statement: number; sid?: string; condition: ConditionResult }[] {
  const out: { statement: number; sid?: string; condition: ConditionResult }[] = [];
  for (const s of evaluation.statements) {
    if (s.effect !== 'Allow' || !s.principalMatches || !s.actionMatches) continue;
    for (const c of s.conditions) if (c.outcome === 'fail') out.push({ statement: s.index, sid: s.sid, condition: c });
  }
  return out;
}

export function statementSummaries(evaluation: TrustEvaluation): Record<string, unknown>[] {
  return evaluation.statements.map((s) => ({
    index: s.index,
    sid: s.sid ?? null,
    effect: s.effect,
    outcome: s.outcome,
    reasons: s.reasons,
    conditions: s.conditions.map((c) => ({
      operator: c.operator,
      key: c.key,
      expected: c.expected,
      actual: c.actual === undefined ? 'unknown' : c.actual,
      outcome: c.outcome,
      reason: c.reason ?? null,
    })),
  }));
}

export function describeCondition(c: ConditionResult): string {
  const expected = c.expected.length === 1 ? c.expected[0] : `[${c.expected.join(', ')}]`;
  return `${c.key} ${c.operator} ${expected}`;
}

export interface WebIdentityTrust {
  role: IamRole;
  issuer: string;
  providerArn: string;
  granting: { index: number; sid?: string }[];
  evaluation: TrustEvaluation;
}

export function webIdentityTrust(ctx: ServiceAccountContext, role: IamRole, audience: string): WebIdentityTrust | null {
  return remember(ctx, `irsa|${role.arn}|${audience}`, () => computeWebIdentityTrust(ctx, role, audience));
}

function computeWebIdentityTrust(ctx: ServiceAccountContext, role: IamRole, audience: string): WebIdentityTrust | null {
  const issuerUrl = ctx.cluster.eks?.oidcIssuer;
  if (!issuerUrl) return null;
  const issuer = issuerHostPath(issuerUrl);
  const parts = parseRoleArn(role.arn);
  const providerArn = oidcProviderArn(role.account || parts?.account || '', issuer, parts?.partition);
  const action = 'sts:AssumeRoleWithWebIdentity';
  const granting = statementsGranting(role.trustPolicy, { federated: providerArn }, action).map((g) => ({
    index: g.index,
    sid: g.statement.Sid,
  }));
  const evaluation = evaluateTrustPolicy(
    role.trustPolicy,
    webIdentityRequestContext({ action, issuer, providerArn, namespace: ctx.namespace, serviceAccount: ctx.name, audience }),
  );
  return { role, issuer, providerArn, granting, evaluation };
}

export interface RoleChainTrust {
  target: IamRole;
  sourceRoleArn: string;
  evaluations: TrustEvaluation[];
  blocked: TrustEvaluation | null;
}

/**
 * What EKS's chained call into a target role would get from its trust policy: the association's role session
 * calls sts:AssumeRole with the association's external id, and sts:TagSession when session tags flow, since the
 * tags carry into the chained session (AUG pod-id-assign-target-role). Shared by PI012 and fix-trust-policy.
 */
export function roleChainTrustEvaluations(
  trustPolicy: IamRole['trustPolicy'],
  chain: {
    sourceRoleArn: string;
    externalId?: string;
    disableSessionTags?: boolean;
    eks: { arn: string; name: string };
    namespace: string;
    serviceAccount: string;
  },
): TrustEvaluation[] {
  const sessionTags = chain.disableSessionTags
    ? undefined
    : {
        'eks-cluster-arn': chain.eks.arn,
        'eks-cluster-name': chain.eks.name,
        'kubernetes-namespace': chain.namespace,
        'kubernetes-service-account': chain.serviceAccount,
      };
  const actions = chain.disableSessionTags ? ['sts:AssumeRole'] : [...POD_IDENTITY_ACTIONS];
  return actions.map((action) =>
    evaluateTrustPolicy(
      trustPolicy,
      roleChainRequestContext({ action, sourceRoleArn: chain.sourceRoleArn, externalId: chain.externalId, sessionTags }),
    ),
  );
}

export function roleChainTrust(ctx: ServiceAccountContext, target: IamRole): RoleChainTrust | null {
  const a = ctx.association;
  const eks = ctx.cluster.eks;
  if (!a?.roleArn) return null;
  // Without the cluster's facts the session tags are unknown; with tags off they do not matter.
  if (!a.disableSessionTags && !eks) return null;
  const evaluations = roleChainTrustEvaluations(target.trustPolicy, {
    sourceRoleArn: a.roleArn,
    externalId: a.externalId,
    disableSessionTags: a.disableSessionTags,
    eks: { arn: eks?.arn ?? '', name: eks?.name ?? '' },
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
  });
  const blocked = evaluations.find((e) => e.decision === 'implicit-deny' || e.decision === 'explicit-deny') ?? null;
  return { target, sourceRoleArn: a.roleArn, evaluations, blocked };
}

export function roleLabel(arn: string): string {
  return roleNameOf(arn);
}
