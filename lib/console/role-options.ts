import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import { getRole } from '@/lib/aws/iam';
import { awsScopeOf } from '@/lib/collect/aws-side';
import { statementsGranting } from '@/lib/policy/policy-evaluator';
import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';
import { currentFleetView } from './queries';

export interface RoleOption {
  arn: string;
  name: string;
  /** Whether the trust policy also grants sts:TagSession (Pod Identity needs both unless session tags are off). */
  tagSession: boolean;
}

export interface RoleOptions {
  items: RoleOption[];
  errors: string[];
  /** Set when the caller may bind no role on the cluster: what an admin would add to the console config. */
  noRolesHint?: string;
}

/** How many candidate roles the picker reads tags for (GetRole each) when a grant asks for roleTags. */
const TAGGED_ROLE_READS = 200;

/**
 * The roles of a cluster's account that trust pods.eks.amazonaws.com (from the collected ListRoles) and that
 * the caller may bind there (issue 10 "Role scope": its grants' `roles` patterns and `roleTags`), for the
 * create-association role picker. `namespace` narrows to the grants covering it. null when the cluster is
 * unknown or outside the caller's scope.
 */
export async function podIdentityRoleOptions(cluster: string, scope: Scope, namespace?: string): Promise<RoleOptions | null> {
  if (!scope.canSeeCluster(cluster)) return null;
  const view = await currentFleetView();
  const state = view.fleet.clusters.find((candidate) => candidate.name === cluster);
  if (!state) return null;
  const account = state.eks?.cluster?.account;
  if (!account) return { items: [], errors: [`The account of ${cluster} is unknown (DescribeCluster failed or this is not EKS).`] };
  const roles = view.fleet.accounts[account]?.roles;
  if (!roles) return { items: [], errors: [`The roles of account ${account} could not be listed; paste a role ARN.`] };
  if (!scope.hasRolePatterns(cluster))
    return {
      items: [],
      errors: [],
      noRolesHint: `Your teams may bind no role on ${cluster}: no operator grant there lists roles. An admin allows it in the console config, under your team's grant for this cluster: roles: ["arn:aws:iam::${account}:role/<your-team>-*"]`,
    };
  const trusting = roles.filter(
    (role) => statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, 'sts:AssumeRole').length > 0,
  );
  // ListRoles carries no tags (IAM API reference, ListRoles): read them with GetRole when a grant needs them.
  const errors: string[] = [];
  let tagged = new Map<string, Record<string, string>>();
  if (scope.needsRoleTags(cluster)) {
    const target = view.targets.find((candidate) => candidate.name === cluster);
    const awsScope = target ? awsScopeOf(target) : undefined;
    const toRead = trusting.slice(0, TAGGED_ROLE_READS);
    if (trusting.length > toRead.length)
      errors.push(`Only the tags of the first ${TAGGED_ROLE_READS} roles were read; paste an ARN for others.`);
    if (awsScope) {
      const read = await Promise.all(
        toRead.map((role) =>
          getRole(awsScope, role.arn)
            .then((full) => [role.arn, full?.tags ?? {}] as const)
            .catch(() => undefined),
        ),
      );
      tagged = new Map(read.filter((entry): entry is readonly [string, Record<string, string>] => Boolean(entry)));
      if (read.some((entry) => !entry)) errors.push('The tags of some roles could not be read; they are left out.');
    }
  }
  const items = trusting
    .filter((role) => scope.mayBindSomewhere(cluster, namespace, { arn: role.arn, tags: tagged.get(role.arn) ?? role.tags }))
    .map((role) => ({
      arn: role.arn,
      name: role.name,
      tagSession: statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, 'sts:TagSession').length > 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { items, errors };
}
