import 'server-only';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type Role,
} from '@aws-sdk/client-iam';
import { parseRoleArn } from '@/lib/model/arn';
import type { IamRole, PolicyDocument } from '@/lib/model/cluster-state';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

// The IAM reads. IAM returns policy documents URL-encoded (RFC 3986) JSON; they are decoded here once.

/** IAM's policy size limits are 10,240 characters (inline, per role) and 6,144 (managed); anything far larger is refused. */
export const MAX_POLICY_DOCUMENT_CHARS = 131_072;

export function decodePolicyDocument(encoded: string | undefined): PolicyDocument {
  if (!encoded) return { Statement: [] };
  if (encoded.length > MAX_POLICY_DOCUMENT_CHARS)
    throw Object.assign(
      new Error(`policy document of ${encoded.length} characters exceeds the console's bound of ${MAX_POLICY_DOCUMENT_CHARS}`),
      {
        name: 'PolicyTooLarge',
      },
    );
  const text = encoded.trimStart().startsWith('{') ? encoded : decodeURIComponent(encoded);
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw Object.assign(new Error('policy document is not a JSON object'), { name: 'InvalidPolicyDocument' });
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (statement !== undefined && (typeof statement !== 'object' || statement === null))
    throw Object.assign(new Error('policy document Statement is neither an object nor a list'), { name: 'InvalidPolicyDocument' });
  return { ...(parsed as PolicyDocument), Statement: (statement as PolicyDocument['Statement']) ?? [] };
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
    ...(role.PermissionsBoundary?.PermissionsBoundaryArn
      ? { permissionsBoundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn }
      : {}),
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

// ---------------------------------------------------------------------------------------------- permissions

/** One page of ListRolePolicies: inline policy names. */
export async function listRolePoliciesPage(
  scope: AwsScope,
  roleName: string,
  marker?: string,
): Promise<{ names: string[]; marker?: string }> {
  const page = await awsClient('iam', scope.region, scope.credentials).send(
    new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker, MaxItems: 1000 }),
  );
  return { names: page.PolicyNames ?? [], ...(page.IsTruncated && page.Marker ? { marker: page.Marker } : {}) };
}

export async function getRolePolicy(scope: AwsScope, roleName: string, policyName: string): Promise<PolicyDocument> {
  const out = await awsClient('iam', scope.region, scope.credentials).send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
  );
  return decodePolicyDocument(out.PolicyDocument);
}

/** One page of ListAttachedRolePolicies: managed policy ARNs and names. */
export async function listAttachedRolePoliciesPage(
  scope: AwsScope,
  roleName: string,
  marker?: string,
): Promise<{ policies: { arn: string; name: string }[]; marker?: string }> {
  const page = await awsClient('iam', scope.region, scope.credentials).send(
    new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker, MaxItems: 1000 }),
  );
  return {
    policies: (page.AttachedPolicies ?? [])
      .filter((p) => p.PolicyArn)
      .map((p) => ({ arn: p.PolicyArn!, name: p.PolicyName ?? p.PolicyArn! })),
    ...(page.IsTruncated && page.Marker ? { marker: page.Marker } : {}),
  };
}

/** GetPolicy: the managed policy's name and default version id. */
export async function getPolicy(scope: AwsScope, policyArn: string): Promise<{ arn: string; name: string; defaultVersionId: string }> {
  const { Policy: policy } = await awsClient('iam', scope.region, scope.credentials).send(new GetPolicyCommand({ PolicyArn: policyArn }));
  if (!policy?.DefaultVersionId)
    throw Object.assign(new Error(`GetPolicy ${policyArn} returned no DefaultVersionId`), { name: 'InvalidResponse' });
  return { arn: policy.Arn ?? policyArn, name: policy.PolicyName ?? policyArn, defaultVersionId: policy.DefaultVersionId };
}

export async function getPolicyVersion(scope: AwsScope, policyArn: string, versionId: string): Promise<PolicyDocument> {
  const { PolicyVersion: version } = await awsClient('iam', scope.region, scope.credentials).send(
    new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }),
  );
  return decodePolicyDocument(version?.Document);
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  matchedStatements: { sourcePolicyId?: string; sourcePolicyType?: string }[];
}

/** iam:SimulatePrincipalPolicy for one action on one resource, with context entries and session policies. */
export async function simulatePrincipalPolicy(
  scope: AwsScope,
  input: {
    policySourceArn: string;
    action: string;
    resource: string;
    context: ContextEntry[];
    /** Simulated in place of the role's permissions boundary (AWS takes one boundary per simulation). */
    permissionsBoundaryPolicyInputList?: string[];
  },
): Promise<SimulationResult> {
  const out = await awsClient('iam', scope.region, scope.credentials).send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: input.policySourceArn,
      ActionNames: [input.action],
      ResourceArns: [input.resource],
      ContextEntries: input.context.length > 0 ? input.context : undefined,
      PermissionsBoundaryPolicyInputList: input.permissionsBoundaryPolicyInputList?.length
        ? input.permissionsBoundaryPolicyInputList
        : undefined,
    }),
  );
  const result = out.EvaluationResults?.[0];
  const decision = result?.EvalDecision;
  if (decision !== 'allowed' && decision !== 'explicitDeny' && decision !== 'implicitDeny')
    throw Object.assign(new Error(`SimulatePrincipalPolicy returned no decision for ${input.action}`), { name: 'InvalidResponse' });
  return {
    action: input.action,
    resource: input.resource,
    decision,
    matchedStatements: (result?.MatchedStatements ?? []).map((m) => ({
      sourcePolicyId: m.SourcePolicyId,
      sourcePolicyType: m.SourcePolicyType,
    })),
  };
}
