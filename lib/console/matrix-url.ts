import type { Mechanism } from '@/lib/model/identity-row';
import { MIGRATION_STATES } from '@/lib/migration/states';

export { MIGRATION_STATES };

// The matrix's URL vocabulary, without zod, so client components can build links without shipping the parser.

export const MECHANISMS = ['pod-identity', 'irsa', 'both', 'static-keys', 'none', 'mixed', 'unknown'] as const satisfies readonly (
  Mechanism | 'unknown'
)[];
/** `ok` selects rows without findings; the others select rows whose worst finding has that severity. */
export const SEVERITY_FILTERS = ['error', 'warning', 'info', 'ok'] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

/** The snapshot column's filter: the worst state of the row's snapshot sources, or `none` for rows that write none. */
export const SNAPSHOT_FILTERS = ['fresh', 'stale', 'failing', 'unreadable', 'none'] as const;

export const SORT_KEYS = ['cluster', 'namespace', 'name', 'mechanism', 'pods', 'stale', 'severity'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export const VIEW_KEYS = [
  'cluster',
  'namespace',
  'mechanism',
  'migration',
  'severity',
  'code',
  'snapshot',
  'q',
  'sort',
  'page',
  'pageSize',
] as const;
export type ViewKey = (typeof VIEW_KEYS)[number];
export type ViewParams = Partial<Record<ViewKey, string>>;

/** Default: worst first, then cluster/namespace/name, so what is broken is on page one. Ties always break by identity. */
export const DEFAULT_SORT = '-severity';

/** The URL search string for a view, with empty values and defaults dropped so shared links stay short. */
export function viewSearch(view: Partial<Record<ViewKey, string | number | string[] | undefined>>): string {
  const params = new URLSearchParams();
  for (const key of VIEW_KEYS) {
    const value = view[key];
    const text = Array.isArray(value) ? value.join(',') : value === undefined ? '' : String(value);
    if (text === '' || (key === 'page' && text === '1') || (key === 'sort' && text === DEFAULT_SORT)) continue;
    params.set(key, text);
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The view a URL's search params hold: the known keys, blank values dropped (row-filters' viewInputFrom, without
 * zod, for client components reading useSearchParams).
 */
export function viewParamsOf(params: { get(key: string): string | null }): ViewParams {
  const view: ViewParams = {};
  for (const key of VIEW_KEYS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== '') view[key] = value;
  }
  return view;
}

/** GET /api/v1/serviceaccounts's search string for one page of a view (with `page` always set: only then is the answer a page). */
export function matrixApiSearch(view: ViewParams, page: number | string = view.page ?? 1): string {
  const search = new URLSearchParams(viewSearch({ ...view, page: undefined }).slice(1));
  search.set('page', String(page));
  return search.toString();
}

/** A view's filters alone, without sort and paging, as a search string: what the pickers' choices depend on. */
export function filterSearch(view: ViewParams): string {
  return viewSearch({ ...view, sort: undefined, page: undefined, pageSize: undefined });
}
