import { apiRoute } from '@/lib/console/api-route';
import { getMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** GET /api/v1/migrations/{id}: status, per service account status and step, progress. */
export const GET = apiRoute<{ id: string }>({}, async ({ principal, params }) => getMigration(principal, params.id));
