import { parse as parseToml } from 'smol-toml';
import { md5Etag } from './aws/ids';
import { restateDurationMs } from './restate-duration';
import { trustsPodIdentity } from './aws/trust-policy';
import type { KubeSim } from './kube/index';
import type { KubeObj } from './kube/store';
import type { SimWorld } from './world';

// Restate's partition snapshots, as the simulated restate pods would write them. Restate snapshots a partition
// once `snapshot-interval` has passed since its last snapshot, and a failed upload is tried again on the next
// check (docs.restate.dev, "Snapshots"; config [worker.snapshots]). Uploads need working credentials: the
// writer's pods run with the Pod Identity env, the service account has an association, and its role trusts
// pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession. So a broken identity leaves partitions to go
// stale, and a fixed one brings them back on the next check: the story the console tells, end to end.

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

function podIdentityWorks(world: SimWorld, clusterName: string, namespace: string, pods: KubeObj[]): boolean {
  const eks = world.eksClusters.get(clusterName);
  if (!eks || pods.length === 0) return false;
  const association = [...eks.associations.values()].find(
    (candidate) => candidate.namespace === namespace && candidate.serviceAccount === 'restate',
  );
  if (!association) return false;
  const [, account, roleName] = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(association.roleArn) ?? [];
  const role = world.accounts.get(account)?.roles.get(roleName);
  if (!role || !trustsPodIdentity(role.trustPolicy)) return false;
  return pods.every((pod) =>
    ((pod.spec as { containers?: { env?: { name: string }[] }[] } | undefined)?.containers ?? []).some((container) =>
      container.env?.some((variable) => variable.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI'),
    ),
  );
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

/** One pass: every RestateCluster whose writer can upload gets a new snapshot for each partition that is due. */
export function writeDueRestateSnapshots(world: SimWorld, kube: KubeSim): number {
  let written = 0;
  const now = world.clock.now();
  for (const [clusterName, cluster] of kube.clusters) {
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
      if (!podIdentityWorks(world, clusterName, namespace, pods)) continue;
      for (const [key, stored] of [...bucket.objects]) {
        if (!key.startsWith(settings.prefix ? `${settings.prefix}/` : '') || !key.endsWith('/latest.json')) continue;
        let latest: Record<string, unknown>;
        try {
          latest = JSON.parse(stored.body.toString('utf8')) as Record<string, unknown>;
        } catch {
          continue;
        }
        const createdAt = Date.parse(String(latest.created_at ?? ''));
        if (Number.isNaN(createdAt) || now.getTime() - createdAt >= settings.intervalMs) {
          writeSnapshot(world, settings, key, latest, now);
          written++;
        }
      }
    }
  }
  return written;
}

export function startRestateSnapshotWriter(world: SimWorld, kube: KubeSim): () => void {
  const timer = setInterval(() => writeDueRestateSnapshots(world, kube), CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
