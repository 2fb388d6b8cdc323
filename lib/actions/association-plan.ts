import { createHash } from 'node:crypto';
import type { ActionContext } from './action-context';
import type { ActionKind } from './schemas';
import type { ActionPlan, PreflightCheck } from './types';

// The plan of an association action (create, update, delete): one EKS request, its aws CLI line and Terraform,
// and the roll it leads to, since only new pods get the Pod Identity env (domain.md §1c).

/** EKS's idempotency token for a create or update: the same plan sent twice makes one change. */
export function clientRequestToken(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export interface AssociationPlan {
  type: ActionKind;
  params: Record<string, unknown> & { cluster: string };
  /** The service account the association is for: the audit target and the pods to roll. */
  serviceAccount: { namespace: string; serviceAccount: string };
  /** Audit target extras: the association's id and role, when known. */
  associationId?: string;
  roleArn?: string | null;
  summary: string;
  preflight: PreflightCheck[];
  request: { operation: 'CreatePodIdentityAssociation' | 'UpdatePodIdentityAssociation' | 'DeletePodIdentityAssociation'; body?: unknown };
  cli: string[];
  terraform: string;
}

const VERB = { CreatePodIdentityAssociation: 'Create', UpdatePodIdentityAssociation: 'Update', DeletePodIdentityAssociation: 'Delete' };
const PLACE = { CreatePodIdentityAssociation: 'in', UpdatePodIdentityAssociation: 'in', DeletePodIdentityAssociation: 'from' };
const METHOD = {
  CreatePodIdentityAssociation: 'POST',
  UpdatePodIdentityAssociation: 'POST',
  DeletePodIdentityAssociation: 'DELETE',
} as const;

export function associationPlan(ctx: ActionContext, plan: AssociationPlan): ActionPlan {
  const eks = ctx.eks(plan.params.cluster);
  const { operation, body } = plan.request;
  const path = `/clusters/${eks.clusterName}/pod-identity-associations${plan.associationId ? `/${plan.associationId}` : ''}`;
  const { namespace, serviceAccount: name } = plan.serviceAccount;
  const serviceAccount = { cluster: plan.params.cluster, namespace, serviceAccount: name };
  return {
    type: plan.type,
    params: { ...plan.params },
    targets: [
      {
        ...serviceAccount,
        ...(plan.associationId ? { associationId: plan.associationId } : {}),
        ...(plan.roleArn ? { roleArn: plan.roleArn } : {}),
      },
    ],
    summary: plan.summary,
    preflight: plan.preflight,
    steps: [
      {
        description: `${VERB[operation]} the association ${PLACE[operation]} EKS cluster ${eks.clusterName} (${eks.region})`,
        request: { service: 'eks', operation, method: METHOD[operation], path, ...(body !== undefined ? { body } : {}) },
        cli: plan.cli.join('\n'),
      },
    ],
    terraform: plan.terraform,
    followUp: { type: 'roll-pods', params: serviceAccount },
  };
}
