import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput } from '@/lib/http/errors';
import { csvResponse, listFormatOf } from '@/lib/console/csv';
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
  const format = listFormatOf(params);
  if (format instanceof Response) return format;
  const filters = parseSnapshotFilters(params);
  if (!filters.success) return invalidInput(filters.error, 'The filters are invalid.');
  const result = await getSnapshotSources(filters.data, scopeOf(principal));
  if (format === 'csv') return csvResponse(snapshotSourcesToCsv(result.items), 'snapshots.csv');
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
}
