import { runAction } from '@/lib/actions/run-action';
import { apiRoute } from '@/lib/console/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions `{type, dryRun, params}`: 200 `{plan}` for a dry run, 202 `{id, status}` when applying. */
export const POST = apiRoute({ csrf: true, body: '{"type": …, "dryRun": true|false, "params": {…}}' }, async ({ principal, body }) =>
  runAction(principal, body),
);
