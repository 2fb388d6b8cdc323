import { apiRoute } from '@/lib/console/api-route';
import { getClusterRows } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/** GET /api/v1/clusters: `{items, errors, collectedAt}`, one item per configured cluster the caller may see. */
export const GET = apiRoute({ refresh: true }, async ({ scope }) => getClusterRows(scope));
