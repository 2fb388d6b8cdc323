import { accessPolicyByArn } from '../kube/access-policies';
import type { SimAccessEntry, SimAccessPolicyAssociation, SimEksCluster, SimWorld } from '../world';
import { accessEntryArn, defaultAccessEntryUsername } from './ids';
import { AwsError } from './protocol';

// EKS access entries and their access policies, REST-JSON (EKS API reference: CreateAccessEntry,
// DescribeAccessEntry, ListAccessEntries, DeleteAccessEntry, AssociateAccessPolicy,
// ListAssociatedAccessPolicies, DisassociateAccessPolicy). The Kubernetes half (sim/kube/eks-authn.ts)
// reads the same entries when it authenticates an EKS token.

const epoch = (iso: string) => new Date(iso).getTime() / 1000;
const PRINCIPAL_ARN = /^arn:aws[\w-]*:iam::\d{12}:(role|user)\/.+$/;

export function describeAccessEntry(cluster: SimEksCluster, entry: SimAccessEntry): Record<string, unknown> {
  return {
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    kubernetesGroups: entry.kubernetesGroups,
    accessEntryArn: entry.accessEntryArn,
    createdAt: epoch(entry.createdAt),
    modifiedAt: epoch(entry.modifiedAt),
    tags: entry.tags,
    username: entry.username,
    type: entry.type,
  };
}

export function describeAssociatedPolicy(policy: SimAccessPolicyAssociation): Record<string, unknown> {
  return {
    policyArn: policy.policyArn,
    accessScope: { type: policy.accessScope.type, namespaces: policy.accessScope.namespaces },
    associatedAt: epoch(policy.associatedAt),
    modifiedAt: epoch(policy.modifiedAt),
  };
}

export function accessEntryOf(cluster: SimEksCluster, principalArn: string): SimAccessEntry {
  const entry = cluster.accessEntries.get(principalArn);
  if (!entry)
    throw new AwsError(
      404,
      'ResourceNotFoundException',
      `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`,
      { clusterName: cluster.name },
    );
  return entry;
}

function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length === 0))
    throw new AwsError(400, 'InvalidParameterException', `${key} must be a list of non-empty strings.`);
  return value as string[];
}

export function createAccessEntry(world: SimWorld, cluster: SimEksCluster, body: Record<string, unknown>): SimAccessEntry {
  const principalArn = body.principalArn;
  if (typeof principalArn !== 'string' || !principalArn)
    throw new AwsError(400, 'InvalidParameterException', 'principalArn is a required parameter.');
  if (!PRINCIPAL_ARN.test(principalArn))
    throw new AwsError(400, 'InvalidParameterException', `The principalArn parameter format is not valid: ${principalArn}`);
  if (cluster.accessEntries.has(principalArn))
    throw new AwsError(409, 'ResourceInUseException', 'The specified access entry resource is already in use on this cluster.', {
      clusterName: cluster.name,
    });
  const type = body.type ?? 'STANDARD';
  if (type !== 'STANDARD')
    throw new AwsError(400, 'InvalidParameterException', `The simulator models access entries of type STANDARD only, not ${String(type)}.`);
  const kubernetesGroups = stringList(body, 'kubernetesGroups');
  // EKS reserves system: groups for itself (EKS user guide, creating-access-entries).
  for (const group of kubernetesGroups)
    if (group.startsWith('system:'))
      throw new AwsError(
        400,
        'InvalidParameterException',
        `The kubernetesGroup ${group} is invalid: names starting with system: are reserved.`,
      );
  const username = typeof body.username === 'string' && body.username ? body.username : defaultAccessEntryUsername(principalArn);
  const now = world.clock.nowIso();
  const entry: SimAccessEntry = {
    principalArn,
    accessEntryArn: accessEntryArn(cluster.region, cluster.account, cluster.name, principalArn, `${principalArn}/${now}/${Math.random()}`),
    kubernetesGroups,
    username,
    type: 'STANDARD',
    tags: (body.tags && typeof body.tags === 'object' ? body.tags : {}) as Record<string, string>,
    createdAt: now,
    modifiedAt: now,
    accessPolicies: new Map(),
  };
  cluster.accessEntries.set(principalArn, entry);
  return entry;
}

export function associateAccessPolicy(world: SimWorld, entry: SimAccessEntry, body: Record<string, unknown>): SimAccessPolicyAssociation {
  if (entry.type !== 'STANDARD')
    throw new AwsError(
      400,
      'InvalidRequestException',
      `Access policies can only be associated with STANDARD access entries, not ${entry.type}.`,
    );
  const policyArn = body.policyArn;
  if (typeof policyArn !== 'string' || !policyArn)
    throw new AwsError(400, 'InvalidParameterException', 'policyArn is a required parameter.');
  if (!accessPolicyByArn(policyArn))
    throw new AwsError(404, 'ResourceNotFoundException', `The specified policyArn could not be found: ${policyArn}`);
  const scope = body.accessScope as { type?: unknown; namespaces?: unknown } | undefined;
  if (!scope || (scope.type !== 'cluster' && scope.type !== 'namespace'))
    throw new AwsError(400, 'InvalidParameterException', 'accessScope.type must be cluster or namespace.');
  const namespaces = stringList(scope as Record<string, unknown>, 'namespaces');
  if (scope.type === 'namespace' && namespaces.length === 0)
    throw new AwsError(400, 'InvalidParameterException', 'A namespace access scope needs at least one namespace.');
  if (scope.type === 'cluster' && namespaces.length > 0)
    throw new AwsError(400, 'InvalidParameterException', 'A cluster access scope takes no namespaces.');
  const now = world.clock.nowIso();
  const existing = entry.accessPolicies.get(policyArn);
  // Associating a policy again replaces its scope (AssociateAccessPolicy is an upsert).
  const association: SimAccessPolicyAssociation = {
    policyArn,
    accessScope: { type: scope.type, namespaces },
    associatedAt: existing?.associatedAt ?? now,
    modifiedAt: now,
  };
  entry.accessPolicies.set(policyArn, association);
  entry.modifiedAt = now;
  return association;
}

export function disassociateAccessPolicy(entry: SimAccessEntry, policyArn: string): void {
  if (!entry.accessPolicies.delete(policyArn))
    throw new AwsError(404, 'ResourceNotFoundException', `The specified policyArn is not associated with the access entry: ${policyArn}`);
}
