import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import { roleNameOf } from '@/lib/model/arn';
import { lookupRole } from '../identity-context';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// IR002: the IRSA role does not exist (IAM NoSuchEntity).
export const ir002RoleMissing: ServiceAccountRule = {
  code: 'IR002',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa?.roleArnParts) return [];
    if (lookupRole(ctx.fleet, ctx.irsa.roleArn)?.status !== 'missing') return [];
    return [
      makeFinding(
        'IR002',
        serviceAccountSubject(ctx),
        `IRSA role ${roleNameOf(ctx.irsa.roleArn)} of ${ctx.namespace}/${ctx.name} does not exist`,
        {
          annotation: `${ANNOTATION_ROLE_ARN}=${ctx.irsa.roleArn}`,
          roleArn: ctx.irsa.roleArn,
          iamError: 'NoSuchEntity (GetRole)',
        },
      ),
    ];
  },
};
