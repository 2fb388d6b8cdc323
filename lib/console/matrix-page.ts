import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { catalogEntry } from '@/lib/identity/catalog';
import { getFilterOptions, getKubernetesFirstRows, getServiceAccountRows, type ListResult, type SourceErrorSummary } from './queries';
import type { MatrixView } from './row-filters';
import { PAGE_SIZE } from './matrix-url';
import { filterServiceAccountRows, pageOf, severityCounts, type FacetOption, type SeverityCounts } from './row-match';

/** One page of the matrix: what the page renders and what the table refreshes from the API. */
export interface MatrixPage {
  items: ServiceAccountRow[];
  errors: SourceErrorSummary[];
  collectedAt: string;
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
  severityCounts: SeverityCounts;
  /** Search matches outside the caller's scope (a count only; see ListResult.outsideScope). */
  outsideScope?: number;
}

/** The filter pickers' choices under a view's other filters, each with its row count; codes carry their titles. */
export interface MatrixFacets {
  clusters: FacetOption[];
  namespaces: FacetOption[];
  codes: (FacetOption & { name: string })[];
}

export async function getMatrixFacets(view: MatrixView, scope: Scope): Promise<MatrixFacets> {
  const options = await getFilterOptions(scope, view);
  return { ...options, codes: options.codes.map((option) => ({ ...option, name: catalogEntry(option.value)?.title ?? option.value })) };
}

export function getMatrixPage(view: MatrixView, scope: Scope): Promise<MatrixPage> {
  return matrixPageOf(view, (filters, sort) => getServiceAccountRows(filters, scope, sort));
}

/** The same page from Kubernetes alone: what the matrix shows first while AWS answers. */
export function getKubernetesFirstMatrixPage(view: MatrixView, scope: Scope): Promise<MatrixPage> {
  return matrixPageOf(view, (filters, sort) => getKubernetesFirstRows(filters, scope, sort));
}

async function matrixPageOf(
  view: MatrixView,
  read: (filters: Omit<MatrixView, 'sort' | 'page' | 'pageSize' | 'severity'>, sort?: string) => Promise<ListResult<ServiceAccountRow>>,
): Promise<MatrixPage> {
  const { sort, page, pageSize, severity, ...otherFilters } = view;
  // Severity is applied here, after counting, so each chip shows what selecting it would list.
  // Rows come in the page's order: filtering keeps it, so nothing is sorted per request.
  const result = await read(otherFilters, sort);
  const counts = severityCounts(result.items, {});
  const rows = severity?.length ? filterServiceAccountRows(result.items, { severity }) : result.items;
  const paged = pageOf(rows, page, pageSize ?? PAGE_SIZE);
  return {
    ...paged,
    errors: result.errors,
    collectedAt: result.collectedAt,
    severityCounts: counts,
    ...(result.outsideScope !== undefined ? { outsideScope: result.outsideScope } : {}),
  };
}
