import { requireApiPrincipal } from '@/lib/auth/get-principal';
import { sessionStore } from '@/lib/auth/session-store';
import { forbidden } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/sessions?subject=S: live sign-in sessions (admins only), newest first; never their tokens. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  if (!principal.isAdmin) return forbidden('Only admins may list sign-in sessions.');
  const subject = new URL(request.url).searchParams.get('subject')?.trim() || undefined;
  const items = await sessionStore().listLive(subject);
  return Response.json({ items, errors: [] }, { headers: { 'cache-control': 'no-store' } });
}
