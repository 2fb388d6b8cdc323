import 'server-only';
import { GetRoleCommand, ListOpenIDConnectProvidersCommand, ListRolesCommand, type Role } from '@aws-sdk/client-iam';
import type { IamRole, PolicyDocument } from '@/lib/model/cluster-state';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

// The IAM reads. IAM returns policy documents URL-encoded (RFC 3986) JSON; they are decoded here once.

export function decodePolicyDocument(encoded: string | undefined): PolicyDocument {
  if (!encoded) return { Statement: [] };
  const text = encoded.trimStart().startsWith('{') ? encoded : decodeURIComponent(encoded);
  return JSON.parse(text) as PolicyDocument;
}

export function parseRoleArn(arn: string): { account: string; name: string; path: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  return match ? { account: match[1], path: match[2], name: match[3] } : undefined;
}

function toIamRole(role: Role): IamRole {
  const arn = role.Arn ?? '';
  return {
    arn,
    name: role.RoleName ?? parseRoleArn(arn)?.name ?? '',
    account: parseRoleArn(arn)?.account ?? '',
    ...(role.Path ? { path: role.Path } : {}),
    ...(role.CreateDate ? { createDate: role.CreateDate.toISOString() } : {}),
    trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
    ...(role.Tags && role.Tags.length > 0 ? { tags: Object.fromEntries(role.Tags.map((tag) => [tag.Key ?? '', tag.Value ?? ''])) } : {}),
  };
}

/** GetRole by ARN; null when IAM says NoSuchEntity. */
export async function getRole(scope: AwsScope, roleArn: string): Promise<IamRole | null> {
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw Object.assign(new Error(`"${roleArn}" is not an IAM role ARN`), { name: 'InvalidRoleArn' });
  try {
    const { Role: role } = await awsClient('iam', scope.region, scope.credentials).send(new GetRoleCommand({ RoleName: parsed.name }));
    if (!role) return null;
    // GetRole takes only the name; a role with that name on another path is not the role the ARN names.
    if (role.Arn && role.Arn !== roleArn) return null;
    return toIamRole(role);
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchEntityException' || (error as { name?: string }).name === 'NoSuchEntity') return null;
    throw error;
  }
}

/** One page of ListRoles (up to 1000). */
export async function listRolesPage(scope: AwsScope, marker?: string): Promise<{ roles: IamRole[]; marker?: string }> {
  const page = await awsClient('iam', scope.region, scope.credentials).send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }));
  return { roles: (page.Roles ?? []).map(toIamRole), ...(page.IsTruncated && page.Marker ? { marker: page.Marker } : {}) };
}

/**
 * The account's IAM OIDC providers as issuer host+path (no scheme), which is how trust policies and the
 * cluster's issuer compare. The provider ARN carries it after "oidc-provider/", so no GetOpenIDConnectProvider
 * per provider is needed.
 */
export async function listOpenIdConnectProviderUrls(scope: AwsScope): Promise<string[]> {
  const { OpenIDConnectProviderList: providers } = await awsClient('iam', scope.region, scope.credentials).send(
    new ListOpenIDConnectProvidersCommand({}),
  );
  return (providers ?? [])
    .map((provider) => /:oidc-provider\/(.+)$/.exec(provider.Arn ?? '')?.[1])
    .filter((url): url is string => Boolean(url));
}
