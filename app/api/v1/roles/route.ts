import { z } from 'zod';
import { apiRoute } from '@/lib/console/api-route';
import { podIdentityRoleOptions } from '@/lib/console/role-options';
import { apiError } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

const rolesQuery = z.object({ cluster: z.string({ error: 'required' }).trim().min(1, 'required') });

/** GET /api/v1/roles?cluster=NAME: roles of the cluster's account that trust pods.eks.amazonaws.com. */
export const GET = apiRoute(
  { query: (params) => rolesQuery.safeParse({ cluster: params.get('cluster') ?? undefined }), invalidQuery: 'Name the cluster.' },
  async ({ query: { cluster }, scope }) => {
    const options = await podIdentityRoleOptions(cluster, scope);
    return options ?? apiError(404, 'not-found', `Cluster ${cluster} was not found.`);
  },
);
