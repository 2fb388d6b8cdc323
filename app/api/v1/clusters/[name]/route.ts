import { apiRoute } from '@/lib/console/api-route';
import { getClusterRow } from '@/lib/console/queries';
import { notFound } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/clusters/{name}: one cluster's posture and findings, plus the sources that failed for it. */
export const GET = apiRoute<{ name: string }>({ refresh: true }, async ({ params: { name }, scope }) => {
  const cluster = await getClusterRow(name, scope);
  return cluster ?? notFound(`Cluster ${name}`);
});
