import { parse as parseToml } from 'smol-toml';
import { md5Etag } from './aws/ids';
import { restateDurationMs } from './restate-duration';
import { s3Allows } from './aws/s3-access';
import type { KubeCluster } from './kube/cluster';
import type { KubeSim } from './kube/index';
import type { KubeObj } from './kube/store';
import { workloadIdentity } from './workload-credentials';
import type { SimWorld } from './world';

// Restate's partition snapshots, as the simulated restate pods would write them. Restate snapshots a partition
// once `snapshot-interval` has passed since its last snapshot, and a failed upload is tried again on the next
// check (docs.restate.dev, "Snapshots"; config [worker.snapshots]). The partition's leader (latest.json's
// node_name) uploads with the credentials its pod really gets (sim/workload-credentials.ts) and only when that
// identity may s3:PutObject there, bucket policy included: a broken identity or a missing permission leaves
// partitions to go stale, and a fix brings them back on the next check, the story the console tells end to end.
//
// The writer never rewrites what the scenario says at load (issue 13): a partition described as 5 h old stays
// 5 h old at start. It acts only on what happens after load: a partition whose writer could upload at load is
// next due one interval after load (or after its own snapshot, if later); a partition whose writer could not
// upload at load retries on every check, so it is snapshotted as soon as the identity or permission is fixed.
// A partition whose leader is stuck (`leaderStuck` on its latest.json) is never snapshotted.

const CHECK_EVERY_MS = 1_000;

interface WriterSettings {
  bucket: string;
  prefix: string;
  intervalMs: number;
}

function settingsOf(config: string | undefined): WriterSettings | null {
  if (!config) return null;
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(config) as Record<string, unknown>;
  } catch {
    return null;
  }
  const snapshots = ((parsed.worker as Record<string, unknown> | undefined)?.snapshots ?? {}) as Record<string, unknown>;
  const destination = typeof snapshots.destination === 'string' ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(snapshots.destination) : null;
  const intervalMs = typeof snapshots['snapshot-interval'] === 'string' ? restateDurationMs(snapshots['snapshot-interval']) : null;
  if (!destination || !intervalMs) return null;
  return { bucket: destination[1], prefix: destination[2].replace(/\/$/, ''), intervalMs };
}

/** Whether this partition's leader may upload its snapshot now: its pod's real credentials, then s3:PutObject. */
function leaderMayUpload(
  world: SimWorld,
  cluster: KubeCluster,
  pods: KubeObj[],
  leader: unknown,
  bucketName: string,
  key: string,
): boolean {
  const pod = pods.find((candidate) => candidate.metadata.name === leader) ?? pods[0];
  if (!pod) return false;
  const identity = workloadIdentity(world, cluster, pod);
  if (!identity.ok) return false;
  return s3Allows(world, identity.principal, 's3:PutObject', bucketName, key);
}

function writeSnapshot(world: SimWorld, settings: WriterSettings, latestKey: string, latest: Record<string, unknown>, now: Date) {
  const bucket = world.buckets.get(settings.bucket)!;
  const lsn = Number(latest.min_applied_lsn ?? 0) + 1000;
  const snapshotId = `snap_${now.getTime().toString(36)}${String(latest.partition_id ?? '')}`;
  const path = `lsn_${String(lsn).padStart(20, '0')}-${snapshotId}`;
  const createdAt = now.toISOString();
  const next = {
    ...latest,
    created_at: createdAt,
    snapshot_id: snapshotId,
    min_applied_lsn: lsn,
    path,
    ...(Array.isArray(latest.retained_snapshots)
      ? {
          retained_snapshots: [
            { snapshot_id: snapshotId, min_applied_lsn: lsn, created_at: createdAt, path },
            ...latest.retained_snapshots.slice(0, 4),
          ],
        }
      : {}),
  };
  const partitionPrefix = latestKey.slice(0, -'latest.json'.length);
  for (const [key, body] of [
    [`${partitionPrefix}${path}/metadata.json`, Buffer.from('{}')],
    [latestKey, Buffer.from(JSON.stringify(next, null, 2))],
  ] as const) {
    bucket.objects.set(key, { key, body, contentType: 'application/json', lastModified: createdAt, etag: md5Etag(body) });
  }
}

interface Partition {
  cluster: KubeCluster;
  settings: WriterSettings;
  key: string;
  latest: Record<string, unknown>;
  createdAt: number;
  stuck: boolean;
  pods: KubeObj[];
}

/** Every partition of every RestateCluster whose destination bucket exists, with its leader's pods. */
function* partitionsOf(world: SimWorld, kube: KubeSim): Generator<Partition> {
  for (const cluster of kube.clusters.values()) {
    const restateType = cluster.registry.get('restate.dev', 'v1', 'restateclusters');
    if (!restateType) continue;
    for (const { object } of cluster.store.list(restateType)) {
      const settings = settingsOf((object.spec as { config?: string } | undefined)?.config);
      const bucket = settings ? world.buckets.get(settings.bucket) : undefined;
      if (!settings || !bucket) continue;
      const namespace = object.metadata.name;
      const pods = cluster.store
        .list(cluster.registry.get('', 'v1', 'pods')!, namespace)
        .map(({ object: pod }) => pod)
        .filter((pod) => (pod.spec as { serviceAccountName?: string }).serviceAccountName === 'restate' && !pod.metadata.deletionTimestamp);
      for (const [key, stored] of [...bucket.objects]) {
        if (!key.startsWith(settings.prefix ? `${settings.prefix}/` : '') || !key.endsWith('/latest.json')) continue;
        let latest: Record<string, unknown>;
        try {
          latest = JSON.parse(stored.body.toString('utf8')) as Record<string, unknown>;
        } catch {
          continue;
        }
        yield {
          cluster,
          settings,
          key: `${bucket.name}/${key}`,
          latest,
          createdAt: Date.parse(String(latest.created_at ?? '')),
          stuck: !!stored.leaderStuck,
          pods,
        };
      }
    }
  }
}

export interface RestateSnapshotWriter {
  /** One pass: snapshots every partition that is due and whose leader may upload; returns how many it wrote. */
  check(): number;
}

/** The writer of a freshly loaded world: what the scenario says at this moment is the starting point, never rewritten. */
export function createRestateSnapshotWriter(world: SimWorld, kube: KubeSim): RestateSnapshotWriter {
  const loadedAt = world.clock.now().getTime();
  /** Per partition (bucket/key): the time its next snapshot is counted from. */
  const countFrom = new Map<string, number>();
  for (const partition of partitionsOf(world, kube)) {
    const objectKey = partition.key.slice(partition.settings.bucket.length + 1);
    const healthy = leaderMayUpload(
      world,
      partition.cluster,
      partition.pods,
      partition.latest.node_name,
      partition.settings.bucket,
      objectKey,
    );
    // Healthy at load: the scenario's age stands until an interval after load. Broken at load: retried at every check.
    countFrom.set(partition.key, healthy ? loadedAt : Number.NEGATIVE_INFINITY);
  }
  return {
    check() {
      let written = 0;
      const now = world.clock.now();
      for (const partition of partitionsOf(world, kube)) {
        if (partition.stuck) continue;
        const last = Number.isNaN(partition.createdAt) ? Number.NEGATIVE_INFINITY : partition.createdAt;
        const from = Math.max(last, countFrom.get(partition.key) ?? Number.NEGATIVE_INFINITY);
        if (now.getTime() - from < partition.settings.intervalMs) continue;
        const objectKey = partition.key.slice(partition.settings.bucket.length + 1);
        if (!leaderMayUpload(world, partition.cluster, partition.pods, partition.latest.node_name, partition.settings.bucket, objectKey)) {
          // the upload failed: Restate tries again on the next check
          countFrom.set(partition.key, Number.NEGATIVE_INFINITY);
          continue;
        }
        writeSnapshot(world, partition.settings, objectKey, partition.latest, now);
        written++;
      }
      return written;
    },
  };
}

export function startRestateSnapshotWriter(world: SimWorld, kube: KubeSim): { writer: RestateSnapshotWriter; stop: () => void } {
  const writer = createRestateSnapshotWriter(world, kube);
  const timer = setInterval(() => writer.check(), CHECK_EVERY_MS);
  timer.unref();
  return { writer, stop: () => clearInterval(timer) };
}
