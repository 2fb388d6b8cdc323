import { apiRoute } from '@/lib/console/api-route';
import { rollbackMigration } from '@/lib/migration/run-migration';

export const dynamic = 'force-dynamic';

/** POST /api/v1/migrations/{id}/rollback, optional body `{serviceAccounts: [{namespace, name}]}`: undo, verified back on IRSA. */
export const POST = apiRoute<{ id: string }>({ csrf: true }, async ({ request, principal, params }) => {
  const text = await request.text();
  let body: unknown = null;
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return rollbackMigration(principal, params.id, body ?? {});
});
