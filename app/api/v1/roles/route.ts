import { z } from 'zod';
import { apiRoute } from '@/lib/console/api-route';
import { podIdentityRoleOptions } from '@/lib/console/role-options';
import { apiError } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

const rolesQuery = z.object({
  cluster: z.string({ error: 'required' }).trim().min(1, 'required'),
  namespace: z.string().trim().min(1).optional(),
});

/**
 * GET /api/v1/roles?cluster=NAME[&namespace=NS]: roles of the cluster's account that trust pods.eks.amazonaws.com
 * and that the caller may bind there (its grants' roles patterns and roleTags); noRolesHint when it may bind none.
 */
export const GET = apiRoute(
  {
    query: (params) =>
      rolesQuery.safeParse({ cluster: params.get('cluster') ?? undefined, namespace: params.get('namespace') || undefined }),
    invalidQuery: 'Name the cluster.',
  },
  async ({ query: { cluster, namespace }, scope }) => {
    const options = await podIdentityRoleOptions(cluster, scope, namespace);
    return options ?? apiError(404, 'not-found', `Cluster ${cluster} was not found.`);
  },
);
