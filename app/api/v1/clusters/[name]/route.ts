import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { notFound } from '@/lib/http/errors';
import { getClusterRow, refreshIfAsked } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/** GET /api/v1/clusters/{name}: one cluster's posture and findings, plus the sources that failed for it. */
export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const { name } = await params;
  const cluster = await getClusterRow(name, scopeOf(principal));
  if (!cluster) return notFound(`Cluster ${name}`);
  return Response.json(cluster, { headers: { 'cache-control': 'no-store' } });
}
