import 'server-only';
import { iamRegionFor } from '@/lib/aws/clients';
import type {
  EksAccessEntry,
  EksAccessPolicyAssociation,
  EksAddon,
  EksClusterFacts,
  IamRole,
  PodIdentityAssociation,
} from '@/lib/model/cluster-state';
import {
  describeAccessEntry,
  describeAddon,
  describeCluster,
  describePodIdentityAssociation,
  listAccessEntriesPage,
  listAddonsPage,
  listAssociatedAccessPoliciesPage,
  listClustersPage,
  listPodIdentityAssociationsPage,
  type AwsScope,
  type PodIdentityAssociationSummaryRow,
} from '@/lib/aws/eks';
import { getRole, listOpenIdConnectProviderUrls, listRolesPage } from '@/lib/aws/iam';
import { callerIdentity, type CallerIdentity } from '@/lib/aws/sts';
import { ContinuationGuard } from '@/lib/limits/read-limits';
import { parseRoleArn } from '@/lib/model/arn';
import type { CollectCache } from './cache';

// Every AWS read through the shared cache: single calls are cached and pooled; a listing's pages are each
// one pooled call, and the whole listing is what is cached (so pages are never mixed across two states).
// Cache parameters name the console's cluster (`cluster`) and the role (`roleArn`) so our own writes can
// invalidate exactly what they changed.

function credentialParams(scope: AwsScope) {
  return { region: scope.region, assumeRoleArn: scope.credentials.assumeRoleArn, profile: scope.credentials.profile };
}

/** IAM is global (one endpoint per partition), so its reads are the same from clusters in any region. */
function iamCredentialParams(scope: AwsScope) {
  return { ...credentialParams(scope), region: iamRegionFor(scope.region) };
}

export function cachedDescribeCluster(cache: CollectCache, scope: AwsScope, cluster: string, eksName: string): Promise<EksClusterFacts> {
  return cache.get('eks:DescribeCluster', { cluster, eksName, ...credentialParams(scope) }, () => describeCluster(scope, eksName), {
    pooled: true,
    rolling: 'cluster',
  });
}

export function cachedListAddonNames(cache: CollectCache, scope: AwsScope, cluster: string, eksName: string): Promise<string[]> {
  return cache.get(
    'eks:ListAddons',
    { cluster, eksName, ...credentialParams(scope) },
    async () => {
      const names: string[] = [];
      const guard = new ContinuationGuard(`ListAddons ${eksName}`);
      let token: string | undefined;
      do {
        const page = await cache.call('eks:ListAddons', () => listAddonsPage(scope, eksName, token));
        names.push(...page.addons);
        token = guard.next(page.nextToken);
      } while (token);
      return names;
    },
    { rolling: 'cluster' },
  );
}

export function cachedDescribeAddon(
  cache: CollectCache,
  scope: AwsScope,
  cluster: string,
  eksName: string,
  addonName: string,
): Promise<EksAddon> {
  return cache.get(
    'eks:DescribeAddon',
    { cluster, eksName, addonName, ...credentialParams(scope) },
    () => describeAddon(scope, eksName, addonName),
    { pooled: true, rolling: 'cluster' },
  );
}

/** Every page of ListPodIdentityAssociations (100 per page, the API's maximum). */
export function cachedListAllPodIdentityAssociations(
  cache: CollectCache,
  scope: AwsScope,
  cluster: string,
  eksName: string,
): Promise<PodIdentityAssociationSummaryRow[]> {
  return cache.get(
    'eks:ListPodIdentityAssociations',
    { cluster, eksName, ...credentialParams(scope) },
    async () => {
      const associations: PodIdentityAssociationSummaryRow[] = [];
      const guard = new ContinuationGuard(`ListPodIdentityAssociations ${eksName}`);
      let token: string | undefined;
      do {
        const page = await cache.call('eks:ListPodIdentityAssociations', () => listPodIdentityAssociationsPage(scope, eksName, token));
        associations.push(...page.associations);
        token = guard.next(page.nextToken);
      } while (token);
      return associations;
    },
    { list: true },
  );
}

export function cachedDescribePodIdentityAssociation(
  cache: CollectCache,
  scope: AwsScope,
  cluster: string,
  eksName: string,
  associationId: string,
  /** The association's list entry: when it changes (another service account, owner), it is described again at once. */
  listed?: Pick<PodIdentityAssociationSummaryRow, 'namespace' | 'serviceAccount' | 'ownerArn'>,
): Promise<PodIdentityAssociation> {
  return cache.get(
    'eks:DescribePodIdentityAssociation',
    {
      cluster,
      eksName,
      associationId,
      ...credentialParams(scope),
      ...(listed ? { listed: `${listed.namespace}/${listed.serviceAccount}/${listed.ownerArn ?? ''}` } : {}),
    },
    () => describePodIdentityAssociation(scope, eksName, associationId),
    // Describe only what is new; re-describe the rest on a slow rolling schedule (issue 17).
    { pooled: true, rolling: 'describe' },
  );
}

export function cachedGetRole(cache: CollectCache, scope: AwsScope, roleArn: string, account: string): Promise<IamRole | null> {
  return cache.get('iam:GetRole', { roleArn, account, ...iamCredentialParams(scope) }, () => getRole(scope, roleArn), {
    pooled: true,
    rolling: 'iam',
  });
}

const trustTexts = new WeakMap<object, string>();
/** A trust policy as text, once per document object (a stored read keeps its objects until it is read again). */
function trustText(role: IamRole): string {
  let text = trustTexts.get(role.trustPolicy);
  if (text === undefined) trustTexts.set(role.trustPolicy, (text = JSON.stringify(role.trustPolicy)));
  return text;
}

/**
 * The account's role listing is cheap (1,000 roles a page, every listSeconds) and carries each role's trust policy
 * and creation date, so it tells which stored GetRole reads are out of date without re-reading every role: a role
 * whose trust policy changed is read again now, and one that appeared, went, or was deleted and made again under
 * the same name (another creation date; its policies are dropped too) likewise, instead of at its next rolling
 * re-read. Only reads older than the listing are judged. Returns how many roles were dropped.
 */
export function forgetRolesTheListingContradicts(cache: CollectCache, scope: AwsScope, account: string, roleArns: string[]): number {
  const listing = cache.peek<IamRole[]>('iam:ListRoles', { account, ...iamCredentialParams(scope) });
  if (!listing) return 0;
  const listed = new Map(listing.value.map((role) => [role.name, role]));
  let forgotten = 0;
  for (const roleArn of roleArns) {
    const params = { roleArn, account, ...iamCredentialParams(scope) };
    const read = cache.peek<IamRole | null>('iam:GetRole', params);
    if (!read || read.loadedAt >= listing.loadedAt) continue;
    const inList = listed.get(parseRoleArn(roleArn)?.name ?? '');
    if (read.value === null) {
      if (inList) {
        cache.forget('iam:GetRole', params);
        forgotten++;
      }
      continue;
    }
    if (!inList || (inList.createDate && read.value.createDate && inList.createDate !== read.value.createDate)) {
      cache.invalidate({ roleArn });
      forgotten++;
    } else if (trustText(inList) !== trustText(read.value)) {
      cache.forget('iam:GetRole', params);
      forgotten++;
    }
  }
  return forgotten;
}

/** Every role of the account (ListRoles, 1000 per page). */
export function cachedListRoles(cache: CollectCache, scope: AwsScope, account: string): Promise<IamRole[]> {
  return cache.get(
    'iam:ListRoles',
    { account, ...iamCredentialParams(scope) },
    async () => {
      const roles: IamRole[] = [];
      const guard = new ContinuationGuard(`ListRoles in ${account}`);
      let marker: string | undefined;
      do {
        const page = await cache.call('iam:ListRoles', () => listRolesPage(scope, marker));
        roles.push(...page.roles);
        marker = guard.next(page.marker);
      } while (marker);
      return roles;
    },
    { list: true },
  );
}

export function cachedOpenIdConnectProviderUrls(cache: CollectCache, scope: AwsScope, account: string): Promise<string[]> {
  return cache.get(
    'iam:ListOpenIDConnectProviders',
    { account, ...iamCredentialParams(scope) },
    () => listOpenIdConnectProviderUrls(scope),
    { pooled: true, list: true },
  );
}

/** Who the credentials are (account and caller ARN); asked once per TTL. */
export function cachedCallerIdentity(cache: CollectCache, scope: AwsScope): Promise<CallerIdentity> {
  return cache.get('sts:GetCallerIdentity', credentialParams(scope), () => callerIdentity(scope), { pooled: true, rolling: 'cluster' });
}

/** The account the credentials act in. */
export function cachedCallerAccount(cache: CollectCache, scope: AwsScope): Promise<string> {
  return cachedCallerIdentity(cache, scope).then((identity) => identity.account);
}

/** Every EKS cluster name in the scope's account and region (ListClusters, 100 per page). */
export function cachedListClusters(cache: CollectCache, scope: AwsScope): Promise<string[]> {
  return cache.get(
    'eks:ListClusters',
    credentialParams(scope),
    async () => {
      const names: string[] = [];
      const guard = new ContinuationGuard(`ListClusters in ${scope.region}`);
      let token: string | undefined;
      do {
        const page = await cache.call('eks:ListClusters', () => listClustersPage(scope, token));
        names.push(...page.clusters);
        token = guard.next(page.nextToken);
      } while (token);
      return names;
    },
    { list: true },
  );
}

/** Every access entry's principal ARN (ListAccessEntries, 100 per page). */
export function cachedListAccessEntries(cache: CollectCache, scope: AwsScope, cluster: string, eksName: string): Promise<string[]> {
  return cache.get(
    'eks:ListAccessEntries',
    { cluster, eksName, ...credentialParams(scope) },
    async () => {
      const arns: string[] = [];
      const guard = new ContinuationGuard(`ListAccessEntries ${eksName}`);
      let token: string | undefined;
      do {
        const page = await cache.call('eks:ListAccessEntries', () => listAccessEntriesPage(scope, eksName, token));
        arns.push(...page.principalArns);
        token = guard.next(page.nextToken);
      } while (token);
      return arns;
    },
    { rolling: 'cluster' },
  );
}

export function cachedDescribeAccessEntry(
  cache: CollectCache,
  scope: AwsScope,
  cluster: string,
  eksName: string,
  principalArn: string,
): Promise<Omit<EksAccessEntry, 'accessPolicies'>> {
  return cache.get(
    'eks:DescribeAccessEntry',
    { cluster, eksName, principalArn, ...credentialParams(scope) },
    () => describeAccessEntry(scope, eksName, principalArn),
    { pooled: true, rolling: 'cluster' },
  );
}

/** Every access policy associated with one entry (ListAssociatedAccessPolicies, 100 per page). */
export function cachedListAssociatedAccessPolicies(
  cache: CollectCache,
  scope: AwsScope,
  cluster: string,
  eksName: string,
  principalArn: string,
): Promise<EksAccessPolicyAssociation[]> {
  return cache.get(
    'eks:ListAssociatedAccessPolicies',
    { cluster, eksName, principalArn, ...credentialParams(scope) },
    async () => {
      const policies: EksAccessPolicyAssociation[] = [];
      const guard = new ContinuationGuard(`ListAssociatedAccessPolicies ${eksName} ${principalArn}`);
      let token: string | undefined;
      do {
        const page = await cache.call('eks:ListAssociatedAccessPolicies', () =>
          listAssociatedAccessPoliciesPage(scope, eksName, principalArn, token),
        );
        policies.push(...page.policies);
        token = guard.next(page.nextToken);
      } while (token);
      return policies;
    },
    { rolling: 'cluster' },
  );
}
