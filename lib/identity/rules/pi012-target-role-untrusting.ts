import { lookupRole } from '../identity-context';
import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';
import { failingConditions, roleChainTrust, roleLabel, statementSummaries } from '../trust-checks';

// PI012: a target role is set and its trust policy does not trust the association's role: EKS assumes
// roleArn, then chains into targetRoleArn with sts:AssumeRole (and sts:TagSession when session tags flow).
export const pi012TargetRoleUntrusting: ServiceAccountRule = {
  code: 'PI012',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a?.targetRoleArn || !a.roleArn) return [];
    const target = lookupRole(ctx.fleet, a.targetRoleArn);
    if (target?.status !== 'found') return [];
    const chain = roleChainTrust(ctx, target.role);
    if (!chain?.blocked) return [];
    const failing = failingConditions(chain.blocked);
    return [
      makeFinding(
        'PI012',
        associationSubject(ctx.cluster.name, a),
        `Target role ${roleLabel(a.targetRoleArn)} does not trust role ${roleLabel(a.roleArn)} for ${chain.blocked.action} (association ${a.associationId})`,
        {
          targetRoleArn: a.targetRoleArn,
          sourceRoleArn: a.roleArn,
          action: chain.blocked.action,
          decision: chain.blocked.decision,
          externalId: a.externalId ?? null,
          failingConditions: failing.map((f) => ({
            statement: f.sid ?? f.statement,
            operator: f.condition.operator,
            key: f.condition.key,
            expected: f.condition.expected,
            actual: f.condition.actual,
            reason: f.condition.reason,
          })),
          statements: statementSummaries(chain.blocked),
          trustPolicy: target.role.trustPolicy,
        },
        // fix-trust-policy finds every association that chains into the target role and trusts each one's role
        // with its external id.
        { type: 'fix-trust-policy', params: { roleArn: a.targetRoleArn } },
      ),
    ];
  },
};
