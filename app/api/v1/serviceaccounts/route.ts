import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput } from '@/lib/http/errors';
import { csvResponse, listFormatOf } from '@/lib/console/csv';
import { getMatrixPage } from '@/lib/console/matrix-page';
import { getServiceAccountRows, refreshIfAsked } from '@/lib/console/queries';
import { parseMatrixView, sortServiceAccountRows } from '@/lib/console/row-filters';
import { serviceAccountRowsToCsv } from '@/lib/console/service-account-csv';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/serviceaccounts: filters cluster, namespace, q, severity, code, mechanism (comma lists allowed).
 * JSON `{items, errors, collectedAt}`; `format=csv` gives the same rows as CSV. With `page` (and optional
 * `pageSize`, `sort`) the answer is one page plus `page, pageSize, pageCount, total, severityCounts`.
 */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const params = new URL(request.url).searchParams;
  const format = listFormatOf(params);
  if (format instanceof Response) return format;
  const view = parseMatrixView(params);
  if (!view.success) return invalidInput(view.error, 'The filters are invalid.');
  const scope = scopeOf(principal);
  const headers = { 'cache-control': 'no-store' };

  if (format === 'json' && (view.data.page !== undefined || view.data.pageSize !== undefined)) {
    return Response.json(await getMatrixPage(view.data, scope), { headers });
  }
  const { sort, page: _page, pageSize: _pageSize, ...filters } = view.data;
  void _page;
  void _pageSize;
  const result = await getServiceAccountRows(filters, scope);
  const items = sortServiceAccountRows(result.items, sort);
  if (format === 'csv') return csvResponse(serviceAccountRowsToCsv(items), 'serviceaccounts.csv');
  return Response.json({ items, errors: result.errors, collectedAt: result.collectedAt }, { headers });
}
