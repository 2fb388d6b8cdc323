import 'server-only';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import type { PodIdentityAssociation } from '@/lib/model/cluster-state';
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
