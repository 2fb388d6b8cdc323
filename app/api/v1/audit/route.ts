import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import { auditStore } from '@/lib/audit/audit-store';
import { auditQueryFrom } from '@/lib/audit/audit-query';
import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { invalidInput } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/** GET /api/v1/audit: newest first, filters actor/type/cluster/since (+limit, cursor); scoped like the UI. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  const query = auditQueryFrom(new URL(request.url).searchParams);
  if (!query.success) return invalidInput(query.error, 'The audit filters are invalid.');
  const page = auditStore().listAudit(query.data, auditVisibilityFor(principal, scopeOf(principal)));
  return Response.json(
    { items: page.items, errors: [], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
    { headers: { 'cache-control': 'no-store' } },
  );
}
