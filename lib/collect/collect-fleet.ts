import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { AwsConfig } from '@/lib/config/schema';
import type {
  BucketPolicyLookup,
  ClusterState,
  FleetState,
  IamRole,
  RoleLookup,
  RolePolicies,
  SourceError,
} from '@/lib/model/cluster-state';
import type { AwsScope } from '@/lib/aws/eks';
import { configureAws } from '@/lib/aws/clients';
import { awsSourceError } from '@/lib/aws/errors';
import { parseRoleArn } from '@/lib/model/arn';
import { irsaRoleArnOf } from '@/lib/model/kube-objects';
import { collectCache, type CollectCache } from './cache';
import {
  cachedCallerAccount,
  cachedGetRole,
  cachedListRoles,
  cachedOpenIdConnectProviderUrls,
  forgetRolesTheListingContradicts,
} from './aws-reads';
import { awsScopeOf, collectAwsSide, defaultRegionOf, type AwsSide } from './aws-side';
import { readBucketPolicy, readRolePolicies } from './permission-reads';
import { discoverRestateWriters } from '@/lib/snapshots/restate-discovery';
import { parseS3Url } from '@/lib/snapshots/destination';
import { collectKubeSide, type KubeSide } from './kube-side';
import type { KubeInformers } from './kube-informers';
import { startInTurns } from './turns';

// The whole fleet in one FleetState: per cluster the Kubernetes and AWS halves (in parallel), then GetRole
// once per distinct role (association roles, target roles, IRSA role-arn annotations), and per account
// ListRoles (PI008) and the IAM OIDC providers (IR003). A source that fails is null plus a SourceError for
// that part only; collectFleet itself never throws for a source.

export interface FleetCollectOptions {
  cache?: CollectCache;
  /** Buckets to judge besides the discovered snapshot destinations (config sources, resources asked about). */
  buckets?: { bucket: string; cluster?: string; account?: string }[];
  /** Read the workloads' permission policies and bucket policies (default: on, unless CONSOLE_PERMISSIONS=off). */
  permissions?: boolean;
  /** CONSOLE_CONFIG `aws:` (concurrency, cache TTL, attempts); defaults otherwise. */
  aws?: Partial<AwsConfig>;
  /** Serve the Kubernetes lists from these informers (the console's own); a cached relist per read without. */
  informers?: KubeInformers;
  /** Told how long the clusters (Kubernetes and EKS) and then IAM took, for the log line of a collection. */
  onPhases?: (phases: { clustersSeconds: number; iamSeconds: number }) => void;
}

function applyAwsConfig(cache: CollectCache, aws: Partial<AwsConfig> | undefined): void {
  if (!aws) return;
  cache.configure({
    ...(aws.concurrency !== undefined ? { concurrency: aws.concurrency } : {}),
    ...(aws.s3Concurrency !== undefined ? { s3Concurrency: aws.s3Concurrency } : {}),
    ...(aws.callTimeoutSeconds !== undefined ? { callDeadlineMs: aws.callTimeoutSeconds * 1000 } : {}),
    ...(aws.cacheTtlSeconds !== undefined ? { ttlMs: aws.cacheTtlSeconds * 1000 } : {}),
    ...(aws.accountConcurrency !== undefined ? { accountConcurrency: aws.accountConcurrency } : {}),
    ...(aws.throttleRetries !== undefined ? { throttleRetries: aws.throttleRetries } : {}),
    ...(aws.throttleBackoffMs !== undefined ? { throttleBackoffMs: aws.throttleBackoffMs } : {}),
    ...(aws.redescribeSeconds !== undefined ? { redescribeMs: aws.redescribeSeconds * 1000 } : {}),
    ...(aws.iamRereadSeconds !== undefined ? { iamRereadMs: aws.iamRereadSeconds * 1000 } : {}),
    ...(aws.clusterRereadSeconds !== undefined ? { clusterRereadMs: aws.clusterRereadSeconds * 1000 } : {}),
    ...(aws.listSeconds !== undefined ? { listMs: aws.listSeconds * 1000 } : {}),
    ...(aws.rereadCallsPerMinute !== undefined ? { rereadCallsPerMinute: aws.rereadCallsPerMinute } : {}),
  });
  if (aws.maxAttempts !== undefined) configureAws({ maxAttempts: aws.maxAttempts });
}

/** Combines the two halves of one cluster into its state. */
export function clusterStateOf(kubeSide: KubeSide, awsSide: AwsSide | undefined): ClusterState {
  return {
    name: kubeSide.name,
    kind: awsSide?.eks ? 'eks' : kubeSide.kind,
    ...(kubeSide.context ? { context: kubeSide.context } : {}),
    ...(kubeSide.serverVersion ? { serverVersion: kubeSide.serverVersion } : {}),
    collectedAt: kubeSide.collectedAt,
    ...(awsSide?.eks ? { eks: awsSide.eks } : {}),
    ...(awsSide?.consolePrincipalArn !== undefined ? { consolePrincipalArn: awsSide.consolePrincipalArn } : {}),
    kube: kubeSide.kube,
    sourceErrors: [...kubeSide.sourceErrors, ...(awsSide?.sourceErrors ?? [])],
  };
}

/**
 * Which credentials reach each account: a cluster's (its assumed role, else the default chain) for the
 * cluster's account, a configured assumeRoleArn for its own account, and the default chain for the account
 * it acts in (asked with GetCallerIdentity only when some account is not covered otherwise).
 */
class AccountAccess {
  private readonly byAccount = new Map<string, AwsScope>();
  private defaultAccount: Promise<string | undefined> | undefined;

  constructor(
    private readonly cache: CollectCache,
    targets: ClusterTarget[],
    awsSides: (AwsSide | undefined)[],
    private readonly defaultRegion: string,
  ) {
    targets.forEach((target, index) => {
      const scope = awsScopeOf(target);
      if (!scope) return;
      const account = awsSides[index]?.account ?? target.eks?.account;
      if (account && !this.byAccount.has(account)) this.byAccount.set(account, scope);
    });
    for (const target of targets) {
      const roleAccount = target.assumeRoleArn ? parseRoleArn(target.assumeRoleArn)?.account : undefined;
      const scope = awsScopeOf(target);
      if (roleAccount && scope && !this.byAccount.has(roleAccount)) this.byAccount.set(roleAccount, scope);
    }
  }

  known(): string[] {
    return [...this.byAccount.keys()];
  }

  async scopeFor(account: string): Promise<AwsScope | undefined> {
    const scope = this.byAccount.get(account);
    if (scope) return scope;
    const defaultScope: AwsScope = { region: this.defaultRegion, credentials: {} };
    this.defaultAccount ??= cachedCallerAccount(this.cache, defaultScope).catch(() => undefined);
    return (await this.defaultAccount) === account ? defaultScope : undefined;
  }
}

function noCredentialsError(account: string, known: string[], subject: Record<string, string>, operation: string): SourceError {
  return {
    source: 'iam',
    operation,
    code: 'NoCredentialsForAccount',
    message:
      `the console has no credentials for account ${account}` +
      (known.length > 0 ? ` (it reaches ${known.join(', ')})` : '') +
      `: add a cluster in that account or set clusters[].assumeRoleArn to a role in ${account} in CONSOLE_CONFIG`,
    subject,
  };
}

/** Role ARNs the rules look at: association roles, target roles, and IRSA annotations that are valid role ARNs. */
export function roleArnsOf(clusters: ClusterState[]): string[] {
  const arns = new Set<string>();
  for (const cluster of clusters) {
    for (const association of cluster.eks?.associations ?? []) {
      if (association.roleArn) arns.add(association.roleArn);
      if (association.targetRoleArn) arns.add(association.targetRoleArn);
    }
    for (const serviceAccount of cluster.kube.serviceAccounts ?? []) {
      const arn = irsaRoleArnOf(serviceAccount);
      // An annotation that is not a role ARN is IR001's finding, not a lookup.
      if (arn && parseRoleArn(arn)) arns.add(arn);
    }
  }
  return [...arns].sort();
}

async function lookUpRoles(
  cache: CollectCache,
  access: AccountAccess,
  roleArns: string[],
): Promise<{ roles: Record<string, RoleLookup>; sourceErrors: SourceError[] }> {
  const roles: Record<string, RoleLookup> = {};
  const sourceErrors: SourceError[] = [];
  await startInTurns(roleArns, async (roleArn) => {
    const account = parseRoleArn(roleArn)!.account;
    const scope = await access.scopeFor(account);
    if (!scope) {
      const error = noCredentialsError(account, access.known(), { roleArn }, 'GetRole');
      roles[roleArn] = { status: 'error', error };
      sourceErrors.push(error);
      return;
    }
    try {
      const role = await cachedGetRole(cache, scope, roleArn, account);
      roles[roleArn] = role ? { status: 'found', role } : { status: 'missing' };
    } catch (error) {
      const sourceError = awsSourceError({ source: 'iam', operation: 'GetRole', action: 'iam:GetRole', subject: { roleArn } }, error);
      roles[roleArn] = { status: 'error', error: sourceError };
      sourceErrors.push(sourceError);
    }
  });
  // Sorted so the state is the same whatever order the calls finished in.
  return { roles: Object.fromEntries(Object.entries(roles).sort(([a], [b]) => a.localeCompare(b))), sourceErrors };
}

/** Per account, drops the stored role reads its role listing contradicts, so they are read again now. */
async function forgetContradictedRoles(cache: CollectCache, access: AccountAccess, roleArns: string[]): Promise<void> {
  const byAccount = new Map<string, string[]>();
  for (const roleArn of roleArns) {
    const account = parseRoleArn(roleArn)!.account;
    const arns = byAccount.get(account);
    if (arns) arns.push(roleArn);
    else byAccount.set(account, [roleArn]);
  }
  for (const [account, arns] of byAccount) {
    const scope = await access.scopeFor(account);
    if (scope) forgetRolesTheListingContradicts(cache, scope, account, arns);
  }
}

async function readAccounts(
  cache: CollectCache,
  access: AccountAccess,
  accounts: string[],
): Promise<{ accounts: FleetState['accounts']; sourceErrors: SourceError[] }> {
  const result: FleetState['accounts'] = {};
  const sourceErrors: SourceError[] = [];
  await Promise.all(
    accounts.map(async (account) => {
      const scope = await access.scopeFor(account);
      if (!scope) {
        sourceErrors.push(noCredentialsError(account, access.known(), { account }, 'ListOpenIDConnectProviders'));
        result[account] = { roles: null, oidcProviders: null };
        return;
      }
      const [roles, oidcProviders] = await Promise.all([
        cachedListRoles(cache, scope, account).catch((error: unknown): IamRole[] | null => {
          sourceErrors.push(
            awsSourceError({ source: 'iam', operation: 'ListRoles', action: 'iam:ListRoles', subject: { account } }, error),
          );
          return null;
        }),
        cachedOpenIdConnectProviderUrls(cache, scope, account).catch((error: unknown): string[] | null => {
          sourceErrors.push(
            awsSourceError(
              { source: 'iam', operation: 'ListOpenIDConnectProviders', action: 'iam:ListOpenIDConnectProviders', subject: { account } },
              error,
            ),
          );
          return null;
        }),
      ]);
      result[account] = { roles, oidcProviders };
    }),
  );
  return { accounts: Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b))), sourceErrors };
}

/** The roles whose sessions workloads act with: an association's target role (else its role), IRSA roles. */
export function workloadRoleArnsOf(clusters: ClusterState[]): string[] {
  const arns = new Set<string>();
  for (const cluster of clusters) {
    for (const association of cluster.eks?.associations ?? []) {
      const effective = association.targetRoleArn ?? association.roleArn;
      if (effective) arns.add(effective);
    }
    for (const serviceAccount of cluster.kube.serviceAccounts ?? []) {
      const arn = irsaRoleArnOf(serviceAccount);
      if (arn && parseRoleArn(arn)) arns.add(arn);
    }
  }
  return [...arns].sort();
}

async function readPolicies(
  cache: CollectCache,
  access: AccountAccess,
  roles: Record<string, RoleLookup>,
  roleArns: string[],
): Promise<{ policies: Record<string, RolePolicies>; sourceErrors: SourceError[] }> {
  const policies: Record<string, RolePolicies> = {};
  await startInTurns(roleArns, async (roleArn) => {
    const lookup = roles[roleArn];
    if (lookup?.status !== 'found') return; // missing (PI001/IR002) or unreadable (already a CL004)
    const scope = await access.scopeFor(lookup.role.account);
    if (!scope) return;
    policies[roleArn] = await readRolePolicies(cache, scope, lookup.role);
  });
  const sorted = Object.fromEntries(Object.entries(policies).sort(([a], [b]) => a.localeCompare(b)));
  return { policies: sorted, sourceErrors: Object.values(sorted).flatMap((p) => p.errors) };
}

/** Snapshot destinations found in the clusters plus the buckets asked for, each with the cluster whose credentials read it. */
function bucketsToJudge(
  clusters: ClusterState[],
  extra: FleetCollectOptions['buckets'],
): { bucket: string; cluster?: string; account?: string }[] {
  const byBucket = new Map<string, { bucket: string; cluster?: string; account?: string }>();
  for (const cluster of clusters)
    for (const writer of discoverRestateWriters(cluster)) {
      const url = writer.settings.destination?.value;
      const parsed = url ? parseS3Url(url) : null;
      if (parsed && !byBucket.has(parsed.bucket)) byBucket.set(parsed.bucket, { bucket: parsed.bucket, cluster: cluster.name });
    }
  for (const entry of extra ?? []) if (!byBucket.has(entry.bucket)) byBucket.set(entry.bucket, entry);
  return [...byBucket.values()];
}

async function readBucketPolicies(
  cache: CollectCache,
  targets: ClusterTarget[],
  access: AccountAccess,
  buckets: { bucket: string; cluster?: string; account?: string }[],
  defaultRegion: string,
): Promise<{ bucketPolicies: Record<string, BucketPolicyLookup>; sourceErrors: SourceError[] }> {
  const result: Record<string, BucketPolicyLookup> = {};
  await Promise.all(
    buckets.map(async ({ bucket, cluster, account }) => {
      const target = cluster ? targets.find((t) => t.name === cluster) : undefined;
      const scope = (account ? await access.scopeFor(account) : undefined) ??
        (target ? awsScopeOf(target) : undefined) ?? {
          region: defaultRegion,
          credentials: {},
        };
      result[bucket] = await readBucketPolicy(cache, scope, bucket);
    }),
  );
  const sorted = Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
  return {
    bucketPolicies: sorted,
    sourceErrors: Object.values(sorted).flatMap((lookup) => (lookup.status === 'error' ? [lookup.error] : [])),
  };
}

/** CONSOLE_PERMISSIONS=off skips the permission reads (IAM policies, bucket policies) for a console without those IAM grants. */
function permissionReadsEnabled(): boolean {
  return process.env.CONSOLE_PERMISSIONS !== 'off';
}

export async function collectFleet(targets: ClusterTarget[], options: FleetCollectOptions = {}): Promise<FleetState> {
  const cache = options.cache ?? collectCache();
  applyAwsConfig(cache, options.aws);
  const collectedAt = new Date().toISOString();
  const started = performance.now();
  const readPermissions = options.permissions ?? permissionReadsEnabled();
  const halves = await Promise.all(
    targets.map((target) =>
      Promise.all([
        collectKubeSide(target, { cache, informers: options.informers }),
        collectAwsSide(target, { cache, prefetchPolicies: readPermissions }),
      ]),
    ),
  );
  const clusters = halves.map(([kubeSide, awsSide]) => clusterStateOf(kubeSide, awsSide));
  const clustersRead = performance.now();
  const access = new AccountAccess(
    cache,
    targets,
    halves.map(([, awsSide]) => awsSide),
    defaultRegionOf(targets),
  );

  const roleArns = roleArnsOf(clusters);
  const clusterAccounts = halves.map(([, awsSide]) => awsSide.account).filter((account): account is string => Boolean(account));
  // IRSA needs the cluster's OIDC provider in the role's account (IR003), so IRSA roles' accounts are read too.
  const irsaAccounts = clusters.flatMap((cluster) =>
    (cluster.kube.serviceAccounts ?? [])
      .map((serviceAccount) => parseRoleArn(irsaRoleArnOf(serviceAccount) ?? '')?.account)
      .filter((account): account is string => Boolean(account)),
  );
  const accountIds = [...new Set([...clusterAccounts, ...irsaAccounts])].sort();

  // The role listings first: they tell which stored role reads are out of date (forgetRolesTheListingContradicts).
  const accountsRead = readAccounts(cache, access, accountIds);
  const rolesAndPolicies = accountsRead
    .then(() => forgetContradictedRoles(cache, access, roleArns))
    .then(() => lookUpRoles(cache, access, roleArns))
    .then(async (roleResult) => ({
      roleResult,
      policyResult: readPermissions
        ? await readPolicies(cache, access, roleResult.roles, workloadRoleArnsOf(clusters))
        : { policies: undefined, sourceErrors: [] },
    }));
  const [{ roleResult, policyResult }, accountResult, bucketResult] = await Promise.all([
    rolesAndPolicies,
    accountsRead,
    readPermissions
      ? readBucketPolicies(cache, targets, access, bucketsToJudge(clusters, options.buckets), defaultRegionOf(targets))
      : { bucketPolicies: undefined, sourceErrors: [] },
  ]);
  options.onPhases?.({ clustersSeconds: (clustersRead - started) / 1000, iamSeconds: (performance.now() - clustersRead) / 1000 });
  return {
    clusters,
    roles: roleResult.roles,
    accounts: accountResult.accounts,
    ...(policyResult.policies ? { policies: policyResult.policies } : {}),
    ...(bucketResult.bucketPolicies ? { bucketPolicies: bucketResult.bucketPolicies } : {}),
    sourceErrors: [...roleResult.sourceErrors, ...accountResult.sourceErrors, ...policyResult.sourceErrors, ...bucketResult.sourceErrors],
    collectedAt,
  };
}

/**
 * After our own write: drops what it changed so the next read sees it. `{cluster}` drops that cluster's
 * Kubernetes and EKS reads; `{roleArn}` drops the role and its account's ListRoles (trust policies changed).
 */
export function invalidateCollected(change: { cluster?: string; roleArn?: string }, cache: CollectCache = collectCache()): void {
  if (change.cluster) cache.invalidate({ cluster: change.cluster });
  if (change.roleArn) {
    cache.invalidate({ roleArn: change.roleArn });
    const account = parseRoleArn(change.roleArn)?.account;
    if (account) cache.invalidate({ prefix: 'iam:ListRoles', account });
  }
}

/** Credentials that reach an account's IAM (a cluster's, an assumed role's, or the default chain's): for reads made on demand. */
export async function scopeForAccount(
  targets: ClusterTarget[],
  account: string,
  cache: CollectCache = collectCache(),
): Promise<AwsScope | undefined> {
  const access = new AccountAccess(
    cache,
    targets,
    targets.map(() => undefined),
    defaultRegionOf(targets),
  );
  return access.scopeFor(account);
}

/** A bucket policy asked about on demand (a resource in the "Can it…?" box or the reverse lookup), cached like the rest. */
export async function readBucketPolicyOnDemand(
  targets: ClusterTarget[],
  bucket: string,
  cache: CollectCache = collectCache(),
): Promise<BucketPolicyLookup> {
  const target = targets.find((t) => t.eks);
  const scope = (target && awsScopeOf(target)) ?? { region: defaultRegionOf(targets), credentials: {} };
  return readBucketPolicy(cache, scope, bucket);
}

/**
 * After a Kubernetes change (an IRSA annotation now names another role): looks up the roles the clusters name
 * that the fleet has not looked up yet, so a patched view judges them as a full collection would.
 */
export async function lookUpNewRoles(
  targets: ClusterTarget[],
  fleet: FleetState,
  cache: CollectCache = collectCache(),
): Promise<{ roles: Record<string, RoleLookup>; sourceErrors: SourceError[] }> {
  const missing = roleArnsOf(fleet.clusters).filter((arn) => !(arn in fleet.roles));
  if (missing.length === 0) return { roles: {}, sourceErrors: [] };
  const access = new AccountAccess(
    cache,
    targets,
    targets.map(() => undefined),
    defaultRegionOf(targets),
  );
  return lookUpRoles(cache, access, missing);
}
