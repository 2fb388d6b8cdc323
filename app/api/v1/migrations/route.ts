import { apiRoute } from '@/lib/console/api-route';
import { apiError } from '@/lib/http/errors';
import { startMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** POST /api/v1/migrations: `dryRun: true` returns `{plan}`; otherwise 202 `{id, status}` and the batch runs. */
export const POST = apiRoute({ csrf: true }, async ({ request, principal }) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, 'invalid-input', 'The body must be JSON: {"dryRun": …, "cluster": …, "serviceAccounts": [...], "options": {…}}.');
  }
  return startMigration(principal, body);
});
