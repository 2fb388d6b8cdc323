import 'server-only';
import type { AwsScope } from '@/lib/aws/eks';
import { awsSourceError } from '@/lib/aws/errors';
import { getPolicy, getPolicyVersion, getRolePolicy, listAttachedRolePoliciesPage, listRolePoliciesPage } from '@/lib/aws/iam';
import { parseRoleArn } from '@/lib/model/arn';
import { getBucketPolicy } from '@/lib/aws/s3';
import { iamRegionFor } from '@/lib/aws/clients';
import type {
  BucketPolicyLookup,
  IamRole,
  ManagedPolicyVersion,
  PolicyDocument,
  RolePolicies,
  SourceError,
} from '@/lib/model/cluster-state';
import type { CollectCache } from './cache';
import { cachedCallerAccount } from './aws-reads';

// The permission policies of the roles workloads act as (domain.md §1d), through the shared cache and pool:
// per role ListRolePolicies → GetRolePolicy each, ListAttachedRolePolicies; per distinct managed policy
// GetPolicy (its default version) → GetPolicyVersion, cached by version id (a version never changes, so a
// policy shared by a thousand roles is read once); the boundary is a managed policy like any other. Each read
// that fails degrades only what it feeds (a SourceError naming the IAM action; that part is null).

/** Listing bounds: IAM pages hold up to 1,000 names; a role has at most a few hundred policies (IAM quotas). */
export const MAX_POLICY_LIST_PAGES = 5;
/** A policy version never changes once created: kept for a day, dropped only by a restart or a Refresh. */
const POLICY_VERSION_TTL_MS = 24 * 3_600_000;

function iamParams(scope: AwsScope) {
  return { region: iamRegionFor(scope.region), assumeRoleArn: scope.credentials.assumeRoleArn, profile: scope.credentials.profile };
}

async function allPages<T>(
  cache: CollectCache,
  operation: string,
  fetchPage: (marker?: string) => Promise<{ items: T[]; marker?: string }>,
) {
  const items: T[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    if (pages === MAX_POLICY_LIST_PAGES)
      throw Object.assign(
        new Error(`${operation.replace(/^iam:/, '')} returned more than ${MAX_POLICY_LIST_PAGES} pages; the console stops there`),
        {
          name: 'TooManyPages',
        },
      );
    const page = await cache.call(operation, () => fetchPage(marker));
    items.push(...page.items);
    marker = page.marker;
    pages++;
  } while (marker);
  return items;
}

/** GetPolicy then GetPolicyVersion at the default version; the version is cached by its id. */
export async function cachedManagedPolicy(cache: CollectCache, scope: AwsScope, policyArn: string): Promise<ManagedPolicyVersion> {
  const params = iamParams(scope);
  // Which of the two calls failed decides the IAM action CL004 names.
  const tagged = (operation: string) => (error: unknown) => {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { iamOperation: operation });
  };
  const policy = await cache
    .get('iam:GetPolicy', { policyArn, ...params }, () => getPolicy(scope, policyArn), { pooled: true, rolling: 'iam' })
    .catch(tagged('GetPolicy'));
  const document = await cache
    .get(
      'iam:GetPolicyVersion',
      { policyArn, versionId: policy.defaultVersionId, ...params },
      () => getPolicyVersion(scope, policyArn, policy.defaultVersionId),
      { pooled: true, ttlMs: POLICY_VERSION_TTL_MS },
    )
    .catch(tagged('GetPolicyVersion'));
  return { arn: policy.arn, name: policy.name, versionId: policy.defaultVersionId, document };
}

/** Every permission policy of one role. Never throws: each failed read is an error and a null part. */
export async function readRolePolicies(cache: CollectCache, scope: AwsScope, role: IamRole): Promise<RolePolicies> {
  const roleArn = role.arn;
  const roleName = parseRoleArn(roleArn)?.name ?? role.name;
  const params = { roleArn, ...iamParams(scope) };
  const errors: SourceError[] = [];
  const fail = (fallbackOperation: string, subject: Record<string, string>) => (error: unknown) => {
    const operation = (error as { iamOperation?: string }).iamOperation ?? fallbackOperation;
    errors.push(awsSourceError({ source: 'iam', operation, action: `iam:${operation}`, subject: { roleArn, ...subject } }, error));
    return null;
  };

  const inline = (async () => {
    const names = await cache
      .get(
        'iam:ListRolePolicies',
        params,
        () =>
          allPages(cache, 'iam:ListRolePolicies', async (marker) => {
            const page = await listRolePoliciesPage(scope, roleName, marker);
            return { items: page.names, marker: page.marker };
          }),
        { rolling: 'iam' },
      )
      .catch(fail('ListRolePolicies', {}));
    if (!names) return null;
    const documents = await Promise.all(
      names.map((name) =>
        cache
          .get('iam:GetRolePolicy', { ...params, policyName: name }, () => getRolePolicy(scope, roleName, name), {
            pooled: true,
            rolling: 'iam',
          })
          .then((document: PolicyDocument) => ({ name, document }))
          .catch(fail('GetRolePolicy', { policyName: name })),
      ),
    );
    // One unreadable inline policy could hold a Deny: the whole inline set is then unknown.
    return documents.some((d) => d === null) ? null : (documents as { name: string; document: PolicyDocument }[]);
  })();

  const managed = (async () => {
    const attached = await cache
      .get(
        'iam:ListAttachedRolePolicies',
        params,
        () =>
          allPages(cache, 'iam:ListAttachedRolePolicies', async (marker) => {
            const page = await listAttachedRolePoliciesPage(scope, roleName, marker);
            return { items: page.policies, marker: page.marker };
          }),
        { rolling: 'iam' },
      )
      .catch(fail('ListAttachedRolePolicies', {}));
    if (!attached) return null;
    const versions = await Promise.all(
      attached.map(({ arn }) => cachedManagedPolicy(cache, scope, arn).catch(fail('GetPolicyVersion', { policyArn: arn }))),
    );
    return versions.some((v) => v === null) ? null : (versions as ManagedPolicyVersion[]);
  })();

  const boundary = role.permissionsBoundaryArn
    ? cachedManagedPolicy(cache, scope, role.permissionsBoundaryArn).catch(
        fail('GetPolicyVersion', { policyArn: role.permissionsBoundaryArn }),
      )
    : Promise.resolve(undefined);

  const [inlineResult, managedResult, boundaryResult] = await Promise.all([inline, managed, boundary]);
  return {
    inline: inlineResult,
    managed: managedResult,
    ...(boundaryResult !== undefined ? { boundary: boundaryResult } : {}),
    errors,
  };
}

/** GetBucketPolicy with the given credentials; a successful answer places the bucket in their account. */
export async function readBucketPolicy(cache: CollectCache, scope: AwsScope, bucket: string): Promise<BucketPolicyLookup> {
  const params = { bucket, region: scope.region, assumeRoleArn: scope.credentials.assumeRoleArn, profile: scope.credentials.profile };
  try {
    const policy = await cache.get('s3:GetBucketPolicy', params, () => getBucketPolicy(scope, bucket), { pooled: true });
    const account = await cachedCallerAccount(cache, scope).catch(() => null);
    return { status: 'found', policy, account };
  } catch (error) {
    return {
      status: 'error',
      error: awsSourceError({ source: 's3', operation: 'GetBucketPolicy', action: 's3:GetBucketPolicy', subject: { bucket } }, error),
    };
  }
}
