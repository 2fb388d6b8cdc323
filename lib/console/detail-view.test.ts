import { describe, expect, it } from 'vitest';
import type { ServiceAccountDetail } from '@/lib/model/identity-row';
import { serviceAccountDetailFromJson, serviceAccountDetailJson } from './api-shapes';
import { staleReferenceOf } from './detail-view';
import { buildDevFleet, detailKey } from './dev-fixture';

const fleet = buildDevFleet(Date.parse('2026-11-22T12:00:00Z'), 0);
const detail = (cluster: string, namespace: string, name: string): ServiceAccountDetail => {
  const found = fleet.details.get(detailKey(cluster, namespace, name));
  if (!found) throw new Error(`no ${cluster}/${namespace}/${name} in the fixture`);
  return found;
};

describe('service account detail', () => {
  it('serves pod details as `pods` and the counts as `podCounts`, and reads them back unchanged', () => {
    const original = detail('prod-use1', 'payments', 'payments-api');
    const json = serviceAccountDetailJson(original, '2026-11-22T12:00:00Z');
    expect(json.pods).toHaveLength(4);
    expect(json.podCounts).toEqual({ total: 4, stale: 1 });
    expect(serviceAccountDetailFromJson(json)).toEqual(original);
  });

  it('dates stale pods against the association for PI005 and against the annotation for IR006', () => {
    expect(staleReferenceOf(detail('prod-use1', 'payments', 'payments-api'))).toEqual({ change: 'association', at: '2026-11-22T06:00:00.000Z' });
    expect(staleReferenceOf(detail('staging-euw1', 'data', 'ingest'))).toEqual({ change: 'annotation', at: '2026-11-21T12:00:00.000Z' });
    expect(staleReferenceOf(detail('edge-k3s', 'iot', 'default'))).toBeNull();
  });
});
