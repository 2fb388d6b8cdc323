import { cancelAction } from '@/lib/actions/run-action';
import { requireApiPrincipal } from '@/lib/auth/get-principal';
import { checkCsrf } from '@/lib/http/csrf';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions/{id}/cancel: stops a running roll (202), 409 when it cannot be cancelled. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const refused = checkCsrf(request);
  if (refused) return refused;
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  return cancelAction(principal, (await params).id);
}
