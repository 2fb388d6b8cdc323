import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { podIdentityRoleOptions } from '@/lib/console/role-options';
import { apiError } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/roles?cluster=NAME: roles of the cluster's account that trust pods.eks.amazonaws.com. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  const cluster = new URL(request.url).searchParams.get('cluster')?.trim();
  if (!cluster) return apiError(400, 'invalid-input', 'Name the cluster.', { fields: { cluster: 'required' } });
  const options = await podIdentityRoleOptions(cluster, scopeOf(principal));
  if (!options) return apiError(404, 'not-found', `Cluster ${cluster} was not found.`);
  return Response.json(options, { headers: { 'cache-control': 'no-store' } });
}
