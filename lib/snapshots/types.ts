import type { Finding } from '@/lib/model/finding';
import type { SnapshotState } from '@/lib/model/identity-row';

export type { SnapshotState };

/** The service account whose credentials write the snapshots. */
export interface SnapshotWriter {
  cluster: string;
  namespace: string;
  serviceAccount: string;
}

/** An S3 error as the SDK reports it: `code` is the service's error code (NoSuchBucket, AccessDenied, NoSuchKey…). */
export interface S3ReadError {
  code: string;
  message: string;
}

/**
 * What the snapshot reader needs from S3. lib/aws provides it over the shared cache (bounded concurrency,
 * single-flight); tests give an in-memory one. Both methods throw an error carrying {code, message}.
 */
export interface S3Reader {
  /** Every page of ListObjectsV2 under `prefix`; with a delimiter, the common prefixes one level down. */
  listObjectsV2All(bucket: string, prefix: string, delimiter?: string): Promise<{ keys?: string[]; commonPrefixes?: string[] }>;
  getObjectText(bucket: string, key: string): Promise<string>;
}

/** Which account/region/cluster a destination is read for, so the caller can pick credentials and endpoint. */
export interface S3ReaderContext {
  bucket: string;
  /** The Kubernetes cluster whose workload writes the destination; absent for console-config sources outside Kubernetes. */
  cluster?: string;
  account?: string;
  region?: string;
  /** Restate's `aws-endpoint-url`, when the writer sets one. */
  endpointUrl?: string;
}

export type S3ReaderFactory = (context: S3ReaderContext) => S3Reader;

/** Where a source's configuration was found. */
export type SourceOrigin =
  | { kind: 'RestateCluster'; cluster: string; name: string }
  | { kind: 'StatefulSet' | 'Deployment'; cluster: string; namespace: string; name: string; container: string }
  | { kind: 'console-config'; index: number }
  | { kind: 'ETCDSnapshotFile'; cluster: string }
  | { kind: 'ConfigMap'; cluster: string; namespace: string; name: string };

/** One setting and where its effective value came from (defaults < file < env < command line). */
export interface ResolvedSetting<T> {
  value: T;
  /** e.g. "env RESTATE_WORKER__SNAPSHOTS__DESTINATION", "ConfigMap restate/restate-config key config.toml", "console config". */
  from: string;
}

/** A configuration problem that stops snapshots (Restate refuses to start) or that the console cannot follow. */
export interface SourceProblem {
  reason: string;
  evidence: Record<string, unknown>;
}

/** Restate's `[worker.snapshots]` as the writer sees it, after layering file and env. */
export interface RestateSnapshotSettings {
  destination?: ResolvedSetting<string>;
  /** `snapshot-interval`, in seconds (time-based snapshots, Restate ≥ 1.6). */
  snapshotInterval?: ResolvedSetting<number>;
  /** `snapshot-interval-num-records` (record-count based snapshots, Restate ≥ 1.2). */
  snapshotIntervalNumRecords?: ResolvedSetting<number>;
  awsRegion?: ResolvedSetting<string>;
  awsEndpointUrl?: ResolvedSetting<string>;
  /** Set when the config names static keys or a profile: the writer then does not use its service account's identity. */
  credentialSource: 'default-chain' | 'static-keys' | 'profile';
}

export type ThresholdReason = 'override' | '2x-snapshot-interval' | 'max-age' | 'default-24h';

export type RestatePartitionState = 'fresh' | 'stale' | 'missing' | 'unreadable';

export interface RestatePartition {
  id: number;
  state: RestatePartitionState;
  /** now − newest created_at; null when the partition has no readable latest.json. */
  ageSeconds: number | null;
  createdAt: string | null;
  snapshotId: string | null;
  minAppliedLsn: number | null;
  nodeName: string | null;
  /** The snapshot's directory, as latest.json names it. */
  path: string | null;
  version: 'V1' | 'V2' | null;
  /** V2 only: how many snapshots latest.json says are retained. */
  retainedSnapshots?: number;
  /** Why a partition is `missing`: its directory has no latest.json, or there is no directory at all (a gap in 0..max). */
  missingReason?: 'no-latest-json' | 'no-partition-directory';
  /** Why a partition is `unreadable`: the GetObject error, or why latest.json could not be understood. */
  error?: S3ReadError;
  /** The object key of latest.json. */
  key: string;
}

export interface RestateSnapshotSource {
  kind: 'restate';
  /** The Kubernetes cluster the writer runs in; absent for console-config sources outside Kubernetes. */
  cluster?: string;
  /** The destination URL, e.g. "s3://bucket/prefix" (no trailing slash). */
  source: string;
  name?: string;
  writer?: SnapshotWriter;
  state: SnapshotState;
  origin: SourceOrigin[];
  settings?: RestateSnapshotSettings;
  threshold: { seconds: number; reason: ThresholdReason };
  /** Partitions ordered by id. Empty when the destination could not be listed or holds none. */
  partitions: RestatePartition[];
  /** The ListObjectsV2 error, when the destination could not be listed at all (or a reason it cannot be read). */
  error?: S3ReadError & { operation: string };
  problems: SourceProblem[];
  findings: Finding[];
}

export interface EtcdTimelineEntry {
  time: string;
  ok: boolean;
  name: string;
  message?: string;
}

export type EtcdLocationState = 'fresh' | 'stale' | 'failing';

export interface EtcdLocation {
  /** A node name (that node's local snapshot dir) or "s3". */
  location: string;
  kind: 'node' | 's3';
  state: EtcdLocationState;
  /** For S3: the bucket/prefix the snapshots go to, as the records name them. */
  s3?: { bucket?: string; prefix?: string; endpoint?: string; region?: string };
  newestSuccess: { name: string; time: string; ageSeconds: number; size?: string } | null;
  /** Failures in the last 24 h, newest first (ETCDSnapshotFile failures are kept by K3s for 24 h). */
  recentFailures: { name: string; time: string; message: string }[];
  /** Successes and failures over the timeline window, oldest first. */
  timeline: EtcdTimelineEntry[];
}

export interface EtcdSnapshotSource {
  kind: 'etcd';
  cluster: string;
  /** "<cluster>/<location>", e.g. "edge-k3s/s3" or "edge-k3s/server-0". */
  source: string;
  /**
   * For the S3 location: a pod that uploads etcd snapshots there with its own workload identity (a CronJob running
   * `k3s etcd-snapshot save --s3`; lib/snapshots/etcd-writers.ts). The server's own uploads have no writer here.
   */
  writer?: SnapshotWriter & { workload: string };
  state: SnapshotState;
  origin: SourceOrigin[];
  /** Which record K3s/RKE2 keeps: the ETCDSnapshotFile CRs, or the legacy ConfigMap. */
  records: 'ETCDSnapshotFile' | 'ConfigMap';
  schedule: { expression: string; intervalSeconds: number };
  locations: EtcdLocation[];
  problems: SourceProblem[];
  findings: Finding[];
}

/** One item of `GET /api/v1/snapshots`. */
export type SnapshotSource = RestateSnapshotSource | EtcdSnapshotSource;
