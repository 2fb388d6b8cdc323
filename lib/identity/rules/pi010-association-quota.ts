import { associationLimitOf } from '../identity-facts';
import { makeFinding, type ClusterRule } from '../rule-kit';

// PI010 (cluster scope): associations ≥ 90% of the per-cluster limit (domain.md §1a: 5,000, not adjustable;
// configurable since AWS may change it).
export const ASSOCIATION_WARNING_FRACTION = 0.9;

export const pi010AssociationQuota: ClusterRule = {
  code: 'PI010',
  scope: 'cluster',
  evaluate(ctx) {
    const n = ctx.associations?.length ?? 0;
    const limit = associationLimitOf(ctx);
    const threshold = Math.ceil(limit * ASSOCIATION_WARNING_FRACTION);
    if (!ctx.isEks || n < threshold) return [];
    return [
      makeFinding(
        'PI010',
        { kind: 'cluster', cluster: ctx.name },
        `Cluster ${ctx.name} has ${n} Pod Identity associations of the ${limit} per-cluster limit`,
        { associationCount: n, limit, threshold },
      ),
    ];
  },
};
