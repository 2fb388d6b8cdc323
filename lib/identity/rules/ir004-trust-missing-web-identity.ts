import { lookupRole } from '../identity-context';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';
import { roleLabel, webIdentityTrust } from '../trust-checks';

// IR004: no Allow statement for sts:AssumeRoleWithWebIdentity with Principal.Federated = this cluster's
// OIDC provider ARN (arn:aws:iam::<role account>:oidc-provider/<issuer host+path>).
export const ir004TrustMissingWebIdentity: ServiceAccountRule = {
  code: 'IR004',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa?.roleArnParts) return [];
    const lookup = lookupRole(ctx.fleet, ctx.irsa.roleArn);
    if (lookup?.status !== 'found') return [];
    const trust = webIdentityTrust(ctx, lookup.role, ctx.irsa.audience);
    if (!trust || trust.granting.length > 0) return [];
    return [
      makeFinding(
        'IR004',
        serviceAccountSubject(ctx),
        `Trust policy of role ${roleLabel(lookup.role.arn)} has no sts:AssumeRoleWithWebIdentity statement for the OIDC provider of cluster ${ctx.cluster.name}`,
        {
          roleArn: lookup.role.arn,
          expectedFederatedPrincipal: trust.providerArn,
          action: 'sts:AssumeRoleWithWebIdentity',
          trustPolicy: lookup.role.trustPolicy,
        },
      ),
    ];
  },
};
