import 'server-only';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import { updatePodIdentityAssociation } from '@/lib/aws/writes';
import { ActionError } from '../action-context';
import { associationTargets, currentAssociation } from '../association-lookup';
import { associationPlan, clientRequestToken } from '../association-plan';
import { defineAction } from '../definition';
import { plainError } from '../plain-errors';
import { agentCheck, targetRoleCheck, trustCheck } from '../pod-identity-preflight';
import { updateAssociationParams } from '../schemas';
import { updateAssociationCommands } from './commands';
import type { PreflightCheck } from '../types';
import { samePolicy, sessionPolicyCheck } from '../session-policy';
import { SESSION_POLICY_NEEDS_TAGS_OFF } from '../schemas';

// Action 2a: change an association's role, target role, session tags or session policy (EKS API reference,
// UpdatePodIdentityAssociation; namespace and service account cannot change). Running pods keep the
// credentials they have until they are refreshed; EKS Auth hands out the new role on the next refresh.

export const updateAssociation = defineAction({
  kind: 'update-association',
  ...updateAssociationCommands,
  schema: updateAssociationParams,
  eventReason: 'PodIdentityAssociationUpdated',
  targets: associationTargets,
  boundRoles: (params) => [params.roleArn, params.targetRoleArn].filter((arn): arn is string => typeof arn === 'string'),
  async plan(params, ctx) {
    const cluster = ctx.cluster(params.cluster);
    const association = await currentAssociation(ctx, params.cluster, params.associationId);
    const roleArn = params.roleArn ?? association.roleArn ?? '';
    const disableSessionTags = params.disableSessionTags ?? association.disableSessionTags ?? false;
    const preflight: PreflightCheck[] = [agentCheck(cluster)];
    if (roleArn)
      preflight.push(
        await trustCheck(ctx, cluster, {
          roleArn,
          namespace: association.namespace,
          serviceAccount: association.serviceAccount,
          disableSessionTags,
        }),
      );
    if (params.targetRoleArn) preflight.push(await targetRoleCheck(ctx, params.targetRoleArn));
    // The policy the association will hold; EKS refuses it unless session tags end up off.
    const policy = params.policy === undefined ? association.policy : (params.policy ?? undefined);
    if (policy && !disableSessionTags)
      preflight.push({
        check: 'session-policy',
        status: 'fail',
        message:
          params.policy === undefined
            ? `The association carries a session policy, so session tags must stay off: ${SESSION_POLICY_NEEDS_TAGS_OFF}. Remove the policy (policy: null) in the same update to turn tags on.`
            : `${SESSION_POLICY_NEEDS_TAGS_OFF}; set disableSessionTags: true in this update.`,
      });
    else if (params.policy) preflight.push(sessionPolicyCheck(params.policy));

    const changes: string[] = [];
    if (params.roleArn !== undefined && params.roleArn !== association.roleArn)
      changes.push(`role ${association.roleArn ?? '(none)'} → ${params.roleArn}`);
    if (params.targetRoleArn !== undefined && (params.targetRoleArn ?? null) !== (association.targetRoleArn ?? null))
      changes.push(`target role ${association.targetRoleArn ?? '(none)'} → ${params.targetRoleArn ?? '(none)'}`);
    if (params.disableSessionTags !== undefined && params.disableSessionTags !== (association.disableSessionTags ?? false))
      changes.push(`session tags ${params.disableSessionTags ? 'on → off' : 'off → on'}`);
    if (params.policy !== undefined && !samePolicy(association.policy, params.policy))
      changes.push(
        params.policy === null ? 'session policy removed' : association.policy ? 'session policy replaced' : 'session policy added',
      );
    preflight.unshift(
      changes.length > 0
        ? { check: 'changes', status: 'pass', message: `Changes: ${changes.join('; ')}.` }
        : { check: 'changes', status: 'warn', message: 'The association already has these settings; the update changes nothing.' },
    );

    const token = clientRequestToken([
      params.associationId,
      params.roleArn,
      params.targetRoleArn,
      params.disableSessionTags,
      params.policy,
      association.modifiedAt ?? association.createdAt,
    ]);
    const body = {
      ...(params.roleArn !== undefined ? { roleArn: params.roleArn } : {}),
      ...(params.targetRoleArn !== undefined ? { targetRoleArn: params.targetRoleArn ?? '' } : {}),
      ...(params.disableSessionTags !== undefined ? { disableSessionTags: params.disableSessionTags } : {}),
      // An empty string removes the policy, as an empty targetRoleArn removes the target role.
      ...(params.policy !== undefined ? { policy: params.policy ?? '' } : {}),
      clientRequestToken: token,
    };
    return associationPlan(ctx, {
      type: 'update-association',
      params,
      association: {
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        roleArn,
        targetRoleArn: params.targetRoleArn === undefined ? association.targetRoleArn : params.targetRoleArn,
        disableSessionTags,
        policy,
      },
      associationId: params.associationId,
      summary: `Update association ${params.associationId} of ${params.cluster}/${association.namespace}/${association.serviceAccount}`,
      preflight,
      request: { operation: 'UpdatePodIdentityAssociation', body },
      clientRequestToken: token,
    });
  },
  async apply(params, plan, ctx) {
    const eks = ctx.eks(params.cluster);
    const body = plan.steps[0].request.body as {
      roleArn?: string;
      targetRoleArn?: string;
      disableSessionTags?: boolean;
      policy?: string;
      clientRequestToken: string;
    };
    try {
      await updatePodIdentityAssociation(eks.scope, { clusterName: eks.clusterName, associationId: params.associationId, ...body });
    } catch (error) {
      throw new ActionError(
        plainError({ service: 'eks', operation: 'UpdatePodIdentityAssociation', permission: 'eks:UpdatePodIdentityAssociation' }, error),
      );
    }
    return { status: 'written', read: () => describePodIdentityAssociation(eks.scope, eks.clusterName, params.associationId) };
  },
  verified: (association, params) =>
    (params.roleArn === undefined || association.roleArn === params.roleArn) &&
    (params.targetRoleArn === undefined || (association.targetRoleArn ?? null) === (params.targetRoleArn || null)) &&
    (params.disableSessionTags === undefined || (association.disableSessionTags ?? false) === params.disableSessionTags) &&
    samePolicy(association.policy, params.policy),
  result: (association) => ({
    associationId: association.associationId,
    roleArn: association.roleArn,
    targetRoleArn: association.targetRoleArn ?? null,
    disableSessionTags: association.disableSessionTags ?? false,
    policy: association.policy ?? null,
  }),
  describe: (association) =>
    `association ${association.associationId} with role ${association.roleArn ?? '(none)'}, target role ${association.targetRoleArn ?? '(none)'}, session tags ${association.disableSessionTags ? 'off' : 'on'}${association.policy ? ', with a session policy' : ''}`,
});
