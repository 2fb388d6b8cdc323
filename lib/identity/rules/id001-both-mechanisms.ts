import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import type { PodFacts } from '../identity-context';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// ID001: the SA has both an association and an IRSA annotation. New pods get only the Pod Identity vars
// (webhook handler.go buildPodPatchConfig: container credentials take precedence); a pod that carries both
// sets uses IRSA, because web identity comes before the container endpoint in the SDK chain (domain.md §1).
function actualUse(p: PodFacts): string {
  switch (p.mechanism) {
    case 'both':
      return 'carries both IRSA and Pod Identity env: the SDK uses IRSA (web identity comes first in the chain)';
    case 'irsa':
      return 'carries only IRSA env: uses IRSA';
    case 'pod-identity':
      return 'carries only Pod Identity env: uses Pod Identity';
    case 'static-keys':
      return 'sets static keys, which override both';
    default:
      return 'carries neither: falls through to the node role';
  }
}

export const id001BothMechanisms: ServiceAccountRule = {
  code: 'ID001',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a || !ctx.irsa) return [];
    const pods = ctx.pods?.map((p) => ({ pod: p.name, startTime: p.startTime, mechanism: p.mechanism, uses: actualUse(p) })) ?? null;
    return [
      makeFinding(
        'ID001',
        serviceAccountSubject(ctx),
        `Service account ${ctx.namespace}/${ctx.name} has both association ${a.associationId} and ${ANNOTATION_ROLE_ARN}: new pods get only Pod Identity, pods carrying both use IRSA`,
        {
          associationId: a.associationId,
          associationRoleArn: a.roleArn ?? null,
          annotation: `${ANNOTATION_ROLE_ARN}=${ctx.irsa.roleArn}`,
          newPodsGet: 'pod-identity',
          pods,
          alternativeAction: { type: 'delete-association', params: { cluster: ctx.cluster.name, associationId: a.associationId } },
        },
        { type: 'remove-irsa-annotation', params: { cluster: ctx.cluster.name, namespace: ctx.namespace, serviceAccount: ctx.name } },
      ),
    ];
  },
};
