import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput, notFound } from '@/lib/http/errors';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { askAws } from '@/lib/console/permission-queries';

export const dynamic = 'force-dynamic';

/**
 * GET …/permissions/simulate?action=&resource=: "Ask AWS". Calls iam:SimulatePrincipalPolicy (a read) for the
 * SA's effective role with its session tags and session policy, and returns AWS's answer next to the console's.
 * 404 when the SA is unknown, out of scope, or has no workload identity to simulate.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ cluster: string; namespace: string; name: string }> },
): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  const { cluster, namespace, name } = await params;
  const { result } = parseAccessQuestion(new URL(request.url).searchParams);
  if (!result.success) return invalidInput(result.error, 'Name an IAM action and a resource ARN.');
  const answer = await askAws(cluster, namespace, name, scopeOf(principal), { action: result.data.action, resource: result.data.resource });
  if (!answer) return notFound(`A workload identity for service account ${cluster}/${namespace}/${name}`);
  return Response.json(answer, { headers: { 'cache-control': 'no-store' } });
}
