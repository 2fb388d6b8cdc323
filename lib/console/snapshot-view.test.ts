import { describe, expect, it } from 'vitest';
import type { EtcdSnapshotSource, RestateSnapshotSource } from '@/lib/snapshots/types';
import { filterSnapshotSources, parseSnapshotFilters, snapshotAnchor, snapshotSourceVisible, snapshotSourcesToCsv } from './snapshot-view';

const restate: RestateSnapshotSource = {
  kind: 'restate',
  cluster: 'prod-use1',
  source: 's3://restate-snapshots/payments',
  writer: { cluster: 'prod-use1', namespace: 'restate-payments', serviceAccount: 'restate' },
  state: 'stale',
  origin: [{ kind: 'RestateCluster', cluster: 'prod-use1', name: 'restate-payments' }],
  threshold: { seconds: 7200, reason: '2x-snapshot-interval' },
  partitions: [
    {
      id: 0,
      state: 'fresh',
      ageSeconds: 2400,
      createdAt: '2026-11-22T11:20:00Z',
      snapshotId: 'snap_0',
      minAppliedLsn: 1200,
      nodeName: 'restate-0',
      path: 'lsn_1200-snap_0',
      version: 'V2',
      key: 'payments/0/latest.json',
    },
    {
      id: 1,
      state: 'unreadable',
      ageSeconds: null,
      createdAt: null,
      snapshotId: null,
      minAppliedLsn: null,
      nodeName: null,
      path: null,
      version: null,
      error: { code: 'AccessDenied', message: 'denied, "really"' },
      key: 'payments/1/latest.json',
    },
  ],
  problems: [],
  findings: [
    {
      code: 'SN001',
      severity: 'warning',
      subject: { kind: 'snapshot-source', source: 's3://restate-snapshots/payments' },
      title: 'stale',
      evidence: {},
    },
  ],
};

const etcd: EtcdSnapshotSource = {
  kind: 'etcd',
  cluster: 'edge-k3s',
  source: 'edge-k3s/s3',
  state: 'failing',
  origin: [{ kind: 'ETCDSnapshotFile', cluster: 'edge-k3s' }],
  records: 'ETCDSnapshotFile',
  schedule: { expression: '0 */12 * * *', intervalSeconds: 43200 },
  locations: [
    {
      location: 's3',
      kind: 's3',
      state: 'failing',
      newestSuccess: { name: 'etcd-snapshot-1', time: '2026-11-21T10:00:00Z', ageSeconds: 93600 },
      recentFailures: [{ name: 'etcd-snapshot-2', time: '2026-11-22T10:00:00Z', message: 'Access Denied' }],
      timeline: [],
    },
  ],
  problems: [],
  findings: [],
};

const configOnly: RestateSnapshotSource = {
  ...restate,
  cluster: undefined,
  writer: undefined,
  source: 's3://outside/restate',
  origin: [{ kind: 'console-config', index: 0 }],
};

const scope = (o: { admin?: boolean; clusters?: string[]; namespaces?: string[] }) => ({
  isAdmin: o.admin ?? false,
  canSeeCluster: (cluster: string) => (o.clusters ?? []).includes(cluster),
  canSeeNamespace: (_cluster: string, namespace: string) => (o.namespaces ?? []).includes(namespace),
});

describe('snapshot sources for the API and the page', () => {
  it('a Restate source follows its writer namespace, an etcd one its cluster, a config-only one is for admins', () => {
    const payments = scope({ clusters: ['prod-use1'], namespaces: ['restate-payments'] });
    expect(snapshotSourceVisible(restate, payments)).toBe(true);
    expect(snapshotSourceVisible(etcd, payments)).toBe(false);
    expect(snapshotSourceVisible(configOnly, payments)).toBe(false);
    expect(snapshotSourceVisible(etcd, scope({ clusters: ['edge-k3s'] }))).toBe(true);
    expect(snapshotSourceVisible(configOnly, scope({ admin: true }))).toBe(true);
  });

  it('filters by cluster, state and kind, with errors for unknown values', () => {
    const parsed = parseSnapshotFilters(new URLSearchParams('state=stale,failing&kind=restate'));
    expect(parsed.success && filterSnapshotSources([restate, etcd], parsed.data).map((source) => source.source)).toEqual([
      's3://restate-snapshots/payments',
    ]);
    const cluster = parseSnapshotFilters(new URLSearchParams('cluster=edge-k3s'));
    expect(cluster.success && filterSnapshotSources([restate, etcd, configOnly], cluster.data).map((source) => source.source)).toEqual([
      'edge-k3s/s3',
    ]);
    const bad = parseSnapshotFilters(new URLSearchParams('state=late'));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toContain('unknown state "late"');
  });

  it('CSV has one line per partition or location, with quoted errors', () => {
    const lines = snapshotSourcesToCsv([restate, etcd]).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'kind,cluster,source,writer,sourceState,partitionOrLocation,state,ageSeconds,snapshot,lsn,node,error,findingCodes',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      'restate,prod-use1,s3://restate-snapshots/payments,prod-use1/restate-payments/restate,stale,0,fresh,2400,snap_0,1200,restate-0,,SN001',
    );
    expect(lines[2]).toContain(',"AccessDenied: denied, ""really""",');
    expect(lines[3]).toBe('etcd,edge-k3s,edge-k3s/s3,,failing,s3,failing,93600,etcd-snapshot-1,,,Access Denied,');
  });

  it('anchors are stable ids made from the source', () => {
    expect(snapshotAnchor('s3://restate-snapshots/payments')).toBe('source-s3-restate-snapshots-payments');
  });
});
