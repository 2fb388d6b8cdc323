import 'server-only';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import { deletePodIdentityAssociation } from '@/lib/aws/writes';
import { ActionError } from '../action-context';
import { associationTargets, currentAssociation } from '../association-lookup';
import { associationPlan } from '../association-plan';
import { defineAction } from '../definition';
import { plainError } from '../plain-errors';
import { deleteAssociationParams } from '../schemas';
import { deleteAssociationCommands } from './commands';
import type { PreflightCheck } from '../types';

// Action 2b: delete an association. The service account's name must be typed to confirm (issue 4). Pods keep
// working until their credentials expire; new pods get no Pod Identity env.

export const deleteAssociation = defineAction({
  kind: 'delete-association',
  ...deleteAssociationCommands,
  schema: deleteAssociationParams,
  eventReason: 'PodIdentityAssociationDeleted',
  targets: associationTargets,
  async plan(params, ctx) {
    const association = await currentAssociation(ctx, params.cluster, params.associationId);
    const serviceAccount = ctx.serviceAccount(params.cluster, association.namespace, association.serviceAccount);
    const preflight: PreflightCheck[] = [
      params.confirm === association.serviceAccount
        ? { check: 'confirmation', status: 'pass', message: `Confirmed by typing "${association.serviceAccount}".` }
        : {
            check: 'confirmation',
            status: 'fail',
            message: `Type the service account name "${association.serviceAccount}" to confirm the delete.`,
          },
    ];
    const running = (serviceAccount.pods ?? []).filter((pod) => pod.hasPodIdentityEnv).length;
    preflight.push(
      running > 0
        ? {
            check: 'running-pods',
            status: 'warn',
            message: `${running} running pod(s) use this association; they lose AWS access when their credentials expire, and new pods get none.`,
          }
        : { check: 'running-pods', status: 'pass', message: 'No running pod uses this association.' },
    );
    if (serviceAccount.irsa)
      preflight.push({
        check: 'irsa-annotation',
        status: 'pass',
        message: `The service account also has the IRSA annotation (${serviceAccount.irsa.roleArn}); new pods will use IRSA.`,
      });
    return associationPlan(ctx, {
      type: 'delete-association',
      params,
      association,
      associationId: params.associationId,
      summary: `Delete association ${params.associationId} (${params.cluster}/${association.namespace}/${association.serviceAccount} → ${association.roleArn ?? 'unknown role'})`,
      preflight,
      request: { operation: 'DeletePodIdentityAssociation' },
    });
  },
  async apply(params, _plan, ctx) {
    const eks = ctx.eks(params.cluster);
    try {
      await deletePodIdentityAssociation(eks.scope, eks.clusterName, params.associationId);
    } catch (error) {
      throw new ActionError(
        plainError({ service: 'eks', operation: 'DeletePodIdentityAssociation', permission: 'eks:DeletePodIdentityAssociation' }, error),
      );
    }
    // Gone = EKS answers ResourceNotFound; any other error is no answer, retried until the wait ends.
    return {
      status: 'written',
      read: () =>
        describePodIdentityAssociation(eks.scope, eks.clusterName, params.associationId).then(
          (association) => ({ gone: false as const, association }),
          (error: unknown) => {
            if ((error as { name?: string }).name === 'ResourceNotFoundException') return { gone: true as const };
            throw error;
          },
        ),
    };
  },
  verified: (seen) => seen.gone,
  result: (_seen, params) => ({ associationId: params.associationId, deleted: true }),
  describe: (seen) =>
    seen.gone ? 'no association' : `association ${seen.association.associationId} (role ${seen.association.roleArn ?? 'unknown'})`,
});
