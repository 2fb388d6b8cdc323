import type { ServiceAccountContext } from '@/lib/identity/identity-context';
import { lookupRole } from '@/lib/identity/identity-context';
import { AGENT_ADDON_NAME, associationLimitOf, sdkVerdictsForImage } from '@/lib/identity/identity-facts';
import { ADD_ON_SERVICE_ACCOUNTS } from './add-on-service-accounts';
import type { MigrationState } from './states';

// Can this service account move from IRSA to Pod Identity (issue 15, api.md "Migration from IRSA to Pod
// Identity")? Pure: the same facts the finding rules read (identity-context), judged before an association
// exists. Blocked reasons use the finding code where one exists (PI006, PI009, PI004/CL001, IR002).

export type { MigrationState } from './states';

export type MigrationReasonCode =
  | 'PI006'
  | 'PI009'
  | 'PI004'
  | 'CL001'
  | 'IR001'
  | 'IR002'
  | 'pods-not-rolled'
  | 'cross-account-role'
  | 'add-on-owned'
  | 'association-limit'
  | 'not-eks'
  | 'unknown';

export interface MigrationReason {
  code: MigrationReasonCode;
  message: string;
  /** cross-account-role: the migration needs a role in the cluster's account that chains into this one. */
  offer?: { targetRoleArn: string; roleAccount: string };
}

export interface MigrationReadiness {
  state: MigrationState;
  reasons: MigrationReason[];
}

const list = (names: string[], max = 3) =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** Why this IRSA service account cannot be moved now; empty = nothing known stands in the way. */
function blockers(ctx: ServiceAccountContext, roleArn: string): MigrationReason[] {
  const reasons: MigrationReason[] = [];
  const cluster = ctx.cluster;
  if (!cluster.isEks) {
    reasons.push({ code: 'not-eks', message: `${cluster.name} is not an EKS cluster: Pod Identity exists only on EKS.` });
    return reasons;
  }
  const pods = ctx.pods;

  // Pods where the agent cannot serve credentials (AUG pod-identities, "Considerations").
  const unsupported = (pods ?? []).filter((pod) => pod.nodeKind === 'fargate' || pod.nodeKind === 'windows');
  if (unsupported.length > 0) {
    const kinds = [...new Set(unsupported.map((pod) => (pod.nodeKind === 'fargate' ? 'Fargate' : 'Windows')))];
    reasons.push({
      code: 'PI006',
      message: `${unsupported.length} pod(s) run on ${kinds.join(' and ')} nodes, where Pod Identity does not work: ${list(unsupported.map((pod) => pod.name))}. Keep IRSA for this service account.`,
    });
  }

  // An image known to ship an SDK without the container-credentials provider (data/sdk-compatibility.ts).
  const tooOld = new Map<string, string>();
  for (const pod of pods ?? [])
    for (const { image } of pod.images)
      for (const verdict of sdkVerdictsForImage(image)) if (verdict.verdict === 'too-old') tooOld.set(image, verdict.note);
  if (tooOld.size > 0)
    reasons.push({
      code: 'PI009',
      message: `${[...tooOld].map(([image, note]) => `${image}: ${note}`).join(' ')}`,
    });

  // The agent: the add-on, or EKS Auto Mode nodes that have it built in (findings.md CL001, PI004).
  const eks = cluster.eks;
  if (cluster.agentAddon === null) {
    if (eks?.autoMode === true) {
      const uncovered = (pods ?? []).filter((pod) => pod.nodeName && pod.nodeKind === 'linux-ec2');
      if (uncovered.length > 0)
        reasons.push({
          code: 'PI004',
          message: `No ${AGENT_ADDON_NAME} add-on, and pods run on nodes that are not EKS Auto Mode nodes: ${list([...new Set(uncovered.map((pod) => pod.nodeName!))])}. Install the add-on first.`,
        });
    } else if (eks)
      reasons.push({
        code: 'CL001',
        message: `${cluster.name} has no ${AGENT_ADDON_NAME} add-on and is not an EKS Auto Mode cluster: pods would get the Pod Identity env but no credentials. Install the add-on first.`,
      });
  } else if (cluster.agentAddon && cluster.agentReadyNodes && pods) {
    const ready = cluster.agentReadyNodes;
    const uncovered = pods.filter((pod) => pod.nodeName && pod.nodeKind === 'linux-ec2' && !ready.has(pod.nodeName));
    if (uncovered.length > 0)
      reasons.push({
        code: 'PI004',
        message: `No ready agent pod on ${list([...new Set(uncovered.map((pod) => pod.nodeName!))])}, where pods of ${ctx.namespace}/${ctx.name} run.`,
      });
  }

  // EKS assumes the association's role in the cluster's account; another account's role is reached as a target role.
  const roleAccount = ctx.irsa?.roleArnParts?.account;
  if (eks && roleAccount && roleAccount !== eks.account)
    reasons.push({
      code: 'cross-account-role',
      message: `The IRSA role is in account ${roleAccount}, the cluster in ${eks.account}. Pod Identity needs a role in ${eks.account} that EKS assumes and then chains into ${roleArn} as the association's targetRoleArn (which must trust that role).`,
      offer: { targetRoleArn: roleArn, roleAccount: eks.account },
    });

  if (!ctx.irsa?.roleArnParts) reasons.push({ code: 'IR001', message: `The annotation's value "${roleArn}" is not an IAM role ARN.` });
  else if (lookupRole(ctx.fleet, roleArn)?.status === 'missing')
    reasons.push({ code: 'IR002', message: `The role ${roleArn} does not exist: there is nothing to move.` });

  const owner = ADD_ON_SERVICE_ACCOUNTS.find((entry) => entry.namespace === ctx.namespace && entry.serviceAccount === ctx.name);
  const installed = owner && (cluster.state.eks?.addons ?? []).some((addon) => addon.name === owner.addon);
  if (owner && installed)
    reasons.push({
      code: 'add-on-owned',
      message: `${ctx.namespace}/${ctx.name} belongs to the ${owner.addon} add-on, which would revert a change made here: migrate the add-on instead (aws eks update-addon --addon-name ${owner.addon} --pod-identity-associations serviceAccount=${ctx.name},roleArn=…).`,
    });

  const count = cluster.associations?.length;
  const limit = associationLimitOf(cluster);
  if (count !== undefined && count >= limit)
    reasons.push({
      code: 'association-limit',
      message: `${cluster.name} already has ${count} associations, EKS's limit per cluster is ${limit}.`,
    });

  const unread: string[] = [];
  if (!pods) unread.push('pods');
  if (!cluster.associations) unread.push('associations');
  if (eks === null) unread.push('the cluster (DescribeCluster)');
  if (cluster.agentAddon === undefined) unread.push('add-ons');
  if (unread.length > 0 && reasons.length === 0)
    reasons.push({
      code: 'unknown',
      message: `The console could not read ${unread.join(', ')}, so it cannot tell whether this service account can move.`,
    });
  return reasons;
}

/**
 * The migration state of one service account:
 * - `not-applicable`: no IRSA annotation (api.md);
 * - `migrated`: annotated and associated, and every live pod carries the Pod Identity env;
 * - `in-progress`: associated, but some pods still run with IRSA only (not rolled yet), or a migration runs;
 * - `blocked` (with reasons) or `ready`: annotated, no association yet.
 */
export function migrationReadiness(ctx: ServiceAccountContext, options: { running?: boolean } = {}): MigrationReadiness {
  if (!ctx.irsa) return { state: 'not-applicable', reasons: [] };
  if (options.running) return { state: 'in-progress', reasons: [] };
  const association = ctx.association;
  if (association) {
    const behind = (ctx.pods ?? []).filter((pod) => !pod.hasPodIdentityEnv);
    if (behind.length > 0)
      return {
        state: 'in-progress',
        reasons: [
          {
            code: 'pods-not-rolled',
            message: `Associated (${association.associationId}), but ${behind.length} pod(s) started before it and still use IRSA: ${list(behind.map((pod) => pod.name))}. Roll them.`,
          },
        ],
      };
    return { state: 'migrated', reasons: [] };
  }
  const reasons = blockers(ctx, ctx.irsa.roleArn.trim());
  return reasons.length > 0 ? { state: 'blocked', reasons } : { state: 'ready', reasons: [] };
}
