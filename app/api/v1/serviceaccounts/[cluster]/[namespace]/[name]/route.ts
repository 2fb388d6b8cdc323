import { serviceAccountDetailJson } from '@/lib/console/api-shapes';
import { apiRoute } from '@/lib/console/api-route';
import { getServiceAccountDetail } from '@/lib/console/queries';
import { notFound } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/serviceaccounts/{cluster}/{namespace}/{name}: the row plus chain[] and pods[]; 404 when unknown or out of scope. */
export const GET = apiRoute<{ cluster: string; namespace: string; name: string }>(
  { refresh: true },
  async ({ params: { cluster, namespace, name }, scope }) => {
    const detail = await getServiceAccountDetail(cluster, namespace, name, scope);
    if (!detail) return notFound(`Service account ${cluster}/${namespace}/${name}`);
    const { collectedAt, ...rest } = detail;
    return serviceAccountDetailJson(rest, collectedAt);
  },
);
