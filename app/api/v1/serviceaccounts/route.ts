import { apiRoute } from '@/lib/console/api-route';
import { csvResponse, listFormatOf } from '@/lib/console/csv';
import { getMatrixPage } from '@/lib/console/matrix-page';
import { getServiceAccountRows } from '@/lib/console/queries';
import { parseMatrixView } from '@/lib/console/row-filters';
import { serviceAccountRowsToCsv } from '@/lib/console/service-account-csv';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/serviceaccounts: filters cluster, namespace, q, severity, code, mechanism (comma lists allowed).
 * JSON `{items, errors, collectedAt}`; `format=csv` gives the same rows as CSV. With `page` (and optional
 * `pageSize`, `sort`) the answer is one page plus `page, pageSize, pageCount, total, severityCounts`.
 */
export const GET = apiRoute({ refresh: true, query: parseMatrixView }, async ({ query: view, scope, searchParams }) => {
  const format = listFormatOf(searchParams);
  if (format instanceof Response) return format;
  if (format === 'json' && (view.page !== undefined || view.pageSize !== undefined)) return getMatrixPage(view, scope);
  const { sort, page: _page, pageSize: _pageSize, ...filters } = view;
  void _page;
  void _pageSize;
  const result = await getServiceAccountRows(filters, scope, sort);
  const items = result.items;
  if (format === 'csv') return csvResponse(serviceAccountRowsToCsv(items), 'serviceaccounts.csv');
  return {
    items,
    errors: result.errors,
    collectedAt: result.collectedAt,
    ...(result.outsideScope !== undefined ? { outsideScope: result.outsideScope } : {}),
  };
});
