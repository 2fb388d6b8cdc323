import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { AwsScope } from '@/lib/aws/eks';
import { awsScopeOf, defaultRegionOf } from '@/lib/collect/aws-side';
import {
  buildClusterContext,
  buildServiceAccountContext,
  type ClusterContext,
  type ServiceAccountContext,
} from '@/lib/identity/identity-context';
import { currentFleetView } from '@/lib/console/queries';
import type { FleetState } from '@/lib/model/cluster-state';
import type { PlainError } from './types';

// What a plan reads: the evaluated fleet (for preflight facts such as the agent, nodes and trust) and how to
// reach each cluster. Writes and their preconditions use fresh reads in the action modules.

export class ActionError extends Error {
  constructor(readonly plain: PlainError) {
    super(plain.message);
    this.name = 'ActionError';
  }
}

export interface ActionContext {
  /** The collected fleet the plan judges preflight facts against. */
  fleet: FleetState;
  now: () => Date;
  target(cluster: string): ClusterTarget;
  /** The EKS cluster's AWS scope; refuses for a cluster without EKS. */
  eks(cluster: string): { scope: AwsScope; clusterName: string; region: string; account: string };
  /** Credentials for IAM in an account: a configured cluster's in that account, else the console's own. */
  iamScopeFor(account: string | undefined): AwsScope;
  cluster(cluster: string): ClusterContext;
  serviceAccount(cluster: string, namespace: string, name: string): ServiceAccountContext;
}

export async function loadActionContext(): Promise<ActionContext> {
  // A plan is judged against a view within the cache TTL, never one served stale while the next is collected.
  const view = await currentFleetView({ fresh: true });
  return actionContextFor(view.fleet, view.targets);
}

/** The context over a collected fleet and the configured clusters. */
export function actionContextFor(fleet: FleetState, targets: ClusterTarget[]): ActionContext {
  const clusterContexts = new Map<string, ClusterContext>();
  const target = (cluster: string): ClusterTarget => {
    const found = targets.find((candidate) => candidate.name === cluster);
    if (!found) throw new ActionError({ status: 404, code: 'not-found', message: `No cluster named "${cluster}" is configured.` });
    return found;
  };
  const cluster = (name: string): ClusterContext => {
    let ctx = clusterContexts.get(name);
    if (!ctx) {
      const state = fleet.clusters.find((candidate) => candidate.name === name);
      if (!state) throw new ActionError({ status: 404, code: 'not-found', message: `No cluster named "${name}" is configured.` });
      ctx = buildClusterContext(fleet, state);
      clusterContexts.set(name, ctx);
    }
    return ctx;
  };
  return {
    fleet,
    now: () => new Date(),
    target,
    eks(name) {
      const clusterTarget = target(name);
      const scope = awsScopeOf(clusterTarget);
      const facts = cluster(name).eks;
      if (!scope || !clusterTarget.eks)
        throw new ActionError({
          status: 400,
          code: 'not-eks',
          message: `${name} is not an EKS cluster: Pod Identity associations exist only on EKS.`,
        });
      return {
        scope,
        clusterName: clusterTarget.eks.name,
        region: clusterTarget.eks.region,
        account: facts?.account ?? clusterTarget.eks.account ?? '',
      };
    },
    iamScopeFor(account) {
      const inAccount = targets.find((candidate) => candidate.eks && candidate.eks.account === account);
      const scope = inAccount ? awsScopeOf(inAccount) : undefined;
      return scope ?? { region: defaultRegionOf(targets), credentials: {} };
    },
    cluster,
    serviceAccount: (name, namespace, serviceAccount) => buildServiceAccountContext(cluster(name), namespace, serviceAccount),
  };
}
