import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import { statementsGranting } from '@/lib/policy/policy-evaluator';
import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';
import { currentFleetView } from './queries';

export interface RoleOption {
  arn: string;
  name: string;
  /** Whether the trust policy also grants sts:TagSession (Pod Identity needs both unless session tags are off). */
  tagSession: boolean;
}

/**
 * The roles of a cluster's account that trust pods.eks.amazonaws.com (from the collected ListRoles), for the
 * create-association role picker. null when the cluster is unknown or outside the caller's scope.
 */
export async function podIdentityRoleOptions(cluster: string, scope: Scope): Promise<{ items: RoleOption[]; errors: string[] } | null> {
  if (!scope.canSeeCluster(cluster)) return null;
  const view = await currentFleetView();
  const state = view.fleet.clusters.find((candidate) => candidate.name === cluster);
  if (!state) return null;
  const account = state.eks?.cluster?.account;
  if (!account) return { items: [], errors: [`The account of ${cluster} is unknown (DescribeCluster failed or this is not EKS).`] };
  const roles = view.fleet.accounts[account]?.roles;
  if (!roles) return { items: [], errors: [`The roles of account ${account} could not be listed; paste a role ARN.`] };
  const items = roles
    .filter((role) => statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, 'sts:AssumeRole').length > 0)
    .map((role) => ({
      arn: role.arn,
      name: role.name,
      tagSession: statementsGranting(role.trustPolicy, { service: POD_IDENTITY_SERVICE_PRINCIPAL }, 'sts:TagSession').length > 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { items, errors: [] };
}
