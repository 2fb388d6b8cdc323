import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { apiError, invalidInput } from '@/lib/http/errors';
import { refreshIfAsked } from '@/lib/console/queries';
import { getSnapshotSources } from '@/lib/console/snapshot-queries';
import { parseSnapshotFilters, snapshotSourcesToCsv } from '@/lib/console/snapshot-view';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/snapshots: every snapshot source the caller may see (Restate destinations, K3s/RKE2 etcd
 * locations) with partitions or locations, findings and the writer's identity. Filters `cluster`, `state`,
 * `kind` (comma lists allowed); `format=csv` gives one line per partition or location.
 */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const params = new URL(request.url).searchParams;
  const format = params.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') return apiError(400, 'invalid-input', 'The filters are invalid.', { fields: { format: 'expected "json" or "csv"' } });
  const filters = parseSnapshotFilters(params);
  if (!filters.success) return invalidInput(filters.error, 'The filters are invalid.');
  const result = await getSnapshotSources(filters.data, scopeOf(principal));
  const headers = { 'cache-control': 'no-store' };
  if (format === 'csv')
    return new Response(snapshotSourcesToCsv(result.items), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="snapshots.csv"' } });
  return Response.json(result, { headers });
}
