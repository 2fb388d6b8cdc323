import { apiRoute } from '@/lib/console/api-route';
import { controlMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** POST /api/v1/migrations/{id}/pause: no new service account starts; the running ones finish their step. */
export const POST = apiRoute<{ id: string }>({ csrf: true }, async ({ principal, params }) =>
  controlMigration(principal, params.id, 'pause'),
);
