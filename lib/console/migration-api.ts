import type { MigrationOptions, MigrationRecord } from '@/lib/migration/types';
import { errorOf, post, type Result } from './action-api';

// The browser's side of POST /api/v1/migrations and /api/v1/migrations/{id}[/verb]: the page uses the same API,
// and the same server-side checks (operator scope and role scope per service account), as automation.

export interface MigrationApplyRequest {
  cluster: string;
  namespaces?: string[];
  serviceAccounts?: { namespace: string; name: string }[];
  options?: Partial<MigrationOptions>;
}

export async function applyMigration(request: MigrationApplyRequest): Promise<Result<{ id: string }>> {
  const response = await post('/api/v1/migrations', { ...request, dryRun: false });
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: (await response.json()) as { id: string } };
}

export async function fetchMigration(id: string): Promise<Result<MigrationRecord>> {
  const response = await fetch(`/api/v1/migrations/${encodeURIComponent(id)}`, {
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: (await response.json()) as MigrationRecord };
}

export type MigrationVerb = 'pause' | 'cancel' | 'resume' | 'rollback';

/** A control verb; rollback takes the service accounts to undo (none: every one the batch changed). */
export async function controlMigration(
  id: string,
  verb: MigrationVerb,
  serviceAccounts?: { namespace: string; name: string }[],
): Promise<Result<unknown>> {
  const response = await post(`/api/v1/migrations/${encodeURIComponent(id)}/${verb}`, serviceAccounts ? { serviceAccounts } : {});
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: await response.json() };
}
