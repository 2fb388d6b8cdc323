import type { ClusterRow, ServiceAccountRow } from '@/lib/model/identity-row';
import { DEFAULT_SORT } from './matrix-url';
import type { ServiceAccountFilters } from './row-filters';
import { filterServiceAccountRows, sortServiceAccountRows, type SeverityCounts } from './row-match';

// What an event of GET /api/v1/events does to the data a page holds (components/shell/live-events.tsx applies it to
// the TanStack Query cache). Browser-safe: no zod, no server modules. The row predicates are row-match's, the very
// ones the server filtered the page with, so a patched page shows what a re-read would.

interface RowRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** `event: rows` (lib/console/fleet-events.ts RowsEvent; the type lives in a server module). */
export interface RowsEventData {
  at: string;
  upserts: ServiceAccountRow[];
  removed: RowRef[];
  resync?: true;
}

/** `event: clusters`. */
export interface ClustersEventData {
  at: string;
  upserts: ClusterRow[];
  removed: string[];
}

/** The part of a matrix page (lib/console/matrix-page.ts MatrixPage) a row change can move. */
export interface PatchablePage {
  items: ServiceAccountRow[];
  total: number;
  severityCounts: SeverityCounts;
}

const rowKey = (ref: RowRef) => `${ref.cluster}\0${ref.namespace}\0${ref.name}`;

const list = (value: string | null, transform: (part: string) => string = (part) => part) => {
  const parts = (value ?? '')
    .split(',')
    .map((part) => transform(part.trim()))
    .filter(Boolean);
  return parts.length ? parts : undefined;
};

/** The filters and sort of a GET /api/v1/serviceaccounts search string, as the server's parser reads a valid one. */
export function viewOfSearch(search: string): { filters: ServiceAccountFilters; sort: string } {
  const params = new URLSearchParams(search);
  const filters = {
    cluster: list(params.get('cluster')),
    namespace: list(params.get('namespace')),
    mechanism: list(params.get('mechanism')),
    migration: list(params.get('migration')),
    snapshot: list(params.get('snapshot')),
    severity: list(params.get('severity')),
    code: list(params.get('code'), (code) => code.toUpperCase()),
    q: params.get('q')?.trim() || undefined,
  } as ServiceAccountFilters;
  return { filters, sort: params.get('sort')?.trim() || DEFAULT_SORT };
}

export interface PagePatch<T> {
  /** The page with the change applied; the same object when nothing on it changed. */
  page: T;
  /**
   * A changed row is not on this page but now belongs among its rows (or its counts): where it sorts in, and
   * what it counted before, only the server knows, so this one page is re-read.
   */
  refetch: boolean;
}

const severityOf = (row: ServiceAccountRow) => row.worstSeverity ?? 'ok';

/**
 * A rows event applied to one cached matrix page read with `search`: a row on the page that still matches is
 * replaced (and the page re-sorted), one that no longer matches, or is gone, leaves it, with the total and the
 * severity chips' counts moved to match.
 */
export function patchMatrixPage<T extends PatchablePage>(page: T, search: string, event: RowsEventData): PagePatch<T> {
  const { filters, sort } = viewOfSearch(search);
  const { severity: _severity, ...countFilters } = filters;
  void _severity;
  const matches = (row: ServiceAccountRow, which: ServiceAccountFilters) => filterServiceAccountRows([row], which).length === 1;
  const positions = new Map(page.items.map((row, index) => [rowKey(row), index]));
  let items: (ServiceAccountRow | null)[] | null = null;
  let total = page.total;
  const counts = { ...page.severityCounts };
  let refetch = false;

  const change = (ref: RowRef, next: ServiceAccountRow | null) => {
    const index = positions.get(rowKey(ref));
    if (index === undefined) {
      if (next && matches(next, countFilters)) refetch = true;
      return;
    }
    items ??= [...page.items];
    const previous = items[index];
    if (!previous) return;
    counts[severityOf(previous)] -= 1;
    if (next && matches(next, countFilters)) counts[severityOf(next)] += 1;
    if (next && matches(next, filters)) items[index] = next;
    else {
      items[index] = null;
      positions.delete(rowKey(ref));
      total -= 1;
    }
  };
  for (const row of event.upserts) change(row, row);
  for (const ref of event.removed) change(ref, null);
  if (!items) return { page, refetch };
  const kept = (items as (ServiceAccountRow | null)[]).filter((row): row is ServiceAccountRow => row !== null);
  return { page: { ...page, items: sortServiceAccountRows(kept, sort), total, severityCounts: counts }, refetch };
}

/** A clusters event applied to the /clusters list: rows replaced or removed by name; a cluster new to it asks for a re-read. */
export function patchClusterList<T extends { items: ClusterRow[] }>(list: T, event: ClustersEventData): PagePatch<T> {
  const upserts = new Map(event.upserts.map((cluster) => [cluster.name, cluster]));
  const removed = new Set(event.removed);
  const known = new Set(list.items.map((cluster) => cluster.name));
  const refetch = [...upserts.keys()].some((name) => !known.has(name));
  if (![...upserts.keys(), ...removed].some((name) => known.has(name))) return { page: list, refetch };
  const items = list.items.filter((cluster) => !removed.has(cluster.name)).map((cluster) => upserts.get(cluster.name) ?? cluster);
  return { page: { ...list, items }, refetch };
}

/**
 * A service account's page (GET /api/v1/serviceaccounts/{cluster}/{namespace}/{name}: the row, with its pod counts
 * as `podCounts`, plus chain[] and pods[]) with a pushed row's fields, so its findings change at once; the chain
 * and pods are the row's to re-read (the caller invalidates the query).
 */
export function patchServiceAccountDetail<T extends { podCounts: ServiceAccountRow['pods'] }>(detail: T, row: ServiceAccountRow): T {
  const { pods, ...fields } = row;
  return { ...detail, ...fields, podCounts: pods };
}
