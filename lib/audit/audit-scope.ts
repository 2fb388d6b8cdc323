import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import type { AuditVisibility } from './audit-store';

/**
 * Which audit entries a reader may see: admins everything; others entries whose target lies in their scope
 * (namespace targets by namespace, cluster-only targets by cluster), plus their own entries (e.g. their sign-ins,
 * or a refused attempt on a role ARN).
 */
export function auditVisibilityFor(principal: Principal, scope: Scope): AuditVisibility {
  const canSee = (cluster: string, namespace: string | undefined) =>
    namespace !== undefined ? scope.canSeeNamespace(cluster, namespace) : scope.canSeeCluster(cluster);
  const visible: AuditVisibility = (entry) => {
    if (scope.isAdmin) return true;
    if (entry.actor.subject === principal.subject && entry.actor.via === principal.via) return true;
    const { cluster, namespace } = entry.target;
    return cluster ? canSee(cluster, namespace) : false;
  };
  // The store narrows the query to these through its indexes (lib/audit/audit-store.ts).
  if (!scope.isAdmin) visible.reader = { subject: principal.subject, via: principal.via, canSee };
  return visible;
}
