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
  /**
   * Whether the caller may bind `role` (or fix its trust policy) for a service account in cluster/namespace, or
   * cluster-wide when no namespace is given: an operator grant covering it must list a `roles` pattern matching
   * the ARN and, if it has `roleTags`, the role must carry every one. Admins may bind any role.
   */
  roleBinding(cluster: string, namespace: string | undefined, role: RoleFacts): RoleBindingDecision;
  /** Whether some operator grant on the cluster (any namespace, or `namespace` when given) could bind the role. */
  mayBindSomewhere(cluster: string, namespace: string | undefined, role: RoleFacts): boolean;
  /** Whether any operator grant on the cluster lists role patterns at all (no patterns: the caller may bind none). */
  hasRolePatterns(cluster: string): boolean;
  /** Whether an operator grant covering the cluster asks for role tags (so the picker must read each role's tags). */
  needsRoleTags(cluster: string): boolean;
}

export interface RoleFacts {
  arn: string;
  /** The role's tags from GetRole; undefined = not read (then a grant with roleTags cannot be judged and refuses). */
  tags?: Record<string, string>;
}

export type RoleBindingDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** Why, in words naming the missing pattern or tag and the config line that would allow it. */
      reason: string;
      /** The ARN pattern no grant had (the role's own ARN is the narrowest that would allow it). */
      missingPattern?: string;
      /** Tags the role lacks, from the roleTags of the grants whose patterns matched. */
      missingTags?: Record<string, string>;
    };

export interface Grant {
  team: string;
  cluster: string;
  namespaces: string[];
  role: 'viewer' | 'operator';
  roles: string[];
  roleTags?: Record<string, string>;
}

/** What a principal's teams grant, per cluster pattern (the header's scope popover shows these). */
export function grantsFor(principal: Principal, teamsConfig: TeamsConfig): Grant[] {
  const grants: Grant[] = [];
  for (const team of teamsConfig.teams) {
    if (!principal.teams.includes(team.name)) continue;
    for (const clusterGrant of team.clusters) {
      // A token's configured role caps what its team's grants allow: a viewer token never acts.
      const role = principal.tokenRole === 'viewer' ? 'viewer' : clusterGrant.role;
      grants.push({
        team: team.name,
        cluster: clusterGrant.cluster,
        namespaces: clusterGrant.namespaces,
        role,
        roles: clusterGrant.roles ?? [],
        ...(clusterGrant.roleTags ? { roleTags: clusterGrant.roleTags } : {}),
      });
    }
  }
  return grants;
}

export function scopeFor(principal: Principal, teamsConfig: TeamsConfig): Scope {
  if (principal.isAdmin) {
    return {
      isAdmin: true,
      canSeeCluster: () => true,
      canSeeNamespace: () => true,
      canAct: () => true,
      canActOnCluster: () => true,
      roleBinding: () => ({ allowed: true }),
      mayBindSomewhere: () => true,
      hasRolePatterns: () => true,
      needsRoleTags: () => false,
    };
  }
  const grants = grantsFor(principal, teamsConfig);
  const covering = (cluster: string, namespace: string) =>
    grants.filter((grant) => matchesGlob(grant.cluster, cluster) && grant.namespaces.some((pattern) => matchesGlob(pattern, namespace)));
  const operatorGrants = (cluster: string, namespace: string | undefined) =>
    (namespace === undefined
      ? grants.filter((grant) => matchesGlob(grant.cluster, cluster) && grant.namespaces.includes('*'))
      : covering(cluster, namespace)
    ).filter((grant) => grant.role === 'operator');
  const roleBinding = (cluster: string, namespace: string | undefined, role: RoleFacts): RoleBindingDecision =>
    judgeRoleBinding(operatorGrants(cluster, namespace), cluster, namespace, role);
  return {
    isAdmin: false,
    canSeeCluster: (cluster) => grants.some((grant) => matchesGlob(grant.cluster, cluster)),
    canSeeNamespace: (cluster, namespace) => covering(cluster, namespace).length > 0,
    canAct: (cluster, namespace) => covering(cluster, namespace).some((grant) => grant.role === 'operator'),
    canActOnCluster: (cluster) =>
      grants.some((grant) => grant.role === 'operator' && matchesGlob(grant.cluster, cluster) && grant.namespaces.includes('*')),
    roleBinding,
    mayBindSomewhere: (cluster, namespace, role) =>
      namespace !== undefined
        ? roleBinding(cluster, namespace, role).allowed
        : grants.some(
            (grant) =>
              grant.role === 'operator' &&
              matchesGlob(grant.cluster, cluster) &&
              judgeRoleBinding([grant], cluster, undefined, role).allowed,
          ),
    hasRolePatterns: (cluster) =>
      grants.some((grant) => grant.role === 'operator' && matchesGlob(grant.cluster, cluster) && grant.roles.length > 0),
    needsRoleTags: (cluster) =>
      grants.some(
        (grant) => grant.role === 'operator' && matchesGlob(grant.cluster, cluster) && Object.keys(grant.roleTags ?? {}).length > 0,
      ),
  };
}

function where(cluster: string, namespace: string | undefined): string {
  return namespace === undefined ? `all of ${cluster}` : `${cluster}/${namespace}`;
}

function judgeRoleBinding(grants: Grant[], cluster: string, namespace: string | undefined, role: RoleFacts): RoleBindingDecision {
  if (grants.length === 0)
    return { allowed: false, reason: `you have no operator grant on ${where(cluster, namespace)}`, missingPattern: role.arn };
  const matching = grants.filter((grant) => grant.roles.some((pattern) => matchesGlob(pattern, role.arn)));
  if (matching.length === 0) {
    const listed = [...new Set(grants.flatMap((grant) => grant.roles))];
    const grant = grants[0];
    return {
      allowed: false,
      reason:
        `no roles pattern of your operator grant on ${where(cluster, namespace)} matches ${role.arn} ` +
        `(${listed.length > 0 ? `it lists ${listed.join(', ')}` : 'it lists none, so it may bind no role'}); ` +
        `an admin would allow it with roles: ["${role.arn}"] in teams[${grant.team}].clusters[cluster: ${grant.cluster}] of the console config`,
      missingPattern: role.arn,
    };
  }
  const withoutTags = matching.find((grant) => Object.keys(grant.roleTags ?? {}).length === 0);
  if (withoutTags) return { allowed: true };
  if (role.tags === undefined)
    return {
      allowed: false,
      reason: `your grant on ${where(cluster, namespace)} binds only roles with tags ${tagText(matching[0].roleTags!)}, and the tags of ${role.arn} could not be read`,
      missingTags: matching[0].roleTags,
    };
  let fewestMissing: Record<string, string> | undefined;
  for (const grant of matching) {
    const missing = Object.fromEntries(Object.entries(grant.roleTags!).filter(([key, value]) => role.tags![key] !== value));
    if (Object.keys(missing).length === 0) return { allowed: true };
    if (!fewestMissing || Object.keys(missing).length < Object.keys(fewestMissing).length) fewestMissing = missing;
  }
  return {
    allowed: false,
    reason: `${role.arn} lacks the tag${Object.keys(fewestMissing!).length > 1 ? 's' : ''} ${tagText(fewestMissing!)} that your grant on ${where(cluster, namespace)} requires (roleTags)`,
    missingTags: fewestMissing,
  };
}

function tagText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}
