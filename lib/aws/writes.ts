import 'server-only';
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { PolicyDocument } from '@/lib/model/cluster-state';
import { awsClient } from './clients';
import type { AwsScope } from './eks';
import { parseRoleArn } from '@/lib/model/arn';

// The AWS writes of the guided actions. Each returns what AWS answered, so the audit record holds it.

export interface CreateAssociationRequest {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  /** A session policy (JSON text); EKS requires disableSessionTags with it. */
  policy?: string;
  /** Makes a retried create idempotent (EKS API reference, CreatePodIdentityAssociation). */
  clientRequestToken: string;
}

export async function createPodIdentityAssociation(scope: AwsScope, request: CreateAssociationRequest) {
  const { association } = await awsClient('eks', scope.region, scope.credentials).send(new CreatePodIdentityAssociationCommand(request));
  return { associationId: association?.associationId ?? '', associationArn: association?.associationArn ?? '' };
}

export interface UpdateAssociationRequest {
  clusterName: string;
  associationId: string;
  roleArn?: string;
  /** An empty string removes the target role (EKS API reference, UpdatePodIdentityAssociation). */
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  /** A session policy (JSON text); an empty string removes it. */
  policy?: string;
  clientRequestToken: string;
}

export async function updatePodIdentityAssociation(scope: AwsScope, request: UpdateAssociationRequest) {
  const { association } = await awsClient('eks', scope.region, scope.credentials).send(new UpdatePodIdentityAssociationCommand(request));
  return {
    associationId: association?.associationId ?? request.associationId,
    roleArn: association?.roleArn,
    targetRoleArn: association?.targetRoleArn ?? null,
  };
}

export async function deletePodIdentityAssociation(scope: AwsScope, clusterName: string, associationId: string) {
  const { association } = await awsClient('eks', scope.region, scope.credentials).send(
    new DeletePodIdentityAssociationCommand({ clusterName, associationId }),
  );
  return { associationId: association?.associationId ?? associationId };
}

export async function updateAssumeRolePolicy(scope: AwsScope, roleArn: string, policy: PolicyDocument) {
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw Object.assign(new Error(`"${roleArn}" is not an IAM role ARN`), { name: 'InvalidRoleArn' });
  await awsClient('iam', scope.region, scope.credentials).send(
    new UpdateAssumeRolePolicyCommand({ RoleName: parsed.name, PolicyDocument: JSON.stringify(policy) }),
  );
  return { roleArn };
}
