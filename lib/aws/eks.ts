import 'server-only';
import {
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  DescribePodIdentityAssociationCommand,
  ListAddonsCommand,
  ListPodIdentityAssociationsCommand,
  type PodIdentityAssociationSummary,
} from '@aws-sdk/client-eks';
import { accountOfArn } from '@/lib/model/arn';
import type {
  EksAccessEntry,
  EksAccessPolicyAssociation,
  EksAddon,
  EksClusterFacts,
  PodIdentityAssociation,
} from '@/lib/model/cluster-state';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import { awsClient, type AwsCredentialSource } from './clients';

// The EKS reads: one call per function, so the collector can cache and pool each call on its own.

export interface AwsScope {
  region: string;
  credentials: AwsCredentialSource;
}

/** The region and credentials of an EKS cluster's AWS calls (its assumeRoleArn, or the kubeconfig user's profile). */
export function awsScopeOf(target: ClusterTarget): AwsScope | undefined {
  if (!target.eks) return undefined;
  return {
    region: target.eks.region,
    credentials: {
      ...(target.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}),
      ...(target.awsProfile ? { profile: target.awsProfile } : {}),
    },
  };
}

/**
 * The region of AWS calls that belong to no cluster (IAM, a bucket whose region is unknown): the SDK's own
 * AWS_REGION / AWS_DEFAULT_REGION, else the first EKS cluster's, else us-east-1.
 */
export function defaultRegionOf(targets: readonly ClusterTarget[]): string {
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? targets.find((target) => target.eks)?.eks?.region ?? 'us-east-1';
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

/** Where a cluster's API server is and the CA that signs its certificate (DescribeCluster endpoint, certificateAuthority.data). */
export interface EksClusterEndpoint {
  arn: string;
  endpoint: string;
  /** Base64 of the PEM CA bundle, as DescribeCluster returns it. */
  certificateAuthorityData: string;
}

export async function describeClusterEndpoint(scope: AwsScope, clusterName: string): Promise<EksClusterEndpoint> {
  const { cluster } = await awsClient('eks', scope.region, scope.credentials).send(new DescribeClusterCommand({ name: clusterName }));
  if (!cluster?.arn || !cluster.endpoint || !cluster.certificateAuthority?.data)
    throw Object.assign(
      new Error(
        `DescribeCluster ${clusterName} gave no ${!cluster?.endpoint ? 'endpoint' : 'certificate authority'}: the cluster is still being created, or not ACTIVE (status ${cluster?.status ?? 'unknown'})`,
      ),
      { name: 'ClusterNotReady' },
    );
  return { arn: cluster.arn, endpoint: cluster.endpoint, certificateAuthorityData: cluster.certificateAuthority.data };
}

/** One page (up to 100, the API's maximum) of ListClusters: cluster names in the caller's account and the scope's region. */
export async function listClustersPage(scope: AwsScope, nextToken?: string): Promise<{ clusters: string[]; nextToken?: string }> {
  const page = await awsClient('eks', scope.region, scope.credentials).send(new ListClustersCommand({ maxResults: 100, nextToken }));
  return { clusters: page.clusters ?? [], ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/** One page (up to 100, the API's maximum) of ListAccessEntries: principal ARNs. */
export async function listAccessEntriesPage(
  scope: AwsScope,
  clusterName: string,
  nextToken?: string,
): Promise<{ principalArns: string[]; nextToken?: string }> {
  const page = await awsClient('eks', scope.region, scope.credentials).send(
    new ListAccessEntriesCommand({ clusterName, maxResults: 100, nextToken }),
  );
  return { principalArns: page.accessEntries ?? [], ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export async function describeAccessEntry(
  scope: AwsScope,
  clusterName: string,
  principalArn: string,
): Promise<Omit<EksAccessEntry, 'accessPolicies'>> {
  const { accessEntry } = await awsClient('eks', scope.region, scope.credentials).send(
    new DescribeAccessEntryCommand({ clusterName, principalArn }),
  );
  return {
    principalArn: accessEntry?.principalArn ?? principalArn,
    ...(accessEntry?.type ? { type: accessEntry.type } : {}),
    ...(accessEntry?.username ? { username: accessEntry.username } : {}),
    kubernetesGroups: accessEntry?.kubernetesGroups ?? [],
  };
}

/** One page (up to 100, the API's maximum) of ListAssociatedAccessPolicies. */
export async function listAssociatedAccessPoliciesPage(
  scope: AwsScope,
  clusterName: string,
  principalArn: string,
  nextToken?: string,
): Promise<{ policies: EksAccessPolicyAssociation[]; nextToken?: string }> {
  const page = await awsClient('eks', scope.region, scope.credentials).send(
    new ListAssociatedAccessPoliciesCommand({ clusterName, principalArn, maxResults: 100, nextToken }),
  );
  const policies = (page.associatedAccessPolicies ?? []).map((policy): EksAccessPolicyAssociation => ({
    policyArn: policy.policyArn ?? '',
    accessScope:
      policy.accessScope?.type === 'namespace'
        ? { type: 'namespace', namespaces: policy.accessScope.namespaces ?? [] }
        : { type: 'cluster' },
  }));
  return { policies, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
