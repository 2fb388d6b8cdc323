import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import type { AuditEntry } from './audit-store';

/**
 * Which audit entries a reader may see: admins everything; others entries whose target lies in their scope
 * (namespace targets by namespace, cluster-only targets by cluster), plus their own entries (e.g. their sign-ins,
 * or a refused attempt on a role ARN).
 */
export function auditVisibilityFor(principal: Principal, scope: Scope): (entry: AuditEntry) => boolean {
  return (entry) => {
    if (scope.isAdmin) return true;
    if (entry.actor.subject === principal.subject && entry.actor.via === principal.via) return true;
    const { cluster, namespace } = entry.target;
    if (cluster && namespace) return scope.canSeeNamespace(cluster, namespace);
    if (cluster) return scope.canSeeCluster(cluster);
    return false;
  };
}
