import { runAction } from '@/lib/actions/run-action';
import { apiRoute } from '@/lib/console/api-route';
import { apiError } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions `{type, dryRun, params}`: 200 `{plan}` for a dry run, 202 `{id, status}` when applying. */
export const POST = apiRoute({ csrf: true }, async ({ request, principal }) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, 'invalid-input', 'The body must be JSON: {"type": …, "dryRun": true|false, "params": {…}}.');
  }
  return runAction(principal, body);
});
