import 'server-only';
import { ActionError, loadActionContext } from '@/lib/actions/action-context';
import { scopeOf } from '@/lib/auth/get-principal';
import type { Principal } from '@/lib/auth/principal';
import { planMigration } from './plan';
import { migrationRequestSchema, type MigrationPlan } from './types';

/** The migrations page: the dry-run plan for `?cluster=&namespace=` (comma list), within the caller's scope. */
export async function migrationPlanForPage(
  principal: Principal,
  search: Record<string, string | string[] | undefined>,
): Promise<{ plan?: MigrationPlan; error?: string; cluster?: string; namespaces: string[] }> {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  const cluster = first(search.cluster);
  const namespaces = first(search.namespace)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (!cluster || namespaces.length === 0)
    return { namespaces, error: 'Choose a cluster and namespaces: ?cluster=NAME&namespace=NS[,NS…].' };
  const scope = scopeOf(principal);
  const hidden = namespaces.filter((namespace) => !scope.canSeeNamespace(cluster, namespace));
  if (hidden.length > 0) return { cluster, namespaces, error: `No namespace ${hidden.join(', ')} in ${cluster} is in your scope.` };
  const request = migrationRequestSchema.safeParse({ dryRun: true, cluster, namespaces });
  if (!request.success) return { cluster, namespaces, error: request.error.issues.map((issue) => issue.message).join('; ') };
  try {
    return { cluster, namespaces, plan: await planMigration(await loadActionContext(), request.data) };
  } catch (error) {
    if (error instanceof ActionError) return { cluster, namespaces, error: error.plain.message };
    throw error;
  }
}
