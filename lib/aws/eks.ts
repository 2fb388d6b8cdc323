import 'server-only';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  ListAddonsCommand,
  ListPodIdentityAssociationsCommand,
  type PodIdentityAssociationSummary,
} from '@aws-sdk/client-eks';
import { accountOfArn } from '@/lib/model/arn';
import type { EksAddon, EksClusterFacts, PodIdentityAssociation } from '@/lib/model/cluster-state';
import { awsClient, type AwsCredentialSource } from './clients';

// The EKS reads: one call per function, so the collector can cache and pool each call on its own.

export interface AwsScope {
  region: string;
  credentials: AwsCredentialSource;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : undefined);

export async function describeCluster(scope: AwsScope, clusterName: string): Promise<EksClusterFacts> {
  const { cluster } = await awsClient('eks', scope.region, scope.credentials).send(new DescribeClusterCommand({ name: clusterName }));
  if (!cluster?.arn) throw Object.assign(new Error(`DescribeCluster ${clusterName} returned no cluster`), { name: 'InvalidResponse' });
  return {
    name: cluster.name ?? clusterName,
    arn: cluster.arn,
    account: accountOfArn(cluster.arn) ?? '',
    region: scope.region,
    ...(cluster.version ? { version: cluster.version } : {}),
    ...(cluster.platformVersion ? { platformVersion: cluster.platformVersion } : {}),
    ...(cluster.identity?.oidc?.issuer ? { oidcIssuer: cluster.identity.oidc.issuer } : {}),
    ...(cluster.status ? { status: cluster.status } : {}),
    // EKS Auto Mode: its nodes run the Pod Identity agent built in (AUG automode).
    ...(cluster.computeConfig?.enabled !== undefined ? { autoMode: cluster.computeConfig.enabled } : {}),
    ...(cluster.kubernetesNetworkConfig?.ipFamily ? { serviceIpFamily: cluster.kubernetesNetworkConfig.ipFamily } : {}),
  };
}

/** One page of ListAddons: add-on names. */
export async function listAddonsPage(
  scope: AwsScope,
  clusterName: string,
  nextToken?: string,
): Promise<{ addons: string[]; nextToken?: string }> {
  const page = await awsClient('eks', scope.region, scope.credentials).send(
    new ListAddonsCommand({ clusterName, nextToken, maxResults: 100 }),
  );
  return { addons: page.addons ?? [], ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export async function describeAddon(scope: AwsScope, clusterName: string, addonName: string): Promise<EksAddon> {
  const { addon } = await awsClient('eks', scope.region, scope.credentials).send(new DescribeAddonCommand({ clusterName, addonName }));
  return {
    name: addon?.addonName ?? addonName,
    ...(addon?.addonVersion ? { version: addon.addonVersion } : {}),
    ...(addon?.status ? { status: addon.status } : {}),
  };
}

export type PodIdentityAssociationSummaryRow = Required<
  Pick<PodIdentityAssociationSummary, 'associationId' | 'associationArn' | 'namespace' | 'serviceAccount'>
> & {
  clusterName: string;
  ownerArn?: string;
};

/** One page (up to 100, the API's maximum) of ListPodIdentityAssociations. Summaries carry no roleArn (domain.md §1a). */
export async function listPodIdentityAssociationsPage(
  scope: AwsScope,
  clusterName: string,
  nextToken?: string,
): Promise<{ associations: PodIdentityAssociationSummaryRow[]; nextToken?: string }> {
  const page = await awsClient('eks', scope.region, scope.credentials).send(
    new ListPodIdentityAssociationsCommand({ clusterName, maxResults: 100, nextToken }),
  );
  const associations = (page.associations ?? []).map((summary) => ({
    associationId: summary.associationId ?? '',
    associationArn: summary.associationArn ?? '',
    clusterName: summary.clusterName ?? clusterName,
    namespace: summary.namespace ?? '',
    serviceAccount: summary.serviceAccount ?? '',
    ...(summary.ownerArn ? { ownerArn: summary.ownerArn } : {}),
  }));
  return { associations, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export async function describePodIdentityAssociation(
  scope: AwsScope,
  clusterName: string,
  associationId: string,
): Promise<PodIdentityAssociation> {
  const { association } = await awsClient('eks', scope.region, scope.credentials).send(
    new DescribePodIdentityAssociationCommand({ clusterName, associationId }),
  );
  if (!association)
    throw Object.assign(new Error(`DescribePodIdentityAssociation ${associationId} returned nothing`), { name: 'InvalidResponse' });
  return {
    associationId: association.associationId ?? associationId,
    associationArn: association.associationArn ?? '',
    clusterName: association.clusterName ?? clusterName,
    namespace: association.namespace ?? '',
    serviceAccount: association.serviceAccount ?? '',
    ...(association.roleArn ? { roleArn: association.roleArn } : {}),
    ...(association.targetRoleArn ? { targetRoleArn: association.targetRoleArn } : {}),
    ...(association.externalId ? { externalId: association.externalId } : {}),
    ...(association.disableSessionTags !== undefined ? { disableSessionTags: association.disableSessionTags } : {}),
    ...(association.ownerArn ? { ownerArn: association.ownerArn } : {}),
    ...(association.policy ? { policy: association.policy } : {}),
    ...(association.createdAt ? { createdAt: iso(association.createdAt) } : {}),
    ...(association.modifiedAt ? { modifiedAt: iso(association.modifiedAt) } : {}),
    ...(association.tags && Object.keys(association.tags).length > 0 ? { tags: association.tags } : {}),
  };
}
