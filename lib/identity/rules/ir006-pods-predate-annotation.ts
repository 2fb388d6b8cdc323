import { ANNOTATION_ROLE_ARN, IRSA_ENV } from '@/lib/model/kube-objects';
import { makeFinding, podEvidence, rollPodsAction, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// IR006: pods of the SA lack AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE and the SA has no association:
// they were admitted before the annotation (the webhook never mutates running pods). With an association
// new pods get Pod Identity instead, so missing IRSA env is expected then (ID001/PI005 speak).
export const ir006PodsPredateAnnotation: ServiceAccountRule = {
  code: 'IR006',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa || !ctx.pods || !ctx.associationsKnown || ctx.association) return [];
    const stale = ctx.pods.filter((p) => !p.hasIrsaEnv);
    if (stale.length === 0) return [];
    return [
      makeFinding(
        'IR006',
        serviceAccountSubject(ctx),
        `${stale.length} of ${ctx.pods.length} pods of ${ctx.namespace}/${ctx.name} lack IRSA credentials (${IRSA_ENV.join(', ')}); they were admitted before the ${ANNOTATION_ROLE_ARN} annotation`,
        {
          annotation: `${ANNOTATION_ROLE_ARN}=${ctx.irsa.roleArn}`,
          serviceAccountCreatedAt: ctx.serviceAccount?.metadata.creationTimestamp ?? null,
          missingEnv: [...IRSA_ENV],
          pods: stale.map((p) => ({ ...podEvidence(p), mechanism: p.mechanism })),
        },
        rollPodsAction(ctx),
      ),
    ];
  },
};
