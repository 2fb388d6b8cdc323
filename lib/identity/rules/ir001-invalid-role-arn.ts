import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// IR001: the eks.amazonaws.com/role-arn annotation is not a valid IAM role ARN.
export const ir001InvalidRoleArn: ServiceAccountRule = {
  code: 'IR001',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa || ctx.irsa.roleArnParts) return [];
    return [
      makeFinding(
        'IR001',
        serviceAccountSubject(ctx),
        `Service account ${ctx.namespace}/${ctx.name} has ${ANNOTATION_ROLE_ARN}="${ctx.irsa.roleArn}", which is not an IAM role ARN`,
        {
          annotation: ANNOTATION_ROLE_ARN,
          value: ctx.irsa.roleArn,
          expectedForm: 'arn:aws:iam::<12-digit account>:role/[path/]<name>',
        },
      ),
    ];
  },
};
