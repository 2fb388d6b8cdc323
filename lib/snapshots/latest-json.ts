import { z } from 'zod';

// `<prefix>/<partition_id>/latest.json`, the one object Restate overwrites after each partition snapshot
// (restatedev/restate crates/worker/src/partition/snapshots/repository.rs, LatestSnapshot). V2 (Restate 1.7)
// adds `retained_snapshots`, newest first. Unknown fields pass: newer Restate versions may add some.

const rfc3339 = z.string().refine((value) => parseRfc3339(value) !== null, 'is not an RFC 3339 timestamp');
const lsn = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

const common = {
  partition_id: z.number().int().nonnegative(),
  node_name: z.string().optional(),
  created_at: rfc3339,
  snapshot_id: z.string(),
  min_applied_lsn: lsn,
  path: z.string().optional(),
  cluster_name: z.string().optional(),
  log_id: z.number().optional(),
};

const latestV1 = z.object({ version: z.literal('V1'), ...common }).loose();
const latestV2 = z
  .object({
    version: z.literal('V2'),
    ...common,
    retained_snapshots: z
      .array(z.object({ snapshot_id: z.string(), min_applied_lsn: lsn, created_at: rfc3339, path: z.string().optional() }).loose())
      .default([]),
  })
  .loose();

const latestSnapshot = z.discriminatedUnion('version', [latestV1, latestV2]);

export interface LatestSnapshot {
  version: 'V1' | 'V2';
  partitionId: number;
  nodeName: string | null;
  /** The newest created_at of latest.json and its retained snapshots. */
  newestCreatedAt: string;
  snapshotId: string;
  minAppliedLsn: number;
  path: string | null;
  retainedSnapshots?: number;
}

/** Parses latest.json; throws an Error saying what is wrong with it. */
export function parseLatestSnapshot(text: string): LatestSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`latest.json is not JSON: ${(error as Error).message}`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 'V1' && version !== 'V2')
    throw new Error(`latest.json has an unknown version ${JSON.stringify(version)} (expected "V1" or "V2")`);
  const parsed = latestSnapshot.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`latest.json ${version}: field ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  const value = parsed.data;
  // The top-level fields name the newest snapshot; V2's list is checked too in case a writer reorders it.
  let newest = {
    createdAt: value.created_at,
    snapshotId: value.snapshot_id,
    minAppliedLsn: value.min_applied_lsn,
    path: value.path ?? null,
  };
  if (value.version === 'V2') {
    for (const retained of value.retained_snapshots) {
      if (parseRfc3339(retained.created_at)! > parseRfc3339(newest.createdAt)!) {
        newest = {
          createdAt: retained.created_at,
          snapshotId: retained.snapshot_id,
          minAppliedLsn: retained.min_applied_lsn,
          path: retained.path ?? null,
        };
      }
    }
  }
  return {
    version: value.version,
    partitionId: value.partition_id,
    nodeName: value.node_name ?? null,
    newestCreatedAt: newest.createdAt,
    snapshotId: newest.snapshotId,
    minAppliedLsn: newest.minAppliedLsn,
    path: newest.path,
    ...(value.version === 'V2' ? { retainedSnapshots: value.retained_snapshots.length } : {}),
  };
}

/** Milliseconds since the epoch; Restate writes up to nanosecond precision, which Date cannot parse as is. */
export function parseRfc3339(value: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(value.trim());
  if (!match) return null;
  const fraction = match[2] ? match[2].slice(0, 4).padEnd(4, '0') : '';
  const ms = Date.parse(`${match[1].replace(/[t ]/, 'T')}${fraction}${match[3].toUpperCase()}`);
  return Number.isNaN(ms) ? null : ms;
}
