import 'server-only';
import { parseRoleArn } from '@/lib/model/arn';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { ClusterState, EksAddon, EksClusterFacts, PodIdentityAssociation, SourceError } from '@/lib/model/cluster-state';
import type { AwsScope } from '@/lib/aws/eks';
import { awsSourceError } from '@/lib/aws/errors';
import { collectCache } from './cache';
import {
  cachedDescribeAddon,
  cachedDescribeCluster,
  cachedDescribePodIdentityAssociation,
  cachedGetRole,
  cachedListAddonNames,
  cachedListAllPodIdentityAssociations,
} from './aws-reads';
import type { CollectOptions } from './kube-side';

// The AWS half of an EKS cluster's state: DescribeCluster, the add-ons, and every Pod Identity association
// with its role (one DescribePodIdentityAssociation each: the list's summaries carry no roleArn, domain.md §1a).

export interface AwsSide {
  name: string;
  /** undefined for clusters without EKS identity. */
  eks?: NonNullable<ClusterState['eks']>;
  /** The cluster's account: from config or the cluster ARN, else from DescribeCluster. */
  account?: string;
  sourceErrors: SourceError[];
}

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

export async function collectAwsSide(target: ClusterTarget, options: CollectOptions = {}): Promise<AwsSide> {
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

  // The fleet reads every association's role next (GetRole, once per role). Starting each as soon as its
  // association is described keeps the shared pool busy instead of waiting for the slowest Describe; the
  // cache makes the later lookup join the same call. Only roles in the cluster's own account, whose
  // credentials are this cluster's.
  const clusterAccount = target.eks.account;
  const prefetchRoles = (association: PodIdentityAssociation): PodIdentityAssociation => {
    for (const roleArn of [association.roleArn, association.targetRoleArn]) {
      const account = roleArn ? parseRoleArn(roleArn)?.account : undefined;
      if (roleArn && account && account === clusterAccount) void cachedGetRole(cache, scope, roleArn, account).catch(() => undefined);
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
    return Promise.all(
      summaries.map((summary) =>
        cachedDescribePodIdentityAssociation(cache, scope, target.name, eksName, summary.associationId).then(
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
      ),
    );
  })();

  const eks = {
    cluster: await clusterFacts,
    addons: await addons,
    associations: await associations,
    ...(target.associationLimit !== undefined ? { associationLimit: target.associationLimit } : {}),
  };
  return {
    name: target.name,
    eks,
    ...((target.eks.account ?? eks.cluster?.account) ? { account: target.eks.account ?? eks.cluster?.account } : {}),
    sourceErrors: errors,
  };
}
