import 'server-only';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import type { AuditTarget } from '@/lib/audit/audit-store';
import type { FleetState, PodIdentityAssociation } from '@/lib/model/cluster-state';
import { ActionError, type ActionContext } from './action-context';
import { plainError } from './plain-errors';

/** The association as EKS describes it now: plans for update and delete work on fresh facts. */
export async function currentAssociation(ctx: ActionContext, cluster: string, associationId: string): Promise<PodIdentityAssociation> {
  const eks = ctx.eks(cluster);
  try {
    return await describePodIdentityAssociation(eks.scope, eks.clusterName, associationId);
  } catch (error) {
    const plain = plainError(
      { service: 'eks', operation: 'DescribePodIdentityAssociation', permission: 'eks:DescribePodIdentityAssociation' },
      error,
    );
    if (plain.code === 'not-found') plain.message = `No association ${associationId} in ${cluster}.`;
    throw new ActionError(plain);
  }
}

/**
 * Whom a change to an association is authorized against: its service account as the collected view knows it,
 * else (new or unreadable) the cluster, which only the widest grant covers.
 */
export function associationTargets(params: { cluster: string; associationId: string }, view: FleetState): AuditTarget[] {
  const { cluster, associationId } = params;
  const known = view.clusters
    .find((candidate) => candidate.name === cluster)
    ?.eks?.associations?.find((association) => association.associationId === associationId);
  if (known) return [{ cluster, namespace: known.namespace, serviceAccount: known.serviceAccount, associationId }];
  return [{ cluster, associationId }];
}
