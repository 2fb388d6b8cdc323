import { ASSOCIATIONS_PER_CLUSTER_LIMIT } from '../identity-facts';
import { makeFinding, type ClusterRule } from '../rule-kit';

// PI010 (cluster scope): associations ≥ 900 of the 1000 per-cluster limit (AUG service-quotas; not adjustable).
export const ASSOCIATION_WARNING_THRESHOLD = 900;

export const pi010AssociationQuota: ClusterRule = {
  code: 'PI010',
  scope: 'cluster',
  evaluate(ctx) {
    const n = ctx.associations?.length ?? 0;
    if (!ctx.isEks || n < ASSOCIATION_WARNING_THRESHOLD) return [];
    return [
      makeFinding(
        'PI010',
        { kind: 'cluster', cluster: ctx.name },
        `Cluster ${ctx.name} has ${n} Pod Identity associations of the ${ASSOCIATIONS_PER_CLUSTER_LIMIT} per-cluster limit`,
        {
          associationCount: n,
          limit: ASSOCIATIONS_PER_CLUSTER_LIMIT,
          threshold: ASSOCIATION_WARNING_THRESHOLD,
        },
      ),
    ];
  },
};
