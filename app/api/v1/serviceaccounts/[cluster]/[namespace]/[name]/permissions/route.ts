import { apiRoute } from '@/lib/console/api-route';
import { parseAccessQuestion } from '@/lib/console/access-question';
import { getServiceAccountPermissions } from '@/lib/console/permission-queries';
import { invalidInput, notFound } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/**
 * GET …/permissions: the identity chain, the policies that take part and the allowed actions by service
 * (api.md "Permissions"). With `action` and `resource`, also `check`: the verdict on that one request.
 */
export const GET = apiRoute<{ cluster: string; namespace: string; name: string }>(
  { refresh: true },
  async ({ params: { cluster, namespace, name }, scope, searchParams }) => {
    let check: { action: string; resource: string } | undefined;
    if (searchParams.has('action') || searchParams.has('resource')) {
      const { result } = parseAccessQuestion(searchParams);
      if (!result.success) return invalidInput(result.error, 'Name an IAM action and a resource ARN.');
      check = { action: result.data.action, resource: result.data.resource };
    }
    const permissions = await getServiceAccountPermissions(cluster, namespace, name, scope, check);
    return permissions ?? notFound(`Service account ${cluster}/${namespace}/${name}`);
  },
);
