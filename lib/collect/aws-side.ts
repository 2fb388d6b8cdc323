import 'server-only';
import { parseRoleArn } from '@/lib/model/arn';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type {
  ClusterState,
  EksAccessEntry,
  EksAddon,
  EksClusterFacts,
  PodIdentityAssociation,
  SourceError,
} from '@/lib/model/cluster-state';
import { principalArnOfCaller } from '@/lib/model/arn';
import { awsScopeOf, defaultRegionOf } from '@/lib/aws/eks';
import { awsSourceError } from '@/lib/aws/errors';
import { collectCache } from './cache';
import {
  cachedCallerIdentity,
  cachedDescribeAccessEntry,
  cachedDescribeAddon,
  cachedDescribeCluster,
  cachedDescribePodIdentityAssociation,
  cachedGetRole,
  cachedListAccessEntries,
  cachedListAddonNames,
  cachedListAssociatedAccessPolicies,
  cachedListAllPodIdentityAssociations,
} from './aws-reads';
import type { CollectOptions } from './kube-side';
import { readRolePolicies } from './permission-reads';
import { startInTurns } from './turns';

// The AWS half of an EKS cluster's state: DescribeCluster, the add-ons, every Pod Identity association
// with its role (one DescribePodIdentityAssociation each: the list's summaries carry no roleArn, domain.md §1a),
// and the access entries with their access policies. For a cluster the console reaches with its own EKS
// token, also the IAM principal that token stands for (sts:GetCallerIdentity), whose entry CL005 checks.

export interface AwsSide {
  name: string;
  /** undefined for clusters without EKS identity. */
  eks?: NonNullable<ClusterState['eks']>;
  /** The cluster's account: from config or the cluster ARN, else from DescribeCluster. */
  account?: string;
  /** ClusterState.consolePrincipalArn: only for clusters reached with the console's own EKS token. */
  consolePrincipalArn?: string | null;
  sourceErrors: SourceError[];
}

export { awsScopeOf, defaultRegionOf };

export async function collectAwsSide(
  target: ClusterTarget,
  options: CollectOptions & { prefetchPolicies?: boolean } = {},
): Promise<AwsSide> {
  const cache = options.cache ?? collectCache();
  const scope = awsScopeOf(target);
  if (!target.eks || !scope) {
    if (target.kind === 'eks')
      return {
        name: target.name,
        eks: { cluster: null, addons: null, associations: null },
        sourceErrors: [
          {
            cluster: target.name,
            source: 'eks',
            operation: 'DescribeCluster',
            code: 'UnknownEksCluster',
            message: `the console cannot tell this EKS cluster's name and region: name its kubeconfig context by the cluster ARN (aws eks update-kubeconfig) or set clusters[].eks in CONSOLE_CONFIG`,
          },
        ],
      };
    return { name: target.name, sourceErrors: [] };
  }
  const eksName = target.eks.name;
  const errors: SourceError[] = [];
  const call = (operation: string, subject?: Record<string, string>) => ({
    source: 'eks' as const,
    operation,
    action: `eks:${operation}`,
    cluster: target.name,
    ...(subject ? { subject } : {}),
  });

  const clusterFacts = cachedDescribeCluster(cache, scope, target.name, eksName).catch((error: unknown): EksClusterFacts | null => {
    errors.push(awsSourceError(call('DescribeCluster'), error));
    return null;
  });

  const addons = (async (): Promise<EksAddon[] | null> => {
    let names: string[];
    try {
      names = await cachedListAddonNames(cache, scope, target.name, eksName);
    } catch (error) {
      errors.push(awsSourceError(call('ListAddons'), error));
      return null;
    }
    return Promise.all(
      names.map((addonName) =>
        cachedDescribeAddon(cache, scope, target.name, eksName, addonName).catch((error: unknown): EksAddon => {
          // The add-on exists (ListAddons said so); only its version and status are unknown.
          errors.push(awsSourceError(call('DescribeAddon', { addonName }), error));
          return { name: addonName };
        }),
      ),
    );
  })();

  // The fleet reads every association's role next (GetRole, once per role), and the permission policies of
  // the role its pods act as (the target role, else the role). Starting each as soon as its association is
  // described keeps the shared pool busy while the describes wait on EKS's rate limit, instead of reading
  // IAM only after the slowest Describe (issue 17's bench: 10,000 roles' policies were a phase of their own);
  // the cache makes the later lookups join the same calls. Only roles in the cluster's own account, whose
  // credentials are this cluster's.
  const clusterAccount = target.eks.account;
  const prefetchRoles = (association: PodIdentityAssociation): PodIdentityAssociation => {
    const workloadRoleArn = association.targetRoleArn ?? association.roleArn;
    for (const roleArn of [association.roleArn, association.targetRoleArn]) {
      const account = roleArn ? parseRoleArn(roleArn)?.account : undefined;
      if (!roleArn || !account || account !== clusterAccount) continue;
      const role = cachedGetRole(cache, scope, roleArn, account);
      if (options.prefetchPolicies && roleArn === workloadRoleArn)
        void role.then((found) => found && readRolePolicies(cache, scope, found)).catch(() => undefined);
      else void role.catch(() => undefined);
    }
    return association;
  };

  const associations = (async (): Promise<PodIdentityAssociation[] | null> => {
    let summaries;
    try {
      summaries = await cachedListAllPodIdentityAssociations(cache, scope, target.name, eksName);
    } catch (error) {
      errors.push(awsSourceError(call('ListPodIdentityAssociations'), error));
      return null;
    }
    return startInTurns(summaries, (summary) =>
      cachedDescribePodIdentityAssociation(cache, scope, target.name, eksName, summary.associationId, summary).then(
        prefetchRoles,
        (error: unknown): PodIdentityAssociation => {
          // The association exists; without Describe its role is unknown (roleArn absent), never guessed.
          errors.push(
            awsSourceError(
              call('DescribePodIdentityAssociation', {
                associationId: summary.associationId,
                namespace: summary.namespace,
                serviceAccount: summary.serviceAccount,
              }),
              error,
            ),
          );
          return { ...summary };
        },
      ),
    );
  })();

  const accessEntries = (async (): Promise<EksAccessEntry[] | null> => {
    let principalArns: string[];
    try {
      principalArns = await cachedListAccessEntries(cache, scope, target.name, eksName);
    } catch (error) {
      errors.push(awsSourceError(call('ListAccessEntries'), error));
      return null;
    }
    return Promise.all(
      principalArns.map(async (principalArn): Promise<EksAccessEntry> => {
        const [entry, accessPolicies] = await Promise.all([
          cachedDescribeAccessEntry(cache, scope, target.name, eksName, principalArn).catch((error: unknown) => {
            // The entry exists (ListAccessEntries said so); its groups and username are unknown.
            errors.push(awsSourceError(call('DescribeAccessEntry', { principalArn }), error));
            return { principalArn, kubernetesGroups: [] };
          }),
          cachedListAssociatedAccessPolicies(cache, scope, target.name, eksName, principalArn).catch((error: unknown) => {
            errors.push(awsSourceError(call('ListAssociatedAccessPolicies', { principalArn }), error));
            return null;
          }),
        ]);
        return { ...entry, accessPolicies };
      }),
    );
  })();

  const consolePrincipalArn = target.viaEksApi
    ? cachedCallerIdentity(cache, scope).then(
        (identity) => principalArnOfCaller(identity.arn),
        (error: unknown) => {
          errors.push(
            awsSourceError({ source: 'sts', operation: 'GetCallerIdentity', action: 'sts:GetCallerIdentity', cluster: target.name }, error),
          );
          return null;
        },
      )
    : undefined;

  const eks = {
    cluster: await clusterFacts,
    addons: await addons,
    associations: await associations,
    ...(target.associationLimit !== undefined ? { associationLimit: target.associationLimit } : {}),
    accessEntries: await accessEntries,
  };
  const principal = await consolePrincipalArn;
  return {
    name: target.name,
    eks,
    ...(principal !== undefined ? { consolePrincipalArn: principal } : {}),
    ...((target.eks.account ?? eks.cluster?.account) ? { account: target.eks.account ?? eks.cluster?.account } : {}),
    sourceErrors: errors,
  };
}
