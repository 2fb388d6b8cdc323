import { apiRoute } from '@/lib/console/api-route';
import { startMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** POST /api/v1/migrations: `dryRun: true` returns `{plan}`; otherwise 202 `{id, status}` and the batch runs. */
export const POST = apiRoute(
  { csrf: true, body: '{"dryRun": …, "cluster": …, "serviceAccounts": [...], "options": {…}}' },
  async ({ principal, body }) => startMigration(principal, body),
);
