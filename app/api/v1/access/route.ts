import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput } from '@/lib/http/errors';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { getAccess } from '@/lib/console/permission-queries';
import { refreshIfAsked } from '@/lib/console/queries';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/access?action=s3:PutObject&resource=arn:aws:s3:::bucket/key[&cluster=&namespace=]: every service
 * account in the caller's scope whose effective identity is allowed (or explicitly denied, or cannot be judged)
 * that request, with the deciding statements. Missing or malformed action/resource is a 400.
 */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  refreshIfAsked(request);
  const { result } = parseAccessQuestion(new URL(request.url).searchParams);
  if (!result.success) return invalidInput(result.error, 'Name an IAM action and a resource ARN.');
  const { action, resource, cluster, namespace } = result.data;
  const answer = await getAccess({ action, resource }, { cluster, namespace }, scopeOf(principal));
  return Response.json(answer, { headers: { 'cache-control': 'no-store' } });
}
