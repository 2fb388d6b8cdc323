import { z } from 'zod';
import { commaList, commaListOf } from './url-lists';
import { SEVERITY_RANK, type Severity } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import {
  DEFAULT_SORT,
  MAX_PAGE_SIZE,
  MECHANISMS,
  MIGRATION_STATES,
  PAGE_SIZE,
  SEVERITY_FILTERS,
  SNAPSHOT_FILTERS,
  SORT_KEYS,
  VIEW_KEYS,
  type SeverityFilter,
  type SortKey,
} from './matrix-url';

export { PAGE_SIZE, viewSearch, type SeverityFilter } from './matrix-url';

// The matrix's filters, sorting and paging, parsed from URL search params. The same parser serves the page
// and GET /api/v1/serviceaccounts, so an on-call link and an API call with the same query see the same rows.

export const serviceAccountFiltersSchema = z.object({
  cluster: commaList,
  namespace: commaList,
  mechanism: commaListOf(MECHANISMS, 'mechanism'),
  migration: commaListOf(MIGRATION_STATES, 'migration state'),
  snapshot: commaListOf(SNAPSHOT_FILTERS, 'snapshot state'),
  severity: commaListOf(SEVERITY_FILTERS, 'severity'),
  code: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const codes = value
        .split(',')
        .map((part) => part.trim().toUpperCase())
        .filter(Boolean);
      const bad = codes.filter((code) => !/^[A-Z]{2}\d{3}$/.test(code));
      if (bad.length)
        ctx.addIssue({ code: 'custom', message: `"${bad.join(', ')}" is not a finding code (two letters and three digits, e.g. PI005)` });
      return codes;
    })
    .optional(),
  q: z.string().trim().max(200, 'at most 200 characters').optional(),
});

export type ServiceAccountFilters = z.output<typeof serviceAccountFiltersSchema>;

const sortSchema = z
  .string()
  .trim()
  .regex(
    new RegExp(`^-?(${SORT_KEYS.join('|')})$`),
    `expected one of ${SORT_KEYS.join(', ')}, optionally prefixed with "-" for descending`,
  );

export const matrixViewSchema = serviceAccountFiltersSchema.extend({
  sort: sortSchema.optional(),
  page: z.coerce.number({ error: 'expected a page number' }).int('expected a whole page number').min(1, 'pages start at 1').optional(),
  pageSize: z.coerce.number({ error: 'expected a number' }).int().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE}`).optional(),
});

export type MatrixView = z.output<typeof matrixViewSchema>;

/** Reads the known keys of URL search params (Next's searchParams object or a URLSearchParams); empty values count as absent. */
export function viewInputFrom(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of VIEW_KEYS) {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined && single !== null && single.trim() !== '') input[key] = single;
  }
  return input;
}

export function parseMatrixView(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  return matrixViewSchema.safeParse(viewInputFrom(params));
}

function rowSearchText(row: ServiceAccountRow): string {
  return [
    row.cluster,
    row.namespace,
    row.name,
    `${row.namespace}/${row.name}`,
    row.mechanism,
    row.podIdentity?.roleArn,
    row.podIdentity?.targetRoleArn,
    row.podIdentity?.associationId,
    row.irsa?.roleArn,
    ...row.findings.map((finding) => `${finding.code} ${finding.title}`),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

function severityOf(row: ServiceAccountRow): SeverityFilter {
  return row.worstSeverity ?? 'ok';
}

type FilterKey = keyof ServiceAccountFilters;

/** One predicate per filter, so severity counts can be taken with every filter except severity itself. */
function predicates(filters: ServiceAccountFilters, skip?: FilterKey): ((row: ServiceAccountRow) => boolean)[] {
  const tests: ((row: ServiceAccountRow) => boolean)[] = [];
  if (skip !== 'cluster' && filters.cluster?.length) {
    const clusters = new Set(filters.cluster);
    tests.push((row) => clusters.has(row.cluster));
  }
  if (skip !== 'namespace' && filters.namespace?.length) {
    const namespaces = new Set(filters.namespace);
    tests.push((row) => namespaces.has(row.namespace));
  }
  if (filters.snapshot?.length) {
    const states = new Set<string>(filters.snapshot);
    tests.push((row) => states.has(row.snapshots?.state ?? 'none'));
  }
  if (skip !== 'mechanism' && filters.mechanism?.length) {
    const mechanisms = new Set<string>(filters.mechanism);
    tests.push((row) => mechanisms.has(row.mechanism));
  }
  if (filters.migration?.length) {
    const states = new Set<string>(filters.migration);
    tests.push((row) => states.has(row.migration?.state ?? 'not-applicable'));
  }
  if (skip !== 'severity' && filters.severity?.length) {
    const severities = new Set<string>(filters.severity);
    tests.push((row) => severities.has(severityOf(row)));
  }
  if (skip !== 'code' && filters.code?.length) {
    const codes = new Set(filters.code);
    tests.push((row) => row.findings.some((finding) => codes.has(finding.code)));
  }
  if (skip !== 'q' && filters.q) {
    const needle = filters.q.toLowerCase();
    tests.push((row) => rowSearchText(row).includes(needle));
  }
  return tests;
}

/**
 * Whether a search names this row by a whole word of its cluster, namespace or name (split at - . _ /), or by a
 * whole name. Used only to count matches outside the caller's scope: whole words, never substrings, so the
 * count cannot be used to spell out hidden names letter by letter, and never findings, roles or other filters,
 * so it says nothing about what a hidden row is or how it fares.
 */
export function searchNamesRow(row: Pick<ServiceAccountRow, 'cluster' | 'namespace' | 'name'>, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return false;
  const names = [row.cluster, row.namespace, row.name, `${row.namespace}/${row.name}`].map((name) => name.toLowerCase());
  if (names.includes(needle)) return true;
  return names.some((name) => name.split(/[-._/]/).includes(needle));
}

/**
 * Values a link names that cannot match anything: clusters the caller cannot see (or that do not exist; the two
 * read alike) and codes a service-account row never carries. The page names them instead of showing an empty table.
 */
export function unknownFilterValues(
  filters: ServiceAccountFilters,
  known: { clusters: readonly string[]; codes: readonly string[] },
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const clusters = (filters.cluster ?? []).filter((cluster) => !known.clusters.includes(cluster));
  if (clusters.length)
    issues.push({
      path: ['cluster'],
      message: `no cluster you can see is named ${clusters.map((cluster) => `"${cluster}"`).join(', ')}`,
    });
  const codes = (filters.code ?? []).filter((code) => !known.codes.includes(code));
  if (codes.length)
    issues.push({
      path: ['code'],
      message: `${codes.join(', ')} ${codes.length === 1 ? 'is not a code' : 'are not codes'} a service account can have`,
    });
  return issues;
}

export function filterServiceAccountRows(rows: ServiceAccountRow[], filters: ServiceAccountFilters): ServiceAccountRow[] {
  const tests = predicates(filters);
  return tests.length ? rows.filter((row) => tests.every((test) => test(row))) : rows;
}

export interface FacetOption {
  value: string;
  /** Rows with this value among those every other filter lets through: what choosing it would show. */
  count: number;
}

export interface FilterFacets {
  clusters: FacetOption[];
  namespaces: FacetOption[];
  codes: FacetOption[];
}

/**
 * The choices each picker offers, narrowed by the other filters: the namespaces of the chosen cluster, the codes
 * that occur, each with its row count. A value that occurs nowhere is not offered, so no choice is a dead end.
 */
export function filterFacets(rows: ServiceAccountRow[], filters: ServiceAccountFilters): FilterFacets {
  const facet = (skip: FilterKey, valuesOf: (row: ServiceAccountRow) => Iterable<string>): FacetOption[] => {
    const tests = predicates(filters, skip);
    const counts = new Map<string, number>();
    for (const row of rows) {
      if (!tests.every((test) => test(row))) continue;
      for (const value of new Set(valuesOf(row))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value));
  };
  return {
    clusters: facet('cluster', (row) => [row.cluster]),
    namespaces: facet('namespace', (row) => [row.namespace]),
    codes: facet('code', (row) => row.findings.map((finding) => finding.code)),
  };
}

export type SeverityCounts = Record<SeverityFilter, number>;

/** Rows per worst severity among the rows every other filter lets through: what each severity chip would show. */
export function severityCounts(rows: ServiceAccountRow[], filters: ServiceAccountFilters): SeverityCounts {
  const tests = predicates(filters, 'severity');
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, ok: 0 };
  for (const row of rows) if (tests.every((test) => test(row))) counts[severityOf(row)] += 1;
  return counts;
}

const MECHANISM_ORDER: Record<string, number> = { mixed: 0, both: 1, 'static-keys': 2, 'pod-identity': 3, irsa: 4, none: 5, unknown: 6 };

function compareBy(key: SortKey): (a: ServiceAccountRow, b: ServiceAccountRow) => number {
  switch (key) {
    case 'cluster':
    case 'namespace':
    case 'name':
      return (a, b) => a[key].localeCompare(b[key]);
    case 'mechanism':
      return (a, b) => (MECHANISM_ORDER[a.mechanism] ?? 9) - (MECHANISM_ORDER[b.mechanism] ?? 9);
    case 'pods':
      return (a, b) => (a.pods.total ?? -1) - (b.pods.total ?? -1);
    case 'stale':
      return (a, b) => (a.pods.stale ?? -1) - (b.pods.stale ?? -1);
    case 'severity':
      return (a, b) => severityRank(a.worstSeverity) - severityRank(b.worstSeverity) || a.findings.length - b.findings.length;
  }
}

function severityRank(severity: Severity | null): number {
  return severity ? SEVERITY_RANK[severity] : 0;
}

const identityOrder = (a: ServiceAccountRow, b: ServiceAccountRow) =>
  a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

export function sortServiceAccountRows(rows: ServiceAccountRow[], sort: string = DEFAULT_SORT): ServiceAccountRow[] {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const compare = SORT_KEYS.includes(key) ? compareBy(key) : compareBy('severity');
  const direction = descending ? -1 : 1;
  return [...rows].sort((a, b) => direction * compare(a, b) || identityOrder(a, b));
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

/** A page past the end is clamped to the last page, so a stale link after rows disappear still shows rows. */
export function pageOf<T>(items: T[], page = 1, pageSize = PAGE_SIZE): Paged<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  return { items: items.slice((current - 1) * pageSize, current * pageSize), page: current, pageSize, total: items.length, pageCount };
}
