import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/model/kube-objects';
import { evaluateEtcdSnapshots } from './etcd';
import { scheduleIntervalSeconds } from './schedule';
import { clusterState } from './testing/in-memory-s3';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();
const DEFAULT = '0 */12 * * *';

function snapshotFile(
  name: string,
  storage: string,
  status: Record<string, unknown>,
  options: { rke2?: boolean; label?: boolean } = {},
): KubeObject {
  const s3 = storage === 's3';
  return {
    apiVersion: 'k3s.cattle.io/v1',
    kind: 'ETCDSnapshotFile',
    metadata: {
      name: `${name}-${storage}`,
      labels: options.label === false ? {} : { [`etcd.${options.rke2 ? 'rke2' : 'k3s'}.cattle.io/snapshot-storage-node`]: storage },
    },
    spec: {
      snapshotName: name,
      nodeName: s3 ? 'server-0' : storage,
      location: s3 ? `s3://etcd-backups/edge/${name}` : `file:///var/lib/rancher/k3s/server/db/snapshots/${name}`,
      ...(s3 ? { s3: { bucket: 'etcd-backups', prefix: 'edge', region: 'us-east-1', endpoint: 's3.amazonaws.com' } } : {}),
    },
    status,
  };
}

const ok = (name: string, storage: string, hours: number) =>
  snapshotFile(name, storage, { creationTime: hoursAgo(hours), readyToUse: true, size: '3051552' });
const failed = (name: string, storage: string, hours: number, message: string) =>
  snapshotFile(name, storage, { creationTime: hoursAgo(hours), readyToUse: false, error: { time: hoursAgo(hours), message } });

describe('K3s/RKE2 etcd snapshots from ETCDSnapshotFile CRs', () => {
  it('gives each storage location its newest success and age; the default schedule is every 12 h', () => {
    const cluster = clusterState(
      'edge',
      {
        etcdSnapshotFiles: [
          ok('etcd-snapshot-server-0-1', 'server-0', 14),
          ok('etcd-snapshot-server-0-2', 'server-0', 2),
          ok('etcd-snapshot-server-0-2', 's3', 2),
        ],
      },
      { kind: 'k3s' },
    );
    const sources = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(sources.map((source) => source.source)).toEqual(['edge/server-0', 'edge/s3']);
    expect(sources.every((source) => source.state === 'fresh' && source.findings.length === 0)).toBe(true);
    expect(sources[0].schedule).toEqual({ expression: DEFAULT, intervalSeconds: 43_200 });
    expect(sources[0].locations[0]).toMatchObject({
      location: 'server-0',
      kind: 'node',
      newestSuccess: { name: 'etcd-snapshot-server-0-2', ageSeconds: 7200, size: '3051552' },
    });
    expect(sources[1].locations[0]).toMatchObject({ location: 's3', kind: 's3', s3: { bucket: 'etcd-backups', prefix: 'edge' } });
    expect(sources[0].records).toBe('ETCDSnapshotFile');
  });

  it('fires SN004 for a readyToUse=false snapshot with status.error in the last 24 h, with the message as evidence', () => {
    const message = 'failed to upload snapshot to S3: AccessDenied: Access Denied\n\tstatus code: 403';
    const cluster = clusterState('edge', {
      etcdSnapshotFiles: [
        ok('snap-1', 'server-0', 3),
        ok('snap-0', 's3', 30),
        failed('snap-1', 's3', 3, message),
        failed('snap-old', 's3', 27, 'older failure'),
      ],
    });
    const [, s3] = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(s3.state).toBe('failing');
    const sn004 = s3.findings.find((finding) => finding.code === 'SN004')!;
    expect(sn004.severity).toBe('error');
    expect(sn004.subject).toEqual({ kind: 'snapshot-source', source: 'edge/s3', cluster: 'edge' });
    expect(sn004.title).toBe(
      'etcd snapshot to S3 on edge failed once in the last 24 h: failed to upload snapshot to S3: AccessDenied: Access Denied',
    );
    expect(sn004.evidence).toMatchObject({ message, failures: [{ name: 'snap-1', message }] });
    expect(s3.locations[0].recentFailures).toHaveLength(1); // the 27 h old failure is outside the window
    expect(s3.locations[0].timeline.map((entry) => [entry.name, entry.ok])).toEqual([
      ['snap-0', true],
      ['snap-old', false],
      ['snap-1', false],
    ]);
  });

  it('ignores failures older than 24 h for SN004', () => {
    const cluster = clusterState('edge', { etcdSnapshotFiles: [ok('snap-2', 's3', 5), failed('snap-1', 's3', 25, 'timeout')] });
    const [s3] = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(s3.findings).toEqual([]);
    expect(s3.state).toBe('fresh');
  });

  it('does not count a snapshot still being written (not ready, no error) as success or failure', () => {
    const cluster = clusterState('edge', {
      etcdSnapshotFiles: [
        ok('snap-1', 'server-0', 5),
        snapshotFile('snap-2', 'server-0', { creationTime: hoursAgo(0.1), readyToUse: false }),
      ],
    });
    const [node] = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(node.locations[0].newestSuccess?.name).toBe('snap-1');
    expect(node.locations[0].timeline.map((entry) => entry.name)).toEqual(['snap-1']);
  });

  it('fires SN005 per location when the newest success is older than 1.5 × the schedule interval', () => {
    const cluster = clusterState('edge', {
      etcdSnapshotFiles: [
        ok('a', 'server-0', 17),
        ok('b', 'server-1', 19),
        failed('c', 's3', 2, 'NoCredentialProviders: no valid providers in chain'),
      ],
    });
    const byLocation = Object.fromEntries(
      evaluateEtcdSnapshots(cluster, DEFAULT, NOW).map((source) => [source.locations[0].location, source]),
    );
    expect(byLocation['server-0'].findings).toEqual([]); // 17 h < 18 h
    expect(byLocation['server-1'].state).toBe('stale');
    expect(byLocation['server-1'].findings.map((finding) => finding.code)).toEqual(['SN005']);
    expect(byLocation['server-1'].findings[0]).toMatchObject({
      severity: 'warning',
      title: 'Newest successful etcd snapshot in node server-1 on edge is 19 h old (expected every 12 h)',
      evidence: { ageSeconds: 19 * 3600, intervalSeconds: 43_200, limitSeconds: 64_800 },
    });
    expect(byLocation.s3.findings.map((finding) => finding.code).sort()).toEqual(['SN004', 'SN005']);
    expect(byLocation.s3.findings.find((finding) => finding.code === 'SN005')?.title).toBe('No successful etcd snapshot in S3 on edge');

    const hourly = evaluateEtcdSnapshots(cluster, '0 * * * *', NOW);
    expect(hourly.find((source) => source.source === 'edge/server-0')?.findings.map((finding) => finding.code)).toEqual(['SN005']);
  });

  it('reads the RKE2 storage label, and falls back to spec.location and nodeName without a label', () => {
    const cluster = clusterState(
      'rke',
      {
        etcdSnapshotFiles: [
          ok('a', 'cp-0', 1),
          snapshotFile('b', 's3', { creationTime: hoursAgo(1), readyToUse: true }, { label: false }),
        ].map((file, index) =>
          index === 0 ? { ...file, metadata: { ...file.metadata, labels: { 'etcd.rke2.cattle.io/snapshot-storage-node': 'cp-0' } } } : file,
        ),
      },
      { kind: 'rke2' },
    );
    expect(evaluateEtcdSnapshots(cluster, DEFAULT, NOW).map((source) => source.source)).toEqual(['rke/cp-0', 'rke/s3']);
  });
});

describe('K3s/RKE2 etcd snapshots from the legacy ConfigMap', () => {
  const entry = (name: string, nodeName: string, hours: number, status?: 'successful' | 'failed', message?: string) =>
    JSON.stringify({
      name,
      location: nodeName === 's3' ? `s3://etcd-backups/${name}` : `file:///var/lib/rancher/k3s/server/db/snapshots/${name}`,
      nodeName,
      createdAt: hoursAgo(hours),
      size: 2048,
      ...(status ? { status } : {}),
      ...(message ? { message: Buffer.from(message).toString('base64') } : {}),
    });

  it('is used when there are no ETCDSnapshotFile CRs, with the base64 message decoded', () => {
    const cluster = clusterState(
      'old-k3s',
      {
        etcdSnapshotFiles: [],
        configMaps: [
          {
            metadata: { name: 'k3s-etcd-snapshots', namespace: 'kube-system' },
            data: {
              'local-etcd-snapshot-a': entry('etcd-snapshot-a', 'node-a', 2, 'successful'),
              'local-etcd-snapshot-legacy': entry('etcd-snapshot-legacy', 'node-a', 30),
              's3-etcd-snapshot-a': entry('etcd-snapshot-a', 's3', 2, 'failed', 'AccessDenied: Access Denied'),
            },
          },
        ],
      },
      { kind: 'k3s' },
    );
    const sources = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(sources.map((source) => [source.source, source.state, source.records])).toEqual([
      ['old-k3s/node-a', 'fresh', 'ConfigMap'],
      ['old-k3s/s3', 'failing', 'ConfigMap'],
    ]);
    expect(sources[0].locations[0].timeline.map((item) => item.ok)).toEqual([true, true]); // no status field = successful
    expect(sources[1].findings.find((finding) => finding.code === 'SN004')?.evidence.message).toBe('AccessDenied: Access Denied');
    expect(sources[1].origin).toEqual([{ kind: 'ConfigMap', cluster: 'old-k3s', namespace: 'kube-system', name: 'k3s-etcd-snapshots' }]);
  });

  it('reads rke2-etcd-snapshots too, and reports a malformed entry as a problem', () => {
    const cluster = clusterState('old-rke2', {
      etcdSnapshotFiles: null,
      configMaps: [
        {
          metadata: { name: 'rke2-etcd-snapshots', namespace: 'kube-system' },
          data: { good: entry('s', 'cp-1', 1, 'successful'), bad: '{not json' },
        },
      ],
    });
    const [source] = evaluateEtcdSnapshots(cluster, DEFAULT, NOW);
    expect(source.source).toBe('old-rke2/cp-1');
    expect(source.problems[0].reason).toContain('Entry bad of ConfigMap kube-system/rke2-etcd-snapshots');
  });

  it('finds nothing on a cluster with neither records nor the ConfigMap', () => {
    expect(evaluateEtcdSnapshots(clusterState('eks', { etcdSnapshotFiles: [], configMaps: [] }), DEFAULT, NOW)).toEqual([]);
  });
});

describe('schedule interval', () => {
  it('is the widest gap between scheduled runs', () => {
    expect(scheduleIntervalSeconds('0 */12 * * *')).toBe(43_200);
    expect(scheduleIntervalSeconds('*/30 * * * *')).toBe(1800);
    expect(scheduleIntervalSeconds('0 2 * * 1-5')).toBe(3 * 86_400); // Friday 02:00 to Monday 02:00
    expect(scheduleIntervalSeconds('@daily')).toBe(86_400);
    expect(scheduleIntervalSeconds('@every 6h')).toBe(21_600);
  });

  it('rejects expressions K3s would not accept, naming them', () => {
    expect(() => scheduleIntervalSeconds('0 0 */12 * * *')).toThrow('"0 0 */12 * * *" must have the 5 standard fields');
    expect(() => scheduleIntervalSeconds('0 25 * * *')).toThrow('cron schedule "0 25 * * *" is invalid');
  });
});
