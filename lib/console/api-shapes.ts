import type { PodDetail, ServiceAccountDetail, ServiceAccountRow } from '@/lib/model/identity-row';

// api.md: GET /api/v1/serviceaccounts/{cluster}/{namespace}/{name} is "the same row, plus chain[] and pods[]".
// The row's pod counts move to `podCounts` so that `pods` can carry the per-pod details.

export type ServiceAccountDetailJson = Omit<ServiceAccountRow, 'pods'> & {
  podCounts: ServiceAccountRow['pods'];
  chain: ServiceAccountDetail['chain'];
  pods: PodDetail[];
  collectedAt?: string;
};

export function serviceAccountDetailJson(detail: ServiceAccountDetail, collectedAt?: string): ServiceAccountDetailJson {
  const { pods: podCounts, podDetails, ...row } = detail;
  return { ...row, podCounts, pods: podDetails, ...(collectedAt ? { collectedAt } : {}) };
}

export function serviceAccountDetailFromJson(json: ServiceAccountDetailJson): ServiceAccountDetail {
  const { podCounts, pods, collectedAt: _collectedAt, ...row } = json;
  void _collectedAt;
  return { ...row, pods: podCounts, podDetails: pods };
}
