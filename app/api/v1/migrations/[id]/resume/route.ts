import { apiRoute } from '@/lib/console/api-route';
import { resumeMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** POST /api/v1/migrations/{id}/resume: a paused, cancelled, failed or interrupted migration goes on. */
export const POST = apiRoute<{ id: string }>({ csrf: true }, async ({ principal, params }) => resumeMigration(principal, params.id));
