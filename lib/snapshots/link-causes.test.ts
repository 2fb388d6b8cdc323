import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/model/finding';
import { evaluateEtcdSnapshots } from './etcd';
import { linkSnapshotCauses } from './link-causes';
import { judgeRestateSource, restateThreshold } from './restate-source';
import { snapshotStateForServiceAccounts } from './service-account-state';
import { clusterState } from './testing/in-memory-s3';
import type { RestatePartition, RestateSnapshotSettings, SnapshotSource } from './types';

const writer = { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' };

function partition(id: number, ageSeconds: number | null): RestatePartition {
  return {
    id,
    key: `p/${id}/latest.json`,
    state: ageSeconds === null ? 'missing' : 'fresh',
    ...(ageSeconds === null ? { missingReason: 'no-latest-json' as const } : {}),
    ageSeconds,
    createdAt: null,
    snapshotId: ageSeconds === null ? null : `snap_${id}`,
    minAppliedLsn: null,
    nodeName: null,
    path: null,
    version: ageSeconds === null ? null : 'V2',
  };
}

function restateSource(url: string, ages: (number | null)[], settings: Partial<RestateSnapshotSettings> = {}, sourceWriter = writer) {
  return judgeRestateSource(
    {
      cluster: sourceWriter.cluster,
      source: url,
      writer: sourceWriter,
      origin: [],
      settings: { credentialSource: 'default-chain', ...settings },
      threshold: restateThreshold({}),
      problems: [],
    },
    { partitions: ages.map((age, id) => partition(id, age)) },
  );
}

const identityFinding = (code: string, severity: Finding['severity'], title: string): Finding => ({
  code,
  severity,
  subject: { kind: 'serviceaccount', cluster: 'prod', namespace: 'restate', name: 'restate' },
  title,
  evidence: {},
});

describe('SN006: the writer identity finding next to the stale snapshots', () => {
  const stale = restateSource('s3://snaps/prod', [3600, 4 * 86_400]);

  it('links a stale source to an error-severity identity finding of its writer', () => {
    const findings = new Map([
      [
        'prod/restate/restate',
        [
          identityFinding('PI002', 'error', 'Trust policy of restate-snapshots has no statement for pods.eks.amazonaws.com'),
          identityFinding('ST002', 'info', 'not regional'),
        ],
      ],
    ]);
    const [linked] = linkSnapshotCauses([stale], findings);
    const sn006 = linked.findings.find((finding) => finding.code === 'SN006')!;
    expect(sn006.severity).toBe('warning');
    expect(sn006.title).toBe('Snapshots of s3://snaps/prod are stale and their writer restate/restate cannot get credentials (PI002)');
    expect(sn006.evidence).toMatchObject({
      symptoms: [{ code: 'SN001' }],
      causes: [
        { code: 'PI002', severity: 'error', title: 'Trust policy of restate-snapshots has no statement for pods.eks.amazonaws.com' },
      ],
      writer,
    });
    expect(sn006.action).toEqual({
      type: 'open-serviceaccount',
      params: { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' },
    });
    // Linking twice does not duplicate it.
    expect(linkSnapshotCauses([linked], findings)[0].findings.filter((finding) => finding.code === 'SN006')).toHaveLength(1);
  });

  it('does not link when the identity finding is only a warning, or the source is fresh', () => {
    const warnings = new Map([['prod/restate/restate', [identityFinding('PI005', 'warning', 'pods predate the association')]]]);
    expect(linkSnapshotCauses([stale], warnings)[0].findings.map((finding) => finding.code)).toEqual(['SN001']);
    const fresh = restateSource('s3://snaps/prod', [3600]);
    const errors = new Map([['prod/restate/restate', [identityFinding('IR002', 'error', 'role does not exist')]]]);
    expect(linkSnapshotCauses([fresh], errors)[0].findings).toEqual([]);
  });

  it('does not blame the service account of a writer that uses static keys, nor link etcd sources', () => {
    const errors = new Map([['prod/restate/restate', [identityFinding('IR002', 'error', 'role does not exist')]]]);
    const withKeys = restateSource('s3://snaps/prod', [4 * 86_400], { credentialSource: 'static-keys' });
    expect(linkSnapshotCauses([withKeys], errors)[0].findings.map((finding) => finding.code)).toEqual(['SN001']);
    const etcd = evaluateEtcdSnapshots(
      clusterState('prod', {
        etcdSnapshotFiles: [
          {
            metadata: { name: 'x', labels: { 'etcd.k3s.cattle.io/snapshot-storage-node': 's3' } },
            spec: { snapshotName: 'x' },
            status: { readyToUse: false, error: { time: '2026-03-01T11:00:00Z', message: 'AccessDenied' } },
          },
        ],
      }),
      '0 */12 * * *',
      new Date('2026-03-01T12:00:00Z'),
    );
    expect(
      linkSnapshotCauses(etcd, errors)[0]
        .findings.map((finding) => finding.code)
        .sort(),
    ).toEqual(['SN004', 'SN005']);
  });
});

describe('the matrix snapshot column per service account', () => {
  it('shows the worst state of its sources and the age of its oldest partition', () => {
    const sources: SnapshotSource[] = [
      restateSource('s3://a/p', [100, 200]),
      restateSource('s3://b/p', [3600, 2 * 86_400]),
      restateSource('s3://c/p', [50], {}, { cluster: 'prod', namespace: 'other', serviceAccount: 'writer' }),
    ];
    const bySa = snapshotStateForServiceAccounts(sources);
    expect(bySa.get('prod/restate/restate')).toEqual({ state: 'stale', oldestAgeSeconds: 2 * 86_400, sources: ['s3://a/p', 's3://b/p'] });
    expect(bySa.get('prod/other/writer')).toEqual({ state: 'fresh', oldestAgeSeconds: 50, sources: ['s3://c/p'] });
  });

  it('ranks failing over stale over unreadable over fresh', () => {
    const unreadable = judgeRestateSource(
      { cluster: 'prod', source: 's3://d/p', writer, origin: [], threshold: restateThreshold({}), problems: [] },
      { error: { operation: 'ListObjectsV2', code: 'AccessDenied', message: 'Access Denied' } },
    );
    const failing = restateSource('s3://e/p', [null, null]);
    expect(failing.state).toBe('failing');
    const fresh = restateSource('s3://a/p', [10]);
    const stale = restateSource('s3://b/p', [2 * 86_400]);
    const state = (sources: SnapshotSource[]) => snapshotStateForServiceAccounts(sources).get('prod/restate/restate')?.state;
    expect(state([fresh, unreadable])).toBe('unreadable');
    expect(state([unreadable, stale])).toBe('stale');
    expect(state([stale, failing, unreadable])).toBe('failing');
    expect(snapshotStateForServiceAccounts([unreadable]).get('prod/restate/restate')?.oldestAgeSeconds).toBeNull();
  });
});

describe('SN006 links permission causes', () => {
  it('links a failing etcd S3 location to the PM001 of the pod that uploads there with its identity, and only that pod', () => {
    const backup = (bucket: string) => ({
      kind: 'CronJob' as const,
      metadata: { name: 'etcd-backup', namespace: 'kube-system' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccountName: 'etcd-backup',
                containers: [
                  { name: 'save', command: ['k3s', 'etcd-snapshot', 'save', '--s3', `--s3-bucket=${bucket}`, '--s3-folder=edge'] },
                ],
              },
            },
          },
        },
      },
    });
    const failedUpload = {
      metadata: { name: 'x', labels: { 'etcd.k3s.cattle.io/snapshot-storage-node': 's3' } },
      spec: { snapshotName: 'x', s3: { bucket: 'etcd-backups', prefix: 'edge' } },
      status: {
        readyToUse: false,
        error: { time: '2026-03-01T11:00:00Z', message: 'AccessDenied: not authorized to perform s3:PutObject' },
      },
    };
    const sourcesWith = (bucket: string) =>
      evaluateEtcdSnapshots(
        clusterState('edge', { etcdSnapshotFiles: [failedUpload], workloads: [backup(bucket)] }, { kind: 'k3s' }),
        '0 */12 * * *',
        new Date('2026-03-01T12:00:00Z'),
      );
    const pm001: Finding = {
      code: 'PM001',
      severity: 'error',
      subject: { kind: 'serviceaccount', cluster: 'edge', namespace: 'kube-system', name: 'etcd-backup' },
      title: 'kube-system/etcd-backup may not s3:PutObject',
      evidence: {},
    };
    const causes = new Map([['edge/kube-system/etcd-backup', [pm001]]]);

    const [source] = sourcesWith('etcd-backups');
    expect(source.writer).toEqual({
      cluster: 'edge',
      namespace: 'kube-system',
      serviceAccount: 'etcd-backup',
      workload: 'CronJob kube-system/etcd-backup',
    });
    const sn006 = linkSnapshotCauses([source], causes)[0].findings.find((finding) => finding.code === 'SN006');
    expect(sn006?.title).toBe('Snapshots of edge/s3 are failing and their writer kube-system/etcd-backup may not write them (PM001)');
    // A pod uploading to another bucket is not this location's writer.
    const [other] = sourcesWith('other-backups');
    expect(other.writer).toBeUndefined();
    expect(linkSnapshotCauses([other], causes)[0].findings.map((finding) => finding.code)).not.toContain('SN006');
  });

  it('names a PM001 as "may not write them", next to the stale symptom', () => {
    const writer = { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' };
    const source = {
      kind: 'restate' as const,
      cluster: 'prod',
      source: 's3://snaps/prod',
      writer,
      state: 'stale' as const,
      partitions: [],
      findings: [
        {
          code: 'SN001',
          severity: 'error' as const,
          subject: { kind: 'snapshot-source' as const, source: 's3://snaps/prod' },
          title: 'stale',
          evidence: {},
        },
      ],
    };
    const pm001 = {
      code: 'PM001',
      severity: 'error' as const,
      subject: { kind: 'serviceaccount' as const, cluster: 'prod', namespace: 'restate', name: 'restate' },
      title: 'restate/restate may not s3:PutObject',
      evidence: {},
    };
    const [linked] = linkSnapshotCauses([source as never], new Map([['prod/restate/restate', [pm001]]]));
    const sn006 = linked.findings.find((finding) => finding.code === 'SN006')!;
    expect(sn006.title).toBe('Snapshots of s3://snaps/prod are stale and their writer restate/restate may not write them (PM001)');
    expect(sn006.evidence).toMatchObject({ causes: [{ code: 'PM001' }] });
  });
});
