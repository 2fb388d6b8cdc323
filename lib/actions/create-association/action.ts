import 'server-only';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import { createPodIdentityAssociation, type CreateAssociationRequest } from '@/lib/aws/writes';
import { ActionError } from '../action-context';
import { associationPlan, clientRequestToken } from '../association-plan';
import { defineAction } from '../definition';
import { plainError } from '../plain-errors';
import { agentCheck, limitCheck, platformCheck, targetRoleCheck, trustCheck } from '../pod-identity-preflight';
import { createAssociationParams, type ActionParams } from '../schemas';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { createAssociationCommands } from './commands';
import type { PreflightCheck } from '../types';
import { samePolicy, sessionPolicyCheck } from '../session-policy';

// Action 1: create a Pod Identity association (EKS API reference, CreatePodIdentityAssociation).

/** The same inputs give the same token, so a retried or double-clicked create returns the first association. */
function targets(params: ActionParams<'create-association'>): AuditTarget[] {
  return [{ cluster: params.cluster, namespace: params.namespace, serviceAccount: params.serviceAccount, roleArn: params.roleArn }];
}

export const createAssociation = defineAction({
  kind: 'create-association',
  ...createAssociationCommands,
  schema: createAssociationParams,
  eventReason: 'PodIdentityAssociationCreated',
  targets,
  boundRoles: (params) => [params.roleArn, params.targetRoleArn].filter((arn): arn is string => typeof arn === 'string'),
  async plan(params, ctx) {
    const eks = ctx.eks(params.cluster);
    const cluster = ctx.cluster(params.cluster);
    const serviceAccount = ctx.serviceAccount(params.cluster, params.namespace, params.serviceAccount);
    const preflight: PreflightCheck[] = [];

    if (serviceAccount.exists === true)
      preflight.push({ check: 'service-account', status: 'pass', message: `${params.namespace}/${params.serviceAccount} exists.` });
    else if (serviceAccount.exists === false)
      preflight.push({
        check: 'service-account',
        status: 'warn',
        message: `${params.namespace}/${params.serviceAccount} does not exist yet. EKS allows that; pods that run as it once it exists will get this role.`,
      });
    else
      preflight.push({
        check: 'service-account',
        status: 'warn',
        message: 'The console could not read service accounts, so it cannot tell whether this one exists.',
      });

    const existing = serviceAccount.association;
    if (existing)
      preflight.push({
        check: 'existing-association',
        status: 'fail',
        message: `${params.namespace}/${params.serviceAccount} already has association ${existing.associationId} (role ${existing.roleArn ?? 'unknown'}). EKS allows one per service account; update it instead.`,
        offer: {
          label: 'Update the existing association',
          type: 'update-association',
          params: { cluster: params.cluster, associationId: existing.associationId, roleArn: params.roleArn },
        },
      });
    else if (!serviceAccount.associationsKnown)
      preflight.push({
        check: 'existing-association',
        status: 'warn',
        message: "The console could not list the cluster's associations; EKS will refuse the create if one exists.",
      });
    else preflight.push({ check: 'existing-association', status: 'pass', message: 'The service account has no association yet.' });

    preflight.push(agentCheck(cluster));
    preflight.push(
      await trustCheck(ctx, cluster, {
        roleArn: params.roleArn,
        namespace: params.namespace,
        serviceAccount: params.serviceAccount,
        disableSessionTags: params.disableSessionTags,
      }),
    );
    if (params.targetRoleArn) preflight.push(await targetRoleCheck(ctx, params.targetRoleArn));
    if (params.policy) preflight.push(sessionPolicyCheck(params.policy));

    if (serviceAccount.irsa)
      preflight.push({
        check: 'irsa-annotation',
        status: 'warn',
        message: `The service account is annotated for IRSA (${serviceAccount.irsa.roleArn}). New pods will get Pod Identity, which the SDKs prefer over IRSA; remove the annotation once the move is done.`,
        offer: {
          label: 'Remove the IRSA annotation',
          type: 'remove-irsa-annotation',
          params: { cluster: params.cluster, namespace: params.namespace, serviceAccount: params.serviceAccount },
        },
      });
    const unsupported = (serviceAccount.pods ?? []).filter((pod) => pod.nodeKind === 'fargate' || pod.nodeKind === 'windows');
    if (unsupported.length > 0)
      preflight.push({
        check: 'node-types',
        status: 'warn',
        message: `${unsupported.length} pod(s) run on ${[...new Set(unsupported.map((pod) => (pod.nodeKind === 'fargate' ? 'Fargate' : 'Windows')))].join(' and ')} nodes, where the Pod Identity agent does not run: ${unsupported.map((pod) => pod.name).join(', ')}.`,
      });
    else preflight.push({ check: 'node-types', status: 'pass', message: 'No pod of this service account runs on Fargate or Windows.' });
    preflight.push(platformCheck(cluster));
    preflight.push(limitCheck(cluster, 1));

    const token = clientRequestToken([
      eks.clusterName,
      params.namespace,
      params.serviceAccount,
      params.roleArn,
      params.targetRoleArn ?? null,
      params.disableSessionTags ?? false,
      params.policy ?? null,
    ]);
    const body: Omit<CreateAssociationRequest, 'clusterName'> = {
      namespace: params.namespace,
      serviceAccount: params.serviceAccount,
      roleArn: params.roleArn,
      ...(params.targetRoleArn ? { targetRoleArn: params.targetRoleArn } : {}),
      ...(params.disableSessionTags !== undefined ? { disableSessionTags: params.disableSessionTags } : {}),
      ...(params.policy ? { policy: params.policy } : {}),
      clientRequestToken: token,
    };
    return associationPlan(ctx, {
      type: 'create-association',
      params,
      association: params,
      summary: `Associate ${params.cluster}/${params.namespace}/${params.serviceAccount} with ${params.roleArn}`,
      preflight,
      request: { operation: 'CreatePodIdentityAssociation', body },
      clientRequestToken: token,
    });
  },
  async apply(params, plan, ctx) {
    const eks = ctx.eks(params.cluster);
    // The request the plan showed, as it showed it.
    const body = plan.steps[0].request.body as Omit<CreateAssociationRequest, 'clusterName'>;
    let created: { associationId: string; associationArn: string };
    try {
      created = await createPodIdentityAssociation(eks.scope, { clusterName: eks.clusterName, ...body });
    } catch (error) {
      const plain = plainError(
        { service: 'eks', operation: 'CreatePodIdentityAssociation', permission: 'eks:CreatePodIdentityAssociation' },
        error,
      );
      const existing = ctx.serviceAccount(params.cluster, params.namespace, params.serviceAccount).association;
      if (plain.code === 'conflict' && existing)
        plain.offer = {
          label: 'Update the existing association',
          type: 'update-association',
          params: { cluster: params.cluster, associationId: existing.associationId, roleArn: params.roleArn },
        };
      throw new ActionError(plain);
    }
    return {
      status: 'written',
      read: () => describePodIdentityAssociation(eks.scope, eks.clusterName, created.associationId),
    };
  },
  verified: (association, params) => association.roleArn === params.roleArn && samePolicy(association.policy, params.policy),
  result: (association) => ({
    associationId: association.associationId,
    associationArn: association.associationArn,
    roleArn: association.roleArn,
  }),
  describe: (association) => `association ${association.associationId} with role ${association.roleArn ?? '(none)'}`,
});
