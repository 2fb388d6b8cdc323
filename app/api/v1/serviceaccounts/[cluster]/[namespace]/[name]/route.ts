import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { notFound } from '@/lib/http/errors';
import { serviceAccountDetailJson } from '@/lib/console/api-shapes';
import { getServiceAccountDetail, refreshIfAsked } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/** GET /api/v1/serviceaccounts/{cluster}/{namespace}/{name}: the row plus chain[] and pods[]; 404 when unknown or out of scope. */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string; namespace: string; name: string }> },
): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const { cluster, namespace, name } = await params;
  const detail = await getServiceAccountDetail(cluster, namespace, name, scopeOf(principal));
  if (!detail) return notFound(`Service account ${cluster}/${namespace}/${name}`);
  const { collectedAt, ...rest } = detail;
  return Response.json(serviceAccountDetailJson(rest, collectedAt), { headers: { 'cache-control': 'no-store' } });
}
