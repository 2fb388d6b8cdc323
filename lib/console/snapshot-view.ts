import { z } from 'zod';
import type { Scope } from '@/lib/auth/scope';
import type { SnapshotSource } from '@/lib/snapshots/types';
import { SNAPSHOT_KINDS, SNAPSHOT_STATES } from './snapshot-url';
import { commaList, commaListOf } from './url-lists';
import { toCsv, type CsvValue } from './csv';

// GET /api/v1/snapshots and the snapshots page: filters, the item shape (api.md "Read": the source plus its
// writer's identity, so the cause sits next to the symptom) and the CSV (one line per partition or location).

export { SNAPSHOT_STATES, snapshotAnchor, type SnapshotItem } from './snapshot-url';

export const snapshotFiltersSchema = z.strictObject({
  cluster: commaList,
  state: commaListOf(SNAPSHOT_STATES, 'state'),
  kind: commaListOf(SNAPSHOT_KINDS, 'kind'),
});

export type SnapshotFilters = z.output<typeof snapshotFiltersSchema>;

export function parseSnapshotFilters(params: URLSearchParams) {
  const input: Record<string, string> = {};
  for (const key of ['cluster', 'state', 'kind'] as const) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') input[key] = value;
  }
  return snapshotFiltersSchema.safeParse(input);
}

export function filterSnapshotSources<T extends SnapshotSource>(sources: T[], filters: SnapshotFilters): T[] {
  return sources.filter(
    (source) =>
      (!filters.cluster?.length || (source.cluster !== undefined && filters.cluster.includes(source.cluster))) &&
      (!filters.state?.length || filters.state.includes(source.state)) &&
      (!filters.kind?.length || filters.kind.includes(source.kind)),
  );
}

/**
 * Who sees a snapshot source: a Restate destination with a writer, whoever sees the writer's namespace; an etcd
 * location or a writer-less source in a cluster, whoever sees that cluster; a source from the console config
 * outside any cluster, admins only (it names no team's namespace).
 */
export function snapshotSourceVisible(
  source: SnapshotSource,
  scope: Pick<Scope, 'isAdmin' | 'canSeeCluster' | 'canSeeNamespace'>,
): boolean {
  if (source.writer) return scope.canSeeNamespace(source.writer.cluster, source.writer.namespace);
  if (source.cluster) return scope.canSeeCluster(source.cluster);
  return scope.isAdmin;
}

const HEADER = [
  'kind',
  'cluster',
  'source',
  'writer',
  'sourceState',
  'partitionOrLocation',
  'state',
  'ageSeconds',
  'snapshot',
  'lsn',
  'node',
  'error',
  'findingCodes',
];

/** One line per Restate partition or etcd storage location; a source with neither gets one line of its own. */
export function snapshotSourcesToCsv(sources: SnapshotSource[]): string {
  const lines: CsvValue[][] = [];
  for (const source of sources) {
    const writer = source.writer ? `${source.writer.cluster}/${source.writer.namespace}/${source.writer.serviceAccount}` : '';
    const common: CsvValue[] = [source.kind, source.cluster, source.source, writer, source.state];
    const codes = source.findings.map((finding) => finding.code).join(' ');
    const rows: CsvValue[][] =
      source.kind === 'restate'
        ? source.partitions.map((partition) => [
            partition.id,
            partition.state,
            partition.ageSeconds,
            partition.snapshotId,
            partition.minAppliedLsn,
            partition.nodeName,
            partition.error ? `${partition.error.code}: ${partition.error.message}` : partition.missingReason,
          ])
        : source.locations.map((location) => [
            location.location,
            location.state,
            location.newestSuccess?.ageSeconds,
            location.newestSuccess?.name,
            null,
            null,
            location.recentFailures[0]?.message,
          ]);
    if (rows.length === 0)
      rows.push([
        null,
        null,
        null,
        null,
        null,
        null,
        source.kind === 'restate' && source.error ? `${source.error.operation} ${source.error.code}: ${source.error.message}` : null,
      ]);
    for (const row of rows) lines.push([...common, ...row, codes]);
  }
  return toCsv(HEADER, lines);
}
