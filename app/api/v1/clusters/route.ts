import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { getClusterRows, refreshIfAsked } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/** GET /api/v1/clusters: `{items, errors, collectedAt}`, one item per configured cluster the caller may see. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  return Response.json(await getClusterRows(scopeOf(principal)), { headers: { 'cache-control': 'no-store' } });
}
