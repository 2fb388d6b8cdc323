import type { Finding } from '@/lib/model/finding';
import { evaluateTrustPolicy, statementsGranting } from '@/lib/policy/policy-evaluator';
import { POD_IDENTITY_SERVICE_PRINCIPAL, podIdentityRequestContext } from '@/lib/policy/request-contexts';
import { makeFinding, type ClusterRule } from '../rule-kit';
import { roleLabel } from '../trust-checks';

const PER_SA_TAGS = ['aws:requesttag/kubernetes-namespace', 'aws:requesttag/kubernetes-service-account'];

// PI008 (cluster scope): a role in the cluster's account trusts pods.eks.amazonaws.com (with conditions, if
// any, that allow this cluster) but no association in any configured cluster uses it: ready, bound to
// nothing (e.g. terraform-aws-modules/eks < 20.10.0's Karpenter submodule, domain.md §3).
// Needs every cluster's associations with their roles: one unreadable list and "unused" is unknowable.
export const pi008UnboundPodIdentityRole: ClusterRule = {
  code: 'PI008',
  scope: 'cluster',
  evaluate(ctx) {
    const eks = ctx.eks;
    if (!eks) return [];
    const roles = ctx.fleet.accounts[eks.account]?.roles;
    if (!roles) return [];
    const used = new Set<string>();
    for (const c of ctx.fleet.clusters) {
      if (c.kind !== 'eks' && !c.eks) continue;
      const list = c.eks?.associations;
      if (!list) return [];
      for (const a of list) {
        if (!a.roleArn) return [];
        used.add(a.roleArn);
        if (a.targetRoleArn) used.add(a.targetRoleArn);
      }
    }
    const out: Finding[] = [];
    for (const role of roles) {
      if (used.has(role.arn)) continue;
      const granting = statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, 'sts:AssumeRole');
      if (granting.length === 0) continue;
      const evaluation = evaluateTrustPolicy(
        role.trustPolicy,
        podIdentityRequestContext({ action: 'sts:AssumeRole', clusterArn: eks.arn, clusterName: eks.name, clusterAccount: eks.account }),
      );
      // Conditions on the namespace/SA tags are unknown for "some SA of this cluster"; anything else unknown is not a yes.
      const allowsCluster =
        evaluation.decision === 'allow' ||
        (evaluation.decision === 'unknown' &&
          evaluation.statements.some(
            (s) =>
              s.effect === 'Allow' &&
              s.principalMatches &&
              s.actionMatches &&
              s.conditions.every((c) => c.outcome === 'pass' || (c.outcome === 'unknown' && PER_SA_TAGS.includes(c.key.toLowerCase()))),
          ));
      if (!allowsCluster) continue;
      // When the trust pins one namespace and SA with StringEquals, the action can be filled in.
      const params: Record<string, unknown> = { cluster: ctx.name, roleArn: role.arn };
      for (const g of granting) {
        for (const [key, values] of Object.entries(g.statement.Condition?.StringEquals ?? {})) {
          const list = Array.isArray(values) ? values : [values];
          if (list.length !== 1) continue;
          if (key.toLowerCase() === PER_SA_TAGS[0]) params.namespace = String(list[0]);
          if (key.toLowerCase() === PER_SA_TAGS[1]) params.serviceAccount = String(list[0]);
        }
      }
      out.push(
        makeFinding(
          'PI008',
          { kind: 'cluster', cluster: ctx.name },
          `Role ${roleLabel(role.arn)} trusts ${POD_IDENTITY_SERVICE_PRINCIPAL} for cluster ${ctx.name} but no association in any configured cluster uses it`,
          {
            roleArn: role.arn,
            account: eks.account,
            grantingStatements: granting.map((g) => g.statement.Sid ?? g.index),
            decision: evaluation.decision,
            trustPolicy: role.trustPolicy,
          },
          { type: 'create-association', params },
        ),
      );
    }
    return out;
  },
};
