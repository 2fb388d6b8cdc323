import 'server-only';
import { discoverEntries, targetOfClusterArn, type ClusterTarget } from '@/lib/config/cluster-targets';
import type { ConsoleConfig } from '@/lib/config/schema';
import type { AwsScope } from '@/lib/aws/eks';
import { awsSourceError } from '@/lib/aws/errors';
import type { SourceError } from '@/lib/model/cluster-state';
import { collectCache, type CollectCache } from './cache';
import { cachedCallerIdentity, cachedListClusters } from './aws-reads';

// clusters[].discover: every EKS cluster of each account and region, listed with eks:ListClusters through the
// account's assumeRoleArn (else the console's own credentials, which must then be in that account: ListClusters
// lists the caller's account only). Each cluster found is reached as an `arn:` entry is. A listing that fails
// is a SourceError of that account and region; the other listings still land.

export interface DiscoveredClusters {
  targets: ClusterTarget[];
  sourceErrors: SourceError[];
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export async function discoverClusterTargets(
  config: ConsoleConfig,
  configured: ClusterTarget[],
  cache: CollectCache = collectCache(),
): Promise<DiscoveredClusters> {
  const sourceErrors: SourceError[] = [];
  const found: { account: string; region: string; eksName: string; assumeRoleArn?: string; stsRegionalDefault?: boolean }[] = [];
  const listings = discoverEntries(config).flatMap((entry) =>
    entry.discover.accounts.flatMap((account) => {
      const id = typeof account === 'string' ? account : account.id;
      const assumeRoleArn = typeof account === 'string' ? undefined : account.assumeRoleArn;
      return entry.discover.regions.map(async (region) => {
        const scope: AwsScope = { region, credentials: assumeRoleArn ? { assumeRoleArn } : {} };
        const call = { source: 'eks' as const, operation: 'ListClusters', action: 'eks:ListClusters', subject: { account: id, region } };
        try {
          if (!assumeRoleArn) {
            const caller = await cachedCallerIdentity(cache, scope);
            if (caller.account !== id) {
              sourceErrors.push({
                ...call,
                code: 'NoCredentialsForAccount',
                message: `the console's credentials are in account ${caller.account}, so eks:ListClusters cannot list account ${id}: set clusters[].discover.accounts[] to { id: "${id}", assumeRoleArn: <a role in ${id}> } in CONSOLE_CONFIG`,
              });
              return;
            }
          }
          for (const eksName of await cachedListClusters(cache, scope))
            found.push({
              account: id,
              region,
              eksName,
              ...(assumeRoleArn ? { assumeRoleArn } : {}),
              stsRegionalDefault: entry.stsRegionalDefault,
            });
        } catch (error) {
          sourceErrors.push(awsSourceError(call, error));
        }
      });
    }),
  );
  await Promise.all(listings);

  // Named as EKS names them; a name another cluster already has gets its account and region appended.
  const used = new Set(configured.map((target) => target.name));
  const seen = new Set(
    configured.filter((target) => target.eks?.account).map((target) => `${target.eks!.account}/${target.eks!.region}/${target.eks!.name}`),
  );
  const targets: ClusterTarget[] = [];
  for (const cluster of found.sort((a, b) =>
    `${a.account}/${a.region}/${a.eksName}`.localeCompare(`${b.account}/${b.region}/${b.eksName}`),
  )) {
    const key = `${cluster.account}/${cluster.region}/${cluster.eksName}`;
    if (seen.has(key)) continue; // also named by a clusters[] entry, or by two discover entries
    seen.add(key);
    const name = used.has(cluster.eksName) ? `${cluster.eksName}.${cluster.account}.${cluster.region}` : cluster.eksName;
    used.add(name);
    const arn = `arn:${partitionOf(cluster.region)}:eks:${cluster.region}:${cluster.account}:cluster/${cluster.eksName}`;
    targets.push(
      targetOfClusterArn(name, arn, {
        ...(cluster.assumeRoleArn ? { assumeRoleArn: cluster.assumeRoleArn } : {}),
        ...(cluster.stsRegionalDefault !== undefined ? { stsRegionalDefault: cluster.stsRegionalDefault } : {}),
      }),
    );
    const limit = config.podIdentity?.associationLimit;
    if (limit !== undefined) targets[targets.length - 1].associationLimit = limit;
  }
  return { targets, sourceErrors };
}
