import type { ClusterState } from '@/lib/model/cluster-state';
import type { S3Reader } from '../types';

// Test support: an S3 reader over a map of keys, answering like S3 does (delimiter listing, NoSuchKey,
// bucket-level errors). It fakes the dependency, never the code under test.

export class S3ErrorForTest extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface InMemoryBucket {
  objects?: Record<string, string | object>;
  /** Every call on the bucket fails with this error (e.g. AccessDenied, NoSuchBucket). */
  error?: { code: string; message: string };
  /** Only GetObject of these keys fails with the error. */
  getErrors?: Record<string, { code: string; message: string }>;
}

export function inMemoryS3(buckets: Record<string, InMemoryBucket>): S3Reader & { calls: string[] } {
  const calls: string[] = [];
  const bucketOrThrow = (name: string) => {
    const bucket = buckets[name];
    if (!bucket) throw new S3ErrorForTest('NoSuchBucket', 'The specified bucket does not exist');
    if (bucket.error) throw new S3ErrorForTest(bucket.error.code, bucket.error.message);
    return bucket;
  };
  return {
    calls,
    async listObjectsV2All(bucketName, prefix, delimiter) {
      calls.push(`ListObjectsV2 ${bucketName} ${prefix} ${delimiter ?? ''}`);
      const bucket = bucketOrThrow(bucketName);
      const keys: string[] = [];
      const commonPrefixes = new Set<string>();
      for (const key of Object.keys(bucket.objects ?? {}).sort()) {
        if (!key.startsWith(prefix)) continue;
        const rest = key.slice(prefix.length);
        const cut = delimiter ? rest.indexOf(delimiter) : -1;
        if (cut >= 0) commonPrefixes.add(prefix + rest.slice(0, cut + delimiter!.length));
        else keys.push(key);
      }
      return { keys, commonPrefixes: [...commonPrefixes] };
    },
    async getObjectText(bucketName, key) {
      calls.push(`GetObject ${bucketName} ${key}`);
      const bucket = bucketOrThrow(bucketName);
      const failure = bucket.getErrors?.[key];
      if (failure) throw new S3ErrorForTest(failure.code, failure.message);
      const body = bucket.objects?.[key];
      if (body === undefined) throw new S3ErrorForTest('NoSuchKey', 'The specified key does not exist.');
      return typeof body === 'string' ? body : JSON.stringify(body);
    },
  };
}

export function clusterState(name: string, kube: Partial<ClusterState['kube']> = {}, extra: Partial<ClusterState> = {}): ClusterState {
  return {
    name,
    kind: 'eks',
    collectedAt: '2026-03-01T12:00:00Z',
    kube: { serviceAccounts: [], pods: [], nodes: [], namespaces: [], workloads: [], ...kube },
    sourceErrors: [],
    ...extra,
  };
}

/** A latest.json body as Restate writes it. */
export function latestJson(
  version: 'V1' | 'V2',
  partitionId: number,
  createdAt: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const lsn = 1000 + partitionId;
  const snapshotId = `snap_${partitionId}abc${createdAt.replace(/\D/g, '').slice(0, 10)}`;
  const path = `lsn_${String(lsn).padStart(20, '0')}-${snapshotId}`;
  return {
    version,
    partition_id: partitionId,
    log_id: partitionId,
    cluster_name: 'restate-prod',
    cluster_fingerprint: 12345,
    node_name: `restate-${partitionId % 3}`,
    created_at: createdAt,
    snapshot_id: snapshotId,
    min_applied_lsn: lsn,
    path,
    ...(version === 'V2' ? { retained_snapshots: [{ snapshot_id: snapshotId, min_applied_lsn: lsn, created_at: createdAt, path }] } : {}),
    ...extra,
  };
}
