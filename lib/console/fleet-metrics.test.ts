import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/model/finding';
import { metrics } from '@/lib/metrics/metrics';
import { kubeOperation } from '@/lib/kube/client';
import { recordFleetMetrics } from './fleet-metrics';
import type { FleetViewWithSnapshots } from './fleet-extensions';

const roleFinding: Finding = {
  code: 'PI003',
  severity: 'error',
  subject: { kind: 'role', arn: 'arn:aws:iam::111122223333:role/shared' },
  title: 'trust policy',
  evidence: {},
};
const saFinding = (cluster: string, name: string): Finding => ({
  code: 'PI001',
  severity: 'error',
  subject: { kind: 'serviceaccount', cluster, namespace: 'payments', name },
  title: 'no association',
  evidence: {},
});

function view(overrides: Partial<FleetViewWithSnapshots>): FleetViewWithSnapshots {
  return {
    fleet: { clusters: [{ name: 'prod', kind: 'eks' }], roles: {}, accounts: {}, sourceErrors: [], collectedAt: '2026-12-01T00:00:00Z' },
    targets: [],
    rows: [],
    clusters: [],
    errors: [],
    collectedAt: '2026-12-01T00:00:00Z',
    snapshotSources: [],
    ...overrides,
  } as unknown as FleetViewWithSnapshots;
}

async function sample(name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = await metrics().registry.getSingleMetric(name)!.get();
  return metric.values.map((value) => ({ labels: value.labels as Record<string, string | number>, value: value.value }));
}

describe('recordFleetMetrics', () => {
  it('counts a finding shown on several rows once, and drops series of findings that went away', async () => {
    const rows = [
      { cluster: 'prod', namespace: 'payments', name: 'api', mechanism: 'pod-identity', findings: [roleFinding, saFinding('prod', 'api')] },
      { cluster: 'prod', namespace: 'payments', name: 'worker', mechanism: 'pod-identity', findings: [roleFinding] },
      { cluster: 'prod', namespace: 'payments', name: 'cron', mechanism: 'none', findings: [saFinding('prod', 'cron')] },
    ] as unknown as FleetViewWithSnapshots['rows'];
    recordFleetMetrics(view({ rows }), 1.5);
    expect(await sample('wic_findings')).toEqual(
      expect.arrayContaining([
        { labels: { cluster: '', severity: 'error', code: 'PI003' }, value: 1 },
        { labels: { cluster: 'prod', severity: 'error', code: 'PI001' }, value: 2 },
      ]),
    );
    expect(await sample('wic_service_accounts')).toEqual(
      expect.arrayContaining([
        { labels: { cluster: 'prod', mechanism: 'pod-identity' }, value: 2 },
        { labels: { cluster: 'prod', mechanism: 'none' }, value: 1 },
      ]),
    );

    recordFleetMetrics(view({ rows: [rows[2]] }), 1);
    expect(await sample('wic_findings')).toEqual([{ labels: { cluster: 'prod', severity: 'error', code: 'PI001' }, value: 1 }]);
  });

  it('reports each source of a cluster up or down, and a source that failed fleet-wide', async () => {
    const errors = [
      { cluster: 'prod', source: 'iam', operation: 'GetRole', code: 'AccessDenied', message: 'denied' },
      { source: 's3', operation: 'ListObjectsV2', code: 'AccessDenied', message: 'denied' },
    ] as unknown as FleetViewWithSnapshots['errors'];
    recordFleetMetrics(view({ errors }), 1);
    const up = Object.fromEntries((await sample('wic_source_up')).map((s) => [`${s.labels.cluster}/${s.labels.source}`, s.value]));
    expect(up).toEqual({ 'prod/kubernetes': 1, 'prod/eks': 1, 'prod/iam': 0, '/s3': 0 });
  });
});

describe('kubeOperation', () => {
  it('names the RBAC verb and resource, never the object names', () => {
    expect(kubeOperation('GET', '/api/v1/pods?limit=500')).toBe('list pods');
    expect(kubeOperation('GET', '/api/v1/namespaces/payments/serviceaccounts/api')).toBe('get serviceaccounts');
    expect(kubeOperation('PATCH', '/apis/apps/v1/namespaces/payments/deployments/api')).toBe('patch deployments');
    expect(kubeOperation('POST', '/api/v1/namespaces/payments/pods/api-1/eviction')).toBe('create pods/eviction');
    expect(kubeOperation('GET', '/api/v1/namespaces')).toBe('list namespaces');
    expect(kubeOperation('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews')).toBe('create selfsubjectrulesreviews');
  });
});
