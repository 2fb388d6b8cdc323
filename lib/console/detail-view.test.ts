import { describe, expect, it } from 'vitest';
import { buildServiceAccountDetail } from '@/lib/identity';
import { PI_ENV, healthyIrsa, healthyPodIdentity, pod } from '@/lib/identity/test-fixtures';
import type { FleetState } from '@/lib/model/cluster-state';
import type { ServiceAccountDetail } from '@/lib/model/identity-row';
import { serviceAccountDetailFromJson, serviceAccountDetailJson } from './api-shapes';
import { staleReferenceOf } from './detail-view';

function detailOf(fleet: FleetState, namespace: string, name: string): ServiceAccountDetail {
  const detail = buildServiceAccountDetail(fleet, fleet.clusters[0].name, namespace, name);
  if (!detail) throw new Error(`no ${namespace}/${name} in the fleet`);
  return detail;
}

// payments/api: associated on 2026-11-10; one pod admitted after it, one before it (without the env).
const podIdentityWithStalePod = healthyPodIdentity({
  pods: [
    pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV, startTime: '2026-11-12T10:00:00Z' }),
    pod('payments', 'api-0', { serviceAccount: 'api', startTime: '2026-11-05T10:00:00Z' }),
  ],
});

describe('service account detail', () => {
  it('serves pod details as `pods` and the counts as `podCounts`, and reads them back unchanged', () => {
    const original = detailOf(podIdentityWithStalePod, 'payments', 'api');
    const json = serviceAccountDetailJson(original, '2026-11-22T12:00:00Z');
    expect(json.pods).toHaveLength(2);
    expect(json.podCounts).toEqual({ total: 2, stale: 1 });
    expect(serviceAccountDetailFromJson(json)).toEqual(original);
  });

  it('dates stale pods against the association for PI005', () => {
    expect(staleReferenceOf(detailOf(podIdentityWithStalePod, 'payments', 'api'))).toEqual({
      change: 'association',
      at: '2026-11-10T10:00:00Z',
    });
  });

  it('dates stale pods against the annotation for IR006, and has nothing to date for a healthy IRSA SA', () => {
    const stale = healthyIrsa({ pods: [pod('shop', 'web-0', { serviceAccount: 'web' })] });
    expect(staleReferenceOf(detailOf(stale, 'shop', 'web'))?.change).toBe('annotation');
    expect(staleReferenceOf(detailOf(healthyIrsa(), 'shop', 'web'))).toBeNull();
  });
});
