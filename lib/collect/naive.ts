import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type {
  ClusterState,
  EksAddon,
  FleetState,
  IamRole,
  PodIdentityAssociation,
  RoleLookup,
  SourceError,
} from '@/lib/model/cluster-state';
import {
  describeAddon,
  describeCluster,
  describePodIdentityAssociation,
  listAddonsPage,
  listPodIdentityAssociationsPage,
} from '@/lib/aws/eks';
import { awsSourceError } from '@/lib/aws/errors';
import { getRole, listOpenIdConnectProviderUrls, listRolesPage } from '@/lib/aws/iam';
import { parseRoleArn } from '@/lib/model/arn';
import { irsaRoleArnOf } from '@/lib/model/kube-objects';
import { CollectCache } from './cache';
import { awsScopeOf } from './aws-side';
import { clusterStateOf } from './collect-fleet';
import { collectKubeSide } from './kube-side';

// The naive collector, for the benchmark only (`npm run bench` compares it with collectFleet): what a script
// or eksctl does — list, then describe each association and get each role one call at a time, no cache, no
// concurrency. It produces the same FleetState, so the benchmark can check both agree.

export interface NaiveStats {
  awsCalls: number;
}

export async function collectFleetNaive(targets: ClusterTarget[], stats: NaiveStats = { awsCalls: 0 }): Promise<FleetState> {
  const collectedAt = new Date().toISOString();
  const clusters: ClusterState[] = [];
  const roles: Record<string, RoleLookup> = {};
  const accounts: FleetState['accounts'] = {};
  const fleetErrors: SourceError[] = [];
  const accountScopes = new Map<string, NonNullable<ReturnType<typeof awsScopeOf>>>();
  const count = <T>(call: Promise<T>) => {
    stats.awsCalls++;
    return call;
  };

  for (const target of targets) {
    // A fresh cache per cluster with no TTL: the Kubernetes half is read the same way, just never reused.
    const kubeSide = await collectKubeSide(target, { cache: new CollectCache({ ttlMs: 0, errorTtlMs: 0, concurrency: 1 }) });
    const scope = awsScopeOf(target);
    if (!scope || !target.eks) {
      clusters.push(clusterStateOf(kubeSide, undefined));
      continue;
    }
    const eksName = target.eks.name;
    const errors: SourceError[] = [];
    const fail = (operation: string, error: unknown, subject?: Record<string, string>) =>
      errors.push(
        awsSourceError(
          { source: 'eks', operation, action: `eks:${operation}`, cluster: target.name, ...(subject ? { subject } : {}) },
          error,
        ),
      );

    let cluster = null;
    try {
      cluster = await count(describeCluster(scope, eksName));
    } catch (error) {
      fail('DescribeCluster', error);
    }
    let addons: EksAddon[] | null = [];
    try {
      let token: string | undefined;
      do {
        const page = await count(listAddonsPage(scope, eksName, token));
        for (const addonName of page.addons) {
          try {
            addons.push(await count(describeAddon(scope, eksName, addonName)));
          } catch (error) {
            fail('DescribeAddon', error, { addonName });
            addons.push({ name: addonName });
          }
        }
        token = page.nextToken;
      } while (token);
    } catch (error) {
      fail('ListAddons', error);
      addons = null;
    }
    let associations: PodIdentityAssociation[] | null = [];
    try {
      let token: string | undefined;
      do {
        const page = await count(listPodIdentityAssociationsPage(scope, eksName, token));
        for (const summary of page.associations) {
          try {
            associations.push(await count(describePodIdentityAssociation(scope, eksName, summary.associationId)));
          } catch (error) {
            fail('DescribePodIdentityAssociation', error, { associationId: summary.associationId });
            associations.push({ ...summary });
          }
        }
        token = page.nextToken;
      } while (token);
    } catch (error) {
      fail('ListPodIdentityAssociations', error);
      associations = null;
    }
    const account = target.eks.account ?? cluster?.account;
    if (account && !accountScopes.has(account)) accountScopes.set(account, scope);
    clusters.push(
      clusterStateOf(kubeSide, {
        name: target.name,
        eks: { cluster, addons, associations },
        ...(account ? { account } : {}),
        sourceErrors: errors,
      }),
    );
  }

  // One GetRole per reference, in order, as a loop over associations and annotations would make them.
  for (const cluster of clusters) {
    const references = [
      ...(cluster.eks?.associations ?? []).flatMap((association) => [association.roleArn, association.targetRoleArn]),
      ...(cluster.kube.serviceAccounts ?? []).map(irsaRoleArnOf),
    ].filter((arn): arn is string => Boolean(arn && parseRoleArn(arn)));
    for (const roleArn of references) {
      const account = parseRoleArn(roleArn)!.account;
      const scope = accountScopes.get(account);
      if (!scope) {
        const error: SourceError = {
          source: 'iam',
          operation: 'GetRole',
          code: 'NoCredentialsForAccount',
          message: `the console has no credentials for account ${account}`,
          subject: { roleArn },
        };
        roles[roleArn] = { status: 'error', error };
        continue;
      }
      try {
        const role = await count(getRole(scope, roleArn));
        roles[roleArn] = role ? { status: 'found', role } : { status: 'missing' };
      } catch (error) {
        roles[roleArn] = {
          status: 'error',
          error: awsSourceError({ source: 'iam', operation: 'GetRole', action: 'iam:GetRole', subject: { roleArn } }, error),
        };
      }
    }
  }
  for (const lookup of Object.values(roles)) if (lookup.status === 'error') fleetErrors.push(lookup.error);

  for (const [account, scope] of accountScopes) {
    let accountRoles: IamRole[] | null = [];
    try {
      let marker: string | undefined;
      do {
        const page = await count(listRolesPage(scope, marker));
        accountRoles.push(...page.roles);
        marker = page.marker;
      } while (marker);
    } catch (error) {
      fleetErrors.push(awsSourceError({ source: 'iam', operation: 'ListRoles', action: 'iam:ListRoles', subject: { account } }, error));
      accountRoles = null;
    }
    let oidcProviders: string[] | null = null;
    try {
      oidcProviders = await count(listOpenIdConnectProviderUrls(scope));
    } catch (error) {
      fleetErrors.push(
        awsSourceError(
          { source: 'iam', operation: 'ListOpenIDConnectProviders', action: 'iam:ListOpenIDConnectProviders', subject: { account } },
          error,
        ),
      );
    }
    accounts[account] = { roles: accountRoles, oidcProviders };
  }

  return { clusters, roles, accounts, sourceErrors: fleetErrors, collectedAt };
}
