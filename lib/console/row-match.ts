import { SEVERITY_RANK, type Severity } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { DEFAULT_SORT, PAGE_SIZE, SORT_KEYS, type SeverityFilter, type SortKey } from './matrix-url';
import type { ServiceAccountFilters } from './row-filters';

// What the matrix's filters and sort do to rows, without zod: the server filters, sorts and pages with these, and
// the browser can apply the very same predicates to a row pushed by GET /api/v1/events. The parser that validates
// a URL into filters stays in row-filters.ts.

// A row object is never changed once built (a new view builds new rows), so its search text is worked out once.
const searchTexts = new WeakMap<ServiceAccountRow, string>();

function rowSearchText(row: ServiceAccountRow): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = searchTextOf(row);
    searchTexts.set(row, text);
  }
  return text;
}

function searchTextOf(row: ServiceAccountRow): string {
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

export function filterServiceAccountRows(rows: ServiceAccountRow[], filters: ServiceAccountFilters): ServiceAccountRow[] {
  const tests = predicates(filters);
  return tests.length ? rows.filter((row) => tests.every((test) => test(row))) : rows;
}

// A search of an array kept as long as its view (sortedServiceAccountRows' answer) reads one string holding every
// row's search text, each followed by a character no row's text holds: one indexOf walk instead of a WeakMap read
// and a substring test per row, which took the server 12-25 ms a keystroke at 50,000 rows (fleet bench; the
// lookups alone ~12 ms). The index is built once per array (~35 ms at that size; warmSearchIndex does it ahead).
const SEPARATOR = '\u0000';

interface SearchIndex {
  text: string;
  /** ends[i]: where row i's text ends in `text` (its separator's offset). */
  ends: Uint32Array;
}

const searchIndexes = new WeakMap<readonly ServiceAccountRow[], SearchIndex>();

function searchIndexOf(rows: readonly ServiceAccountRow[]): SearchIndex {
  let index = searchIndexes.get(rows);
  if (!index) {
    const texts = rows.map(rowSearchText);
    const ends = new Uint32Array(rows.length);
    let offset = 0;
    texts.forEach((text, i) => {
      ends[i] = offset + text.length;
      offset = ends[i] + SEPARATOR.length;
    });
    index = { text: texts.join(SEPARATOR), ends };
    searchIndexes.set(rows, index);
  }
  return index;
}

/** The rows whose search text holds `needle` (lowercase, without the separator), in their order. */
function rowsContaining(rows: readonly ServiceAccountRow[], needle: string): ServiceAccountRow[] {
  const { text, ends } = searchIndexOf(rows);
  const found: ServiceAccountRow[] = [];
  let row = 0;
  let at = text.indexOf(needle);
  while (at !== -1) {
    // A match never spans a separator, so it lies in the first row ending after it; the search goes on from the
    // next row's start, each row listed once.
    while (ends[row] < at) row += 1;
    found.push(rows[row]);
    at = text.indexOf(needle, ends[row] + SEPARATOR.length);
    row += 1;
  }
  return found;
}

/**
 * filterServiceAccountRows for an array that is never changed and lives as long as its view (a view's rows, or
 * sortedServiceAccountRows' answer): the same rows in the same order, its search answered from an index of the
 * array built at its first search.
 */
export function filterLastingRows(rows: readonly ServiceAccountRow[], filters: ServiceAccountFilters): ServiceAccountRow[] {
  const needle = filters.q?.toLowerCase();
  if (!needle || needle.includes(SEPARATOR)) return filterServiceAccountRows(rows as ServiceAccountRow[], filters);
  return filterServiceAccountRows(rowsContaining(rows, needle), { ...filters, q: undefined });
}

/** Sorts a view's rows in the default order and indexes them for search, before anyone searches them. */
export function warmSearchIndex(rows: readonly ServiceAccountRow[]): void {
  searchIndexOf(sortedServiceAccountRows(rows));
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

// Intl.Collator's compare is the order localeCompare gives, at a fraction of the cost per call.
const collator = new Intl.Collator();

function compareBy(key: SortKey): (a: ServiceAccountRow, b: ServiceAccountRow) => number {
  switch (key) {
    case 'cluster':
    case 'namespace':
    case 'name':
      return (a, b) => collator.compare(a[key], b[key]);
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
  collator.compare(a.cluster, b.cluster) || collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name);

function rowOrder(sort: string): (a: ServiceAccountRow, b: ServiceAccountRow) => number {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const compare = SORT_KEYS.includes(key) ? compareBy(key) : compareBy('severity');
  const direction = descending ? -1 : 1;
  return (a, b) => direction * compare(a, b) || identityOrder(a, b);
}

export function sortServiceAccountRows(rows: readonly ServiceAccountRow[], sort: string = DEFAULT_SORT): ServiceAccountRow[] {
  return [...rows].sort(rowOrder(sort));
}

// A view's rows array is never changed once built (a new view, or an incremental update, makes a new array), so
// each order of it is sorted once; a filter then keeps that order, and a search over 50,000 rows needs no sort.
const sortedViews = new WeakMap<readonly ServiceAccountRow[], Map<string, ServiceAccountRow[]>>();

/** `rows` in the order `sort` gives, remembered for that array: filter the result rather than sorting what a filter left. */
export function sortedServiceAccountRows(rows: readonly ServiceAccountRow[], sort: string = DEFAULT_SORT): ServiceAccountRow[] {
  let orders = sortedViews.get(rows);
  if (!orders) sortedViews.set(rows, (orders = new Map()));
  let sorted = orders.get(sort);
  if (!sorted) orders.set(sort, (sorted = sortServiceAccountRows(rows, sort)));
  return sorted;
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
