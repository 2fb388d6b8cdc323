import { makeFinding, podEvidence, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PI006: pods of the SA run where Pod Identity does not work: Fargate (eks.amazonaws.com/compute-type=fargate)
// or Windows (kubernetes.io/os=windows) nodes (AUG pod-identities, "Considerations").
export const pi006UnsupportedNodes: ServiceAccountRule = {
  code: 'PI006',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.association || !ctx.pods) return [];
    const bad = ctx.pods.filter((p) => p.nodeKind === 'fargate' || p.nodeKind === 'windows');
    if (bad.length === 0) return [];
    const kinds = [...new Set(bad.map((p) => (p.nodeKind === 'fargate' ? 'Fargate' : 'Windows')))];
    return [
      makeFinding(
        'PI006',
        serviceAccountSubject(ctx),
        `${bad.length} pods of ${ctx.namespace}/${ctx.name} run on ${kinds.join(' and ')} nodes, where Pod Identity does not work: ${shortList(bad.map((p) => p.name))}`,
        {
          associationId: ctx.association.associationId,
          pods: bad.map((p) => ({
            ...podEvidence(p),
            nodeKind: p.nodeKind,
            nodeLabels: ctx.cluster.nodesByName?.get(p.nodeName ?? '')?.metadata.labels ?? null,
          })),
        },
      ),
    ];
  },
};
