import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';
import { lookupRole } from '../identity-context';
import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';
import { describeCondition, failingConditions, podIdentityTrust, roleLabel, statementSummaries } from '../trust-checks';

// PI003: the Pod Identity statement carries a condition that cannot match for this cluster/SA
// (principal-org/account keys never present for a service principal, SourceAccount/SourceArn of another
// cluster, session-tag conditions for another namespace/SA/cluster), or a Deny applies to it.
export const pi003TrustConditionUnmatchable: ServiceAccountRule = {
  code: 'PI003',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    const lookup = lookupRole(ctx.fleet, a?.roleArn);
    if (!a || lookup?.status !== 'found' || !ctx.cluster.eks) return [];
    const trust = podIdentityTrust(ctx, lookup.role);
    // No granting statement at all is PI002's finding.
    if (trust.missingActions.length > 0 || !trust.blocked) return [];
    const blocked = trust.blocked;
    const role = roleLabel(lookup.role.arn);
    const who = `${ctx.cluster.name}/${a.namespace}/${a.serviceAccount}`;
    let title: string;
    const failing = failingConditions(blocked);
    if (blocked.decision === 'explicit-deny') {
      title = `Trust policy of role ${role} denies ${blocked.action} to pods of ${who} (statement ${blocked.deniedBy?.sid ?? `#${blocked.deniedBy?.index}`})`;
    } else if (failing.length > 0) {
      const c = failing[0].condition;
      title =
        c.actual === null
          ? `Trust policy of role ${role} only allows ${describeCondition(c)}, which is ${c.reason?.includes('never present') ? `never present for ${POD_IDENTITY_SERVICE_PRINCIPAL}` : `absent for ${who}`}`
          : `Trust policy of role ${role} only allows ${describeCondition(c)}, but for ${who} it is ${(c.actual ?? []).join(', ')}`;
    } else {
      title = `Trust policy of role ${role} does not allow ${blocked.action} for ${who}`;
    }
    return [
      makeFinding(
        'PI003',
        associationSubject(ctx.cluster.name, a),
        title,
        {
          roleArn: lookup.role.arn,
          action: blocked.action,
          decision: blocked.decision,
          failingConditions: failing.map((f) => ({
            statement: f.sid ?? f.statement,
            operator: f.condition.operator,
            key: f.condition.key,
            expected: f.condition.expected,
            actual: f.condition.actual,
            reason: f.condition.reason,
          })),
          statements: statementSummaries(blocked),
          requestContext: {
            principal: POD_IDENTITY_SERVICE_PRINCIPAL,
            sourceAccount: ctx.cluster.eks.account,
            sourceArn: ctx.cluster.eks.arn,
            namespace: a.namespace,
            serviceAccount: a.serviceAccount,
            disableSessionTags: a.disableSessionTags ?? false,
          },
          trustPolicy: lookup.role.trustPolicy,
        },
        { type: 'fix-trust-policy', params: { roleArn: lookup.role.arn } },
      ),
    ];
  },
};
