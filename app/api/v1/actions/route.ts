import { runAction } from '@/lib/actions/run-action';
import { requireApiPrincipal } from '@/lib/auth/get-principal';
import { checkCsrf } from '@/lib/http/csrf';
import { apiError } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions `{type, dryRun, params}`: 200 `{plan}` for a dry run, 202 `{id, status}` when applying. */
export async function POST(request: Request): Promise<Response> {
  const refused = checkCsrf(request);
  if (refused) return refused;
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return apiError(400, 'invalid-input', 'The body must be JSON: {"type": …, "dryRun": true|false, "params": {…}}.');
  }
  return runAction(principal, body);
}
