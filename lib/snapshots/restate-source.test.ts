import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import { readSnapshotSources, type SnapshotSourcesConfig } from './read-sources';
import { clusterState, inMemoryS3, latestJson, type InMemoryBucket } from './testing/in-memory-s3';
import type { RestateSnapshotSource } from './types';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();
const emptyFleet: FleetState = { clusters: [], roles: {}, accounts: {}, sourceErrors: [], collectedAt: NOW.toISOString() };

async function readOne(buckets: Record<string, InMemoryBucket>, entry: NonNullable<SnapshotSourcesConfig['restate']>[number]) {
  const s3 = inMemoryS3(buckets);
  const [source] = (await readSnapshotSources(emptyFleet, { restate: [entry] }, () => s3, NOW)) as RestateSnapshotSource[];
  return source;
}

function partitions(count: number, createdAt: (id: number) => string, version: 'V1' | 'V2' = 'V2', prefix = 'prod') {
  const objects: Record<string, object> = {};
  for (let id = 0; id < count; id++) objects[`${prefix}/${id}/latest.json`] = latestJson(version, id, createdAt(id));
  return objects;
}

const codes = (source: RestateSnapshotSource) => source.findings.map((finding) => finding.code).sort();

describe('Restate partition snapshots read through S3', () => {
  it('reads V1 latest.json: age, snapshot id, LSN, node and path per partition', async () => {
    const objects = partitions(3, () => hoursAgo(2), 'V1');
    objects['prod/1/lsn_00000000000000001001-snap_1/metadata.json'] = {};
    const source = await readOne({ snaps: { objects } }, { url: 's3://snaps/prod/' });
    expect(source.source).toBe('s3://snaps/prod');
    expect(source.state).toBe('fresh');
    expect(source.findings).toEqual([]);
    expect(source.partitions).toHaveLength(3);
    expect(source.partitions[1]).toMatchObject({
      id: 1,
      state: 'fresh',
      version: 'V1',
      ageSeconds: 7200,
      minAppliedLsn: 1001,
      nodeName: 'restate-1',
      key: 'prod/1/latest.json',
    });
    expect(source.partitions[1].snapshotId).toMatch(/^snap_1/);
    expect(source.partitions[1].path).toMatch(/^lsn_00000000000000001001-snap_1/);
  });

  it('reads V2 latest.json and takes the newest of its retained snapshots (newest first)', async () => {
    const body = latestJson('V2', 0, hoursAgo(30), {
      retained_snapshots: [
        { snapshot_id: 'snap_new', min_applied_lsn: 9000, created_at: hoursAgo(1), path: 'lsn_00000000000000009000-snap_new' },
        { snapshot_id: 'snap_old', min_applied_lsn: 100, created_at: hoursAgo(30), path: 'lsn_00000000000000000100-snap_old' },
      ],
    });
    const source = await readOne({ snaps: { objects: { 'prod/0/latest.json': body } } }, { url: 's3://snaps/prod' });
    expect(source.partitions[0]).toMatchObject({
      version: 'V2',
      snapshotId: 'snap_new',
      minAppliedLsn: 9000,
      ageSeconds: 3600,
      retainedSnapshots: 2,
      state: 'fresh',
    });
    expect(source.state).toBe('fresh');
  });

  it('accepts nanosecond timestamps as Restate writes them', async () => {
    const body = latestJson('V1', 0, '2026-03-01T11:00:00.123456789Z');
    const source = await readOne({ snaps: { objects: { 'prod/0/latest.json': body } } }, { url: 's3://snaps/prod' });
    expect(source.partitions[0].ageSeconds).toBe(3600);
  });

  it('flags a stale partition with SN001, naming the partition, its age and the threshold', async () => {
    const source = await readOne(
      { snaps: { objects: partitions(4, (id) => (id === 2 ? hoursAgo(76) : hoursAgo(1))) } },
      { url: 's3://snaps/prod' },
    );
    expect(source.state).toBe('stale');
    expect(codes(source)).toEqual(['SN001']);
    const sn001 = source.findings[0];
    expect(sn001.severity).toBe('error');
    expect(sn001.subject).toEqual({ kind: 'snapshot-source', source: 's3://snaps/prod' });
    expect(sn001.title).toContain('1 of 4 partitions');
    expect(sn001.title).toContain('3 d 4 h');
    expect(sn001.evidence).toMatchObject({
      thresholdSeconds: 86_400,
      thresholdReason: 'default-24h',
      oldestAgeSeconds: 76 * 3600,
      oldestPartition: { id: 2 },
    });
    expect(source.partitions.map((partition) => partition.state)).toEqual(['fresh', 'fresh', 'stale', 'fresh']);
  });

  it('reports partitions never snapshotted with SN002: a directory without latest.json and a gap in the ids', async () => {
    const objects: Record<string, object> = partitions(6, () => hoursAgo(1));
    delete objects['prod/2/latest.json'];
    objects['prod/2/lsn_00000000000000000001-snap_x/metadata.json'] = {}; // directory exists, no latest.json
    delete objects['prod/4/latest.json']; // no directory at all
    const source = await readOne({ snaps: { objects } }, { url: 's3://snaps/prod' });
    expect(codes(source)).toEqual(['SN002']);
    expect(source.state).toBe('stale');
    expect(source.findings[0].evidence).toMatchObject({
      missingPartitions: [2, 4],
      withoutLatestJson: [2],
      withoutPartitionDirectory: [4],
      partitionsWithSnapshot: 4,
    });
    expect(source.partitions[2]).toMatchObject({ state: 'missing', missingReason: 'no-latest-json', ageSeconds: null });
    expect(source.partitions[4]).toMatchObject({ state: 'missing', missingReason: 'no-partition-directory' });
  });

  it('reports a destination with no latest.json at all as SN002 and failing', async () => {
    const source = await readOne(
      {
        snaps: {
          objects: { 'prod/0/lsn_00000000000000000001-snap_a/metadata.json': {}, 'other/0/latest.json': latestJson('V1', 0, hoursAgo(1)) },
        },
      },
      { url: 's3://snaps/prod' },
    );
    expect(codes(source)).toEqual(['SN002']);
    expect(source.state).toBe('failing');
    expect(source.findings[0].title).toBe('No Restate partition has a snapshot at s3://snaps/prod');

    const empty = await readOne({ snaps: { objects: {} } }, { url: 's3://snaps/prod' });
    expect(codes(empty)).toEqual(['SN002']);
    expect(empty.state).toBe('failing');
    expect(empty.partitions).toEqual([]);
  });

  it('reports an unreadable bucket with SN003 and the exact S3 error', async () => {
    const denied = await readOne(
      {
        snaps: {
          error: {
            code: 'AccessDenied',
            message: 'User: arn:aws:sts::111122223333:assumed-role/console is not authorized to perform: s3:ListBucket',
          },
        },
      },
      { url: 's3://snaps/prod' },
    );
    expect(denied.state).toBe('unreadable');
    expect(codes(denied)).toEqual(['SN003']);
    expect(denied.findings[0].title).toBe('Snapshots at s3://snaps/prod cannot be read: AccessDenied');
    expect(denied.findings[0].evidence).toMatchObject({
      operation: 'ListObjectsV2',
      bucket: 'snaps',
      prefix: 'prod',
      code: 'AccessDenied',
      message: 'User: arn:aws:sts::111122223333:assumed-role/console is not authorized to perform: s3:ListBucket',
    });

    const missing = await readOne({}, { url: 's3://gone-bucket/prod' });
    expect(missing.state).toBe('unreadable');
    expect(missing.error).toEqual({ operation: 'ListObjectsV2', code: 'NoSuchBucket', message: 'The specified bucket does not exist' });
  });

  it('reports latest.json objects it may list but not get, and unparseable ones, with SN003', async () => {
    const objects = partitions(3, () => hoursAgo(1));
    objects['prod/2/latest.json'] = { version: 'V3', partition_id: 2 };
    const source = await readOne(
      { snaps: { objects, getErrors: { 'prod/1/latest.json': { code: 'AccessDenied', message: 'Access Denied' } } } },
      { url: 's3://snaps/prod' },
    );
    expect(codes(source)).toEqual(['SN003']);
    expect(source.findings[0].evidence).toMatchObject({ operation: 'GetObject', code: 'AccessDenied' });
    expect(source.partitions[1]).toMatchObject({ state: 'unreadable', error: { code: 'AccessDenied', message: 'Access Denied' } });
    expect(source.partitions[2].state).toBe('unreadable');
    expect(source.partitions[2].error?.message).toContain('unknown version "V3"');
    expect(source.state).toBe('fresh'); // partition 0 is fresh; the unreadable ones carry SN003
  });

  it('lists az:// and gs:// destinations as unreadable by the console, with the reason', async () => {
    const source = await readOne({}, { url: 'az://account/container/prefix' });
    expect(source.state).toBe('unreadable');
    expect(codes(source)).toEqual(['SN003']);
    expect(source.error?.code).toBe('UnsupportedDestination');
    expect(source.error?.message).toContain('only through S3');
  });

  it('makes a source unreadable, not the whole read, when no reader can be had for its account', async () => {
    const noCredentials = () => {
      throw Object.assign(new Error('no credentials configured for account 444455556666'), { code: 'CredentialsProviderError' });
    };
    const [source] = (await readSnapshotSources(
      emptyFleet,
      { restate: [{ url: 's3://snaps/prod', account: '444455556666' }] },
      noCredentials,
      NOW,
    )) as RestateSnapshotSource[];
    expect(source.state).toBe('unreadable');
    expect(source.error).toEqual({
      operation: 'ListObjectsV2',
      code: 'CredentialsProviderError',
      message: 'no credentials configured for account 444455556666',
    });
  });

  it('lists under the bucket root when the destination has no prefix', async () => {
    const s3 = inMemoryS3({ root: { objects: { '0/latest.json': latestJson('V1', 0, hoursAgo(1)) } } });
    const [source] = (await readSnapshotSources(emptyFleet, { restate: [{ url: 's3://root' }] }, () => s3, NOW)) as RestateSnapshotSource[];
    expect(source.partitions.map((partition) => partition.id)).toEqual([0]);
    expect(s3.calls[0]).toBe('ListObjectsV2 root  /');
  });
});

describe('SN001 thresholds', () => {
  const buckets = { snaps: { objects: partitions(2, (id) => (id === 0 ? hoursAgo(3) : hoursAgo(0.5))) } };

  it('is 2 × snapshot-interval when snapshots are time-based', async () => {
    const source = await readOne(buckets, { url: 's3://snaps/prod', snapshotInterval: '1h' });
    expect(source.threshold).toEqual({ seconds: 7200, reason: '2x-snapshot-interval' });
    expect(codes(source)).toEqual(['SN001']);
    const relaxed = await readOne(buckets, { url: 's3://snaps/prod', snapshotInterval: '1h 30m' });
    expect(relaxed.threshold.seconds).toBe(10_800);
    expect(codes(relaxed)).toEqual([]);
  });

  it("is the source's maxAge when there is no time interval", async () => {
    const source = await readOne(buckets, { url: 's3://snaps/prod', maxAge: '2h' });
    expect(source.threshold).toEqual({ seconds: 7200, reason: 'max-age' });
    expect(codes(source)).toEqual(['SN001']);
  });

  it('is 24 h by default', async () => {
    const source = await readOne(buckets, { url: 's3://snaps/prod' });
    expect(source.threshold).toEqual({ seconds: 86_400, reason: 'default-24h' });
    expect(codes(source)).toEqual([]);
  });

  it('can be overridden per source, over the interval rule', async () => {
    const source = await readOne(buckets, { url: 's3://snaps/prod', snapshotInterval: '1h', threshold: '4h' });
    expect(source.threshold).toEqual({ seconds: 14_400, reason: 'override' });
    expect(codes(source)).toEqual([]);
  });

  it('uses the discovered snapshot-interval, and a config entry for the same URL overrides it', async () => {
    const cluster = clusterState('prod', {
      workloads: [
        {
          kind: 'StatefulSet',
          metadata: { name: 'restate', namespace: 'restate' },
          spec: {
            template: {
              spec: {
                serviceAccountName: 'restate',
                containers: [
                  {
                    name: 'restate',
                    env: [
                      { name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://snaps/prod/' },
                      { name: 'RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL', value: '1h' },
                    ],
                  },
                ],
              },
            },
          },
        },
      ],
    });
    const fleet = { ...emptyFleet, clusters: [cluster] };
    const s3 = inMemoryS3(buckets);
    const [discovered] = (await readSnapshotSources(fleet, {}, () => s3, NOW)) as RestateSnapshotSource[];
    expect(discovered).toMatchObject({
      cluster: 'prod',
      source: 's3://snaps/prod',
      writer: { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' },
    });
    expect(discovered.threshold).toEqual({ seconds: 7200, reason: '2x-snapshot-interval' });
    expect(codes(discovered)).toEqual(['SN001']);

    const config: SnapshotSourcesConfig = { restate: [{ url: 's3://snaps/prod', name: 'prod partitions', threshold: '6h' }] };
    const overridden = (await readSnapshotSources(fleet, config, () => s3, NOW)) as RestateSnapshotSource[];
    expect(overridden).toHaveLength(1);
    expect(overridden[0]).toMatchObject({ name: 'prod partitions', threshold: { seconds: 21_600, reason: 'override' } });
    expect(codes(overridden[0])).toEqual([]);
  });
});

describe('a hostile destination degrades only itself', () => {
  it('a partition directory past Restate’s 65,534 is SN003 InvalidPartitionId, not an array of 4 billion', async () => {
    const objects = partitions(2, () => hoursAgo(1), 'V2', 'dos');
    objects['dos/4294967295/latest.json'] = latestJson('V2', 0, hoursAgo(1));
    const source = await readOne({ snaps: { objects } }, { url: 's3://snaps/dos' });
    expect(source.state).toBe('unreadable');
    expect(source.error).toMatchObject({ code: 'InvalidPartitionId' });
    expect(source.findings.map((finding) => finding.code)).toEqual(['SN003']);
    expect(source.error!.message).toContain('0–65534');
  });
  it('partition 65534 (the highest Restate can have) is read', async () => {
    const source = await readOne(
      { snaps: { objects: { 'big/65534/latest.json': latestJson('V2', 65534, hoursAgo(1)) } } },
      { url: 's3://snaps/big' },
    );
    expect(source.partitions).toHaveLength(65535);
    expect(source.partitions[65534].state).toBe('fresh');
    // 65,535 partitions are judged one by one: on a loaded 2-core machine that took 5.3 s, past vitest's default.
  }, 60_000);
  it('a reader that throws something unexpected leaves the source unreadable with the reason', async () => {
    const fleet = emptyFleet;
    const [source] = (await readSnapshotSources(
      fleet,
      { restate: [{ url: 's3://snaps/x' }] },
      () => ({
        listObjectsV2All: async () => ({ commonPrefixes: ['x/0/'] }),
        getObjectText: async () => {
          throw new RangeError('boom');
        },
      }),
      NOW,
    )) as RestateSnapshotSource[];
    expect(source.state).toBe('unreadable');
  });
});
