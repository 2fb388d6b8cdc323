import 'server-only';
import { ActionError, loadActionContext } from '@/lib/actions/action-context';
import { scopeOf } from '@/lib/auth/get-principal';
import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import { getServiceAccountRows } from '@/lib/console/queries';
import { planMigration } from './plan';
import type { MigrationState } from './states';
import { migrationRequestSchema, type MigrationPlan } from './types';

/** A namespace with IRSA service accounts, and how many of them are in each migration state. */
export interface MigrationChoice {
  cluster: string;
  namespace: string;
  byState: Partial<Record<MigrationState, number>>;
  canAct: boolean;
}

/** The migrations page without a choice yet: every namespace in the caller's scope with IRSA service accounts. */
export async function migrationChoices(scope: Scope): Promise<MigrationChoice[]> {
  const choices = new Map<string, MigrationChoice>();
  for (const row of (await getServiceAccountRows({}, scope)).items) {
    const state = row.migration?.state;
    if (!state || state === 'not-applicable') continue;
    const key = `${row.cluster}/${row.namespace}`;
    const choice = choices.get(key) ?? {
      cluster: row.cluster,
      namespace: row.namespace,
      byState: {},
      canAct: scope.canAct(row.cluster, row.namespace),
    };
    choice.byState[state] = (choice.byState[state] ?? 0) + 1;
    choices.set(key, choice);
  }
  return [...choices.values()].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace));
}

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
