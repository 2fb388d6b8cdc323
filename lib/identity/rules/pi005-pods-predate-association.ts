import { POD_IDENTITY_ENV } from '@/lib/model/kube-objects';
import { formatTimestamp } from '@/lib/console/format';
import { makeFinding, podEvidence, rollPodsAction, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// PI005: pods of the SA lack AWS_CONTAINER_CREDENTIALS_FULL_URI in every container: the webhook injects it
// only at admission, so they were admitted before the association existed (domain.md §1a).
export const pi005PodsPredateAssociation: ServiceAccountRule = {
  code: 'PI005',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a || !ctx.pods) return [];
    const stale = ctx.pods.filter((p) => !p.hasPodIdentityEnv);
    if (stale.length === 0) return [];
    const createdAt = a.createdAt ?? null;
    return [
      makeFinding(
        'PI005',
        serviceAccountSubject(ctx),
        `${stale.length} of ${ctx.pods.length} pods of ${ctx.namespace}/${ctx.name} lack Pod Identity credentials (${POD_IDENTITY_ENV}); they were admitted before association ${a.associationId}${createdAt ? ` (created ${formatTimestamp(createdAt)})` : ''}`,
        {
          associationId: a.associationId,
          associationCreatedAt: createdAt,
          missingEnv: POD_IDENTITY_ENV,
          pods: stale.map((p) => ({ ...podEvidence(p, createdAt), mechanism: p.mechanism })),
        },
        rollPodsAction(ctx),
      ),
    ];
  },
};
