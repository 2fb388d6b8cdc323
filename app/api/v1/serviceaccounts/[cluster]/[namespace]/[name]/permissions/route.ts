import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput, notFound } from '@/lib/http/errors';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { getServiceAccountPermissions } from '@/lib/console/permission-queries';
import { refreshIfAsked } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/**
 * GET …/permissions: the identity chain, the policies that take part and the allowed actions by service
 * (api.md "Permissions"). With `action` and `resource`, also `check`: the verdict on that one request.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string; namespace: string; name: string }> },
): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const { cluster, namespace, name } = await params;
  const search = new URL(request.url).searchParams;
  let check: { action: string; resource: string } | undefined;
  if (search.has('action') || search.has('resource')) {
    const { result } = parseAccessQuestion(search);
    if (!result.success) return invalidInput(result.error, 'Name an IAM action and a resource ARN.');
    check = { action: result.data.action, resource: result.data.resource };
  }
  const permissions = await getServiceAccountPermissions(cluster, namespace, name, scopeOf(principal), check);
  if (!permissions) return notFound(`Service account ${cluster}/${namespace}/${name}`);
  return Response.json(permissions, { headers: { 'cache-control': 'no-store' } });
}
