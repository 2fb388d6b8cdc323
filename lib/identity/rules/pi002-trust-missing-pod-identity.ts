import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';
import { lookupRole } from '../identity-context';
import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';
import { podIdentityTrust, roleLabel } from '../trust-checks';

// PI002: the role's trust policy has no Allow statement for pods.eks.amazonaws.com granting both
// sts:AssumeRole and sts:TagSession (wildcards count). Both actions are required even with session tags
// disabled: the catalog follows AUG pod-id-role, which lists both.
export const pi002TrustMissingPodIdentity: ServiceAccountRule = {
  code: 'PI002',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    const lookup = lookupRole(ctx.fleet, a?.roleArn);
    if (!a || lookup?.status !== 'found') return [];
    const trust = podIdentityTrust(ctx, lookup.role);
    if (trust.missingActions.length === 0) return [];
    return [
      makeFinding(
        'PI002',
        associationSubject(ctx.cluster.name, a),
        `Trust policy of role ${roleLabel(lookup.role.arn)} does not allow ${POD_IDENTITY_SERVICE_PRINCIPAL} ${trust.missingActions.join(' and ')}`,
        {
          roleArn: lookup.role.arn,
          principal: POD_IDENTITY_SERVICE_PRINCIPAL,
          missingActions: trust.missingActions,
          grants: trust.grants,
          trustPolicy: lookup.role.trustPolicy,
        },
        { type: 'fix-trust-policy', params: { roleArn: lookup.role.arn } },
      ),
    ];
  },
};
