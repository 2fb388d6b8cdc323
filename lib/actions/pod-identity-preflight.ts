import 'server-only';
import { getRole } from '@/lib/aws/iam';
import { explainDecision } from '@/lib/policy/policy-evaluator';
import { podIdentityTrustEvaluations } from '@/lib/identity/trust-checks';
import { parseRoleArn } from '@/lib/model/arn';
import { associationLimitOf, podIdentityPlatformShortfall } from '@/lib/identity/identity-facts';
import type { ClusterContext } from '@/lib/identity/identity-context';
import type { IamRole } from '@/lib/model/cluster-state';
import type { ActionContext } from './action-context';
import type { PreflightCheck } from './types';

// Preflight checks shared by creating and updating an association (issue 4, action 1): the agent add-on and
// its DaemonSet, the role's trust policy judged by the same evaluator as PI002/PI003, the platform version and
// the association limit. Each reads fresh where a stale answer would mislead (the role).

export function agentCheck(cluster: ClusterContext): PreflightCheck {
  const addon = cluster.agentAddon;
  const daemonSet = cluster.state.kube.agentDaemonSet;
  if (addon === null && !daemonSet)
    return {
      check: 'agent-addon',
      status: 'fail',
      forcible: true,
      message: `The eks-pod-identity-agent add-on is not installed on ${cluster.name}: pods would get the env but no credentials. Install it first (aws eks create-addon --cluster-name ${cluster.eks?.name ?? cluster.name} --addon-name eks-pod-identity-agent).`,
    };
  if (addon === undefined && daemonSet === undefined)
    return {
      check: 'agent-addon',
      status: 'warn',
      message: "The console could not read the cluster's add-ons, so the agent could not be checked.",
    };
  const desired = daemonSet?.status?.desiredNumberScheduled;
  const ready = daemonSet?.status?.numberReady;
  if (daemonSet && desired !== undefined && ready !== undefined && ready < desired)
    return {
      check: 'agent-addon',
      status: 'warn',
      message: `The agent DaemonSet has ${ready} of ${desired} pods ready: pods on the other nodes will not get credentials until it is.`,
    };
  return {
    check: 'agent-addon',
    status: 'pass',
    message: `The agent add-on${addon?.version ? ` ${addon.version}` : ''} is installed${desired !== undefined ? ` and ${ready ?? 0}/${desired} agent pods are ready` : ''}.`,
  };
}

export function platformCheck(cluster: ClusterContext): PreflightCheck {
  const shortfall = podIdentityPlatformShortfall(cluster.eks);
  if (shortfall)
    return {
      check: 'platform-version',
      status: 'fail',
      message: `${cluster.name} runs ${cluster.eks?.version} ${cluster.eks?.platformVersion ?? ''}; Pod Identity needs ${shortfall.required}. Upgrade the cluster first.`,
    };
  return {
    check: 'platform-version',
    status: 'pass',
    message: `${cluster.eks?.version ? `Kubernetes ${cluster.eks.version} ${cluster.eks.platformVersion ?? ''}` : 'The cluster'} supports Pod Identity.`,
  };
}

export function limitCheck(cluster: ClusterContext, adding: number): PreflightCheck {
  const count = cluster.associations?.length;
  if (count === undefined || count === null)
    return { check: 'association-limit', status: 'warn', message: "The console could not count the cluster's associations." };
  const limit = associationLimitOf(cluster);
  if (count + adding > limit)
    return {
      check: 'association-limit',
      status: 'fail',
      message: `${cluster.name} already has ${count} associations; EKS allows ${limit} per cluster.`,
    };
  return { check: 'association-limit', status: 'pass', message: `${count} of ${limit} associations used.` };
}

export async function freshRole(ctx: ActionContext, roleArn: string): Promise<{ role: IamRole | null; error?: string }> {
  try {
    return { role: await getRole(ctx.iamScopeFor(parseRoleArn(roleArn)?.account), roleArn) };
  } catch (error) {
    return { role: null, error: `${(error as { name?: string }).name ?? 'Error'}: ${(error as Error).message}` };
  }
}

/** Would EKS Auth be allowed to assume the role for this service account (AssumeRole, and TagSession unless tags are off)? */
export async function trustCheck(
  ctx: ActionContext,
  cluster: ClusterContext,
  request: { roleArn: string; namespace: string; serviceAccount: string; disableSessionTags?: boolean },
): Promise<PreflightCheck> {
  const { role, error } = await freshRole(ctx, request.roleArn);
  if (error)
    return {
      check: 'trust-policy',
      status: 'warn',
      message: `The console could not read ${request.roleArn} (${error}), so its trust policy was not checked.`,
    };
  if (!role) return { check: 'trust-policy', status: 'fail', message: `The role ${request.roleArn} does not exist.` };
  const eks = cluster.eks;
  if (!eks)
    return {
      check: 'trust-policy',
      status: 'warn',
      message: 'The cluster could not be described, so the trust policy could not be judged for it.',
    };
  const verdicts = podIdentityTrustEvaluations(role.trustPolicy, eks, request);
  const actions = verdicts.map((verdict) => verdict.action);
  const failing = verdicts.filter((verdict) => verdict.decision !== 'allow');
  if (failing.length === 0)
    return {
      check: 'trust-policy',
      status: 'pass',
      message: `${role.name} trusts pods.eks.amazonaws.com for ${actions.join(' and ')} (${explainDecision(verdicts[0])}).`,
    };
  const unknownOnly = failing.every((verdict) => verdict.decision === 'unknown');
  return {
    check: 'trust-policy',
    status: unknownOnly ? 'warn' : 'fail',
    forcible: true,
    message: `${role.name}'s trust policy does not let EKS Pod Identity ${failing.map((verdict) => `${verdict.action} (${explainDecision(verdict)})`).join('; ')}.`,
    // The fix is scoped to the associations using the role, so it names the one about to be created too.
    offer: {
      label: 'Fix the trust policy',
      type: 'fix-trust-policy',
      params: {
        roleArn: role.arn,
        cluster: cluster.name,
        namespace: request.namespace,
        serviceAccount: request.serviceAccount,
        ...(request.disableSessionTags ? { disableSessionTags: true } : {}),
      },
    },
  };
}

export async function targetRoleCheck(ctx: ActionContext, targetRoleArn: string): Promise<PreflightCheck> {
  const { role, error } = await freshRole(ctx, targetRoleArn);
  if (error)
    return { check: 'target-role', status: 'warn', message: `The console could not read the target role ${targetRoleArn} (${error}).` };
  if (!role) return { check: 'target-role', status: 'fail', message: `The target role ${targetRoleArn} does not exist.` };
  return {
    check: 'target-role',
    status: 'pass',
    message: `The target role ${role.name} exists; EKS chains into it from the association's role.`,
  };
}
