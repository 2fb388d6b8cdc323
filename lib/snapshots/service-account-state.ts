import { serviceAccountKey } from './link-causes';
import type { SnapshotSource, SnapshotState } from './types';

// The matrix's snapshot column: a service account whose workloads write snapshots shows the worst state of
// its sources. Order, worst first: failing > stale > unreadable > fresh. A confirmed failure or a stale
// partition is a known symptom an on-call can act on; "unreadable" only says the console cannot tell (its
// SN003 finding carries the error), so it ranks below them but above a source known to be fresh.

export const SNAPSHOT_STATE_RANK: Record<SnapshotState, number> = { failing: 4, stale: 3, unreadable: 2, fresh: 1 };

export interface ServiceAccountSnapshotState {
  state: SnapshotState;
  /** Age of the oldest partition or location among its sources; null when none has a known age. */
  oldestAgeSeconds: number | null;
  sources: string[];
}

export function snapshotStateForServiceAccounts(sources: SnapshotSource[]): Map<string, ServiceAccountSnapshotState> {
  const bySa = new Map<string, ServiceAccountSnapshotState>();
  for (const source of sources) {
    if (!source.writer) continue;
    const key = serviceAccountKey(source.writer.cluster, source.writer.namespace, source.writer.serviceAccount);
    const age = oldestAge(source);
    const current = bySa.get(key);
    if (!current) {
      bySa.set(key, { state: source.state, oldestAgeSeconds: age, sources: [source.source] });
      continue;
    }
    if (SNAPSHOT_STATE_RANK[source.state] > SNAPSHOT_STATE_RANK[current.state]) current.state = source.state;
    if (age !== null && (current.oldestAgeSeconds === null || age > current.oldestAgeSeconds)) current.oldestAgeSeconds = age;
    if (!current.sources.includes(source.source)) current.sources.push(source.source);
  }
  return bySa;
}

/** The oldest partition (Restate) or location's newest success (etcd). */
export function oldestAge(source: SnapshotSource): number | null {
  const ages =
    source.kind === 'restate'
      ? source.partitions.map((partition) => partition.ageSeconds)
      : source.locations.map((location) => location.newestSuccess?.ageSeconds ?? null);
  const known = ages.filter((age): age is number => age !== null);
  return known.length > 0 ? Math.max(...known) : null;
}
