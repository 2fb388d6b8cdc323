import type { TeamsConfig } from './config-schema';
import { matchesGlob } from './glob';
import type { Principal } from './principal';

export interface Scope {
  isAdmin: boolean;
  /** Cluster-level data (the cluster row, its findings) is shown only for clusters a team has a grant on. */
  canSeeCluster(cluster: string): boolean;
  canSeeNamespace(cluster: string, namespace: string): boolean;
  /** Only an operator grant covering the namespace allows actions there. */
  canAct(cluster: string, namespace: string): boolean;
  /** Cluster-wide actions (e.g. registering the OIDC provider) need an operator grant on every namespace ('*'). */
  canActOnCluster(cluster: string): boolean;
}

interface Grant {
  cluster: string;
  namespaces: string[];
  role: 'viewer' | 'operator';
}

function grantsFor(principal: Principal, teamsConfig: TeamsConfig): Grant[] {
  const grants: Grant[] = [];
  for (const team of teamsConfig.teams) {
    if (!principal.teams.includes(team.name)) continue;
    for (const clusterGrant of team.clusters) {
      // A token's configured role caps what its team's grants allow: a viewer token never acts.
      const role = principal.tokenRole === 'viewer' ? 'viewer' : clusterGrant.role;
      grants.push({ cluster: clusterGrant.cluster, namespaces: clusterGrant.namespaces, role });
    }
  }
  return grants;
}

export function scopeFor(principal: Principal, teamsConfig: TeamsConfig): Scope {
  if (principal.isAdmin) {
    return { isAdmin: true, canSeeCluster: () => true, canSeeNamespace: () => true, canAct: () => true, canActOnCluster: () => true };
  }
  const grants = grantsFor(principal, teamsConfig);
  const covering = (cluster: string, namespace: string) =>
    grants.filter((grant) => matchesGlob(grant.cluster, cluster) && grant.namespaces.some((pattern) => matchesGlob(pattern, namespace)));
  return {
    isAdmin: false,
    canSeeCluster: (cluster) => grants.some((grant) => matchesGlob(grant.cluster, cluster)),
    canSeeNamespace: (cluster, namespace) => covering(cluster, namespace).length > 0,
    canAct: (cluster, namespace) => covering(cluster, namespace).some((grant) => grant.role === 'operator'),
    canActOnCluster: (cluster) =>
      grants.some((grant) => grant.role === 'operator' && matchesGlob(grant.cluster, cluster) && grant.namespaces.includes('*')),
  };
}
