import { lookupRole } from '../identity-context';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';
import { describeCondition, failingConditions, roleLabel, statementSummaries, webIdentityTrust } from '../trust-checks';

// IR005: the web-identity statement exists but its conditions exclude this SA: <issuer>:sub is not
// system:serviceaccount:NS:NAME, or <issuer>:aud is not the SA's audience (or a Deny applies).
export const ir005TrustExcludesServiceAccount: ServiceAccountRule = {
  code: 'IR005',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa?.roleArnParts) return [];
    const lookup = lookupRole(ctx.fleet, ctx.irsa.roleArn);
    if (lookup?.status !== 'found') return [];
    const trust = webIdentityTrust(ctx, lookup.role, ctx.irsa.audience);
    if (!trust || trust.granting.length === 0) return [];
    const ev = trust.evaluation;
    if (ev.decision !== 'implicit-deny' && ev.decision !== 'explicit-deny') return [];
    const failing = failingConditions(ev);
    const sub = `system:serviceaccount:${ctx.namespace}:${ctx.name}`;
    const title =
      ev.decision === 'explicit-deny'
        ? `Trust policy of role ${roleLabel(lookup.role.arn)} denies ${sub} (statement ${ev.deniedBy?.sid ?? `#${ev.deniedBy?.index}`})`
        : failing.length > 0
          ? `Trust policy of role ${roleLabel(lookup.role.arn)} only allows ${describeCondition(failing[0].condition)}, not ${(failing[0].condition.actual ?? ['(absent)']).join(', ')}`
          : `Trust policy of role ${roleLabel(lookup.role.arn)} does not allow ${sub}`;
    return [
      makeFinding('IR005', serviceAccountSubject(ctx), title, {
        roleArn: lookup.role.arn,
        requestContext: { federated: trust.providerArn, [`${trust.issuer}:sub`]: sub, [`${trust.issuer}:aud`]: ctx.irsa.audience },
        failingConditions: failing.map((f) => ({
          statement: f.sid ?? f.statement,
          operator: f.condition.operator,
          key: f.condition.key,
          expected: f.condition.expected,
          actual: f.condition.actual,
          reason: f.condition.reason,
        })),
        statements: statementSummaries(ev),
        trustPolicy: lookup.role.trustPolicy,
      }),
    ];
  },
};
