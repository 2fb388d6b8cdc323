import { parseSessionPolicy } from '../permissions';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// PM004 (info): the association carries a session policy: the pods get the intersection of the role's
// permissions and this policy (domain.md §1a `policy`, §1d).
export const pm004SessionPolicy: ServiceAccountRule = {
  code: 'PM004',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const policy = ctx.association?.policy;
    if (!ctx.association || !policy) return [];
    const parsed = parseSessionPolicy(policy);
    return [
      makeFinding(
        'PM004',
        serviceAccountSubject(ctx),
        `The association of ${ctx.namespace}/${ctx.name} carries a session policy: its pods get only what both the role and this policy allow`,
        {
          associationId: ctx.association.associationId,
          roleArn: ctx.association.targetRoleArn ?? ctx.association.roleArn ?? null,
          ...('document' in parsed ? { policy: parsed.document } : { policyText: policy, error: parsed.error }),
        },
      ),
    ];
  },
};
