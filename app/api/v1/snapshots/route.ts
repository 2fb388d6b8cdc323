import { apiRoute } from '@/lib/console/api-route';
import { csvResponse, listFormatOf } from '@/lib/console/csv';
import { getSnapshotSources } from '@/lib/console/snapshot-queries';
import { parseSnapshotFilters, snapshotSourcesToCsv } from '@/lib/console/snapshot-view';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/snapshots: every snapshot source the caller may see (Restate destinations, K3s/RKE2 etcd
 * locations) with partitions or locations, findings and the writer's identity. Filters `cluster`, `state`,
 * `kind` (comma lists allowed); `format=csv` gives one line per partition or location.
 */
export const GET = apiRoute({ refresh: true, query: parseSnapshotFilters }, async ({ query, scope, searchParams }) => {
  const format = listFormatOf(searchParams);
  if (format instanceof Response) return format;
  const result = await getSnapshotSources(query, scope);
  if (format === 'csv') return csvResponse(snapshotSourcesToCsv(result.items), 'snapshots.csv');
  return result;
});
