import { createHash } from 'node:crypto';
import type { ActionContext } from './action-context';
import { actionCommands } from './commands';
import type { ActionParams } from './schemas';
import { associationTerraform } from './shell';
import type { ActionPlan, PreflightCheck } from './types';

// The plan of an association action (create, update, delete): one EKS request, its aws CLI line and Terraform,
// and the roll it leads to, since only new pods get the Pod Identity env (domain.md §1c).

/** EKS's idempotency token for a create or update: the same plan sent twice makes one change. */
export function clientRequestToken(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

type AssociationKind = 'create-association' | 'update-association' | 'delete-association';

/** An association as EKS holds it: after the request for a create or an update, before it for a delete. */
export interface AssociationState {
  namespace: string;
  serviceAccount: string;
  roleArn?: string | null;
  targetRoleArn?: string | null;
  disableSessionTags?: boolean;
  policy?: string | null;
}

export interface AssociationPlan<K extends AssociationKind> {
  type: K;
  params: ActionParams<K>;
  /** The audit target, the Terraform, and whose pods to roll. */
  association: AssociationState;
  /** Audit target extra and request path, for an association that exists. */
  associationId?: string;
  summary: string;
  preflight: PreflightCheck[];
  request: { operation: 'CreatePodIdentityAssociation' | 'UpdatePodIdentityAssociation' | 'DeletePodIdentityAssociation'; body?: unknown };
  /** EKS's idempotency token the request carries (create, update), so the CLI line carries it too. */
  clientRequestToken?: string;
}

const VERB = { CreatePodIdentityAssociation: 'Create', UpdatePodIdentityAssociation: 'Update', DeletePodIdentityAssociation: 'Delete' };
const PLACE = { CreatePodIdentityAssociation: 'in', UpdatePodIdentityAssociation: 'in', DeletePodIdentityAssociation: 'from' };
const METHOD = {
  CreatePodIdentityAssociation: 'POST',
  UpdatePodIdentityAssociation: 'POST',
  DeletePodIdentityAssociation: 'DELETE',
} as const;

/** What Terraform holds for the association: the resource block it ends as, or where to delete it. */
function terraformOf(
  operation: AssociationPlan<AssociationKind>['request']['operation'],
  clusterName: string,
  association: AssociationState,
) {
  if (operation === 'DeletePodIdentityAssociation')
    return `# Delete the aws_eks_pod_identity_association block whose namespace is ${JSON.stringify(association.namespace)} and\n# service_account is ${JSON.stringify(association.serviceAccount)} (cluster ${JSON.stringify(clusterName)}), then terraform apply.`;
  return associationTerraform({ ...association, clusterName, roleArn: association.roleArn ?? '' });
}

export function associationPlan<K extends AssociationKind>(ctx: ActionContext, plan: AssociationPlan<K>): ActionPlan {
  const eks = ctx.eks(plan.params.cluster);
  const { operation, body } = plan.request;
  const path = `/clusters/${eks.clusterName}/pod-identity-associations${plan.associationId ? `/${plan.associationId}` : ''}`;
  const { namespace, serviceAccount: name, roleArn } = plan.association;
  const serviceAccount = { cluster: plan.params.cluster, namespace, serviceAccount: name };
  const cli = actionCommands(plan.type, plan.params, {
    region: eks.region,
    eksClusterName: eks.clusterName,
    ...(plan.clientRequestToken ? { clientRequestToken: plan.clientRequestToken } : {}),
  });
  return {
    type: plan.type,
    params: { ...plan.params },
    targets: [
      {
        ...serviceAccount,
        ...(plan.associationId ? { associationId: plan.associationId } : {}),
        ...(roleArn ? { roleArn } : {}),
      },
    ],
    summary: plan.summary,
    preflight: plan.preflight,
    steps: [
      {
        description: `${VERB[operation]} the association ${PLACE[operation]} EKS cluster ${eks.clusterName} (${eks.region})`,
        request: { service: 'eks', operation, method: METHOD[operation], path, ...(body !== undefined ? { body } : {}) },
        cli: cli.join('\n'),
      },
    ],
    terraform: terraformOf(operation, eks.clusterName, plan.association),
    followUp: { type: 'roll-pods', params: serviceAccount },
  };
}
