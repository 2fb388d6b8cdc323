import { apiRoute } from '@/lib/console/api-route';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { askAws } from '@/lib/console/permission-queries';
import { notFound } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/**
 * GET …/permissions/simulate?action=&resource=: "Ask AWS". Calls iam:SimulatePrincipalPolicy (a read) for the
 * SA's effective role with its session tags and session policy, and returns AWS's answer next to the console's.
 * 404 when the SA is unknown, out of scope, or has no workload identity to simulate.
 */
export const GET = apiRoute<{ cluster: string; namespace: string; name: string }, { action: string; resource: string }>(
  { query: (params) => parseAccessQuestion(params).result, invalidQuery: 'Name an IAM action and a resource ARN.' },
  async ({ params: { cluster, namespace, name }, scope, query: { action, resource } }) => {
    const answer = await askAws(cluster, namespace, name, scope, { action, resource });
    return answer ?? notFound(`A workload identity for service account ${cluster}/${namespace}/${name}`);
  },
);
