import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import { auditStore } from '@/lib/audit/audit-store';
import { auditQueryFrom } from '@/lib/audit/audit-query';
import { apiRoute } from '@/lib/console/api-route';

export const dynamic = 'force-dynamic';

/** GET /api/v1/audit: newest first, filters actor/type/cluster/since (+limit, cursor); scoped like the UI. */
export const GET = apiRoute(
  { query: auditQueryFrom, invalidQuery: 'The audit filters are invalid.' },
  async ({ query, principal, scope }) => {
    const page = await auditStore().listAudit(query, auditVisibilityFor(principal, scope));
    return { items: page.items, errors: [], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  },
);
