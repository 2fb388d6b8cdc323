import { getAction } from '@/lib/actions/run-action';
import { requireApiPrincipal } from '@/lib/auth/get-principal';

export const dynamic = 'force-dynamic';

/** GET /api/v1/actions/{id}: status, progress, result or error of an applied action. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  return getAction(principal, (await params).id);
}
