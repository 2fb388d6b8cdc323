import type { PolicyDocument, SimAccount, SimManagedPolicy, SimRole, SimUser, SimWorld } from '../world';
import { findManagedPolicy, policyArnAccount, policyUsage } from './iam-entities';
import { AwsError, el, isoTime, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import { notAuthorizedMessage, type AuthorizationRequest } from './authorize';
import { denialClause } from './policy-evaluator';
import { simulatePrincipalPolicy } from './iam-simulate';
import { queryAuthErrors, queryEmptyResult, queryError, queryResult, requireParam } from './query-protocol';

// IAM, Query/XML, a global service signed for us-east-1 (IAM API reference). Trust policies come back
// URL-encoded (RFC 3986), as IAM returns AssumeRolePolicyDocument.

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function encodePolicy(policy: Record<string, unknown>): string {
  return encodeURIComponent(JSON.stringify(policy));
}

function tagsXml(tags: Record<string, string>): string {
  return `<Tags>${Object.entries(tags)
    .map(([k, v]) => `<member>${el('Key', k)}${el('Value', v)}</member>`)
    .join('')}</Tags>`;
}

function boundaryXml(arn: string | undefined): string {
  return arn
    ? `<PermissionsBoundary>${el('PermissionsBoundaryType', 'PermissionsBoundaryPolicy')}${el('PermissionsBoundaryArn', arn)}</PermissionsBoundary>`
    : '';
}

function userXml(user: SimUser, withTags: boolean): string {
  return (
    el('Path', user.path) +
    el('UserName', user.name) +
    el('UserId', user.userId) +
    el('Arn', user.arn) +
    el('CreateDate', isoTime(user.createdAt)) +
    (withTags ? boundaryXml(user.permissionsBoundary) : '') +
    (withTags && Object.keys(user.tags).length > 0 ? tagsXml(user.tags) : '')
  );
}

function policyXml(world: SimWorld, policy: SimManagedPolicy): string {
  const usage = policyUsage(world, policy.arn);
  return (
    el('PolicyName', policy.name) +
    el('PolicyId', policy.policyId) +
    el('Arn', policy.arn) +
    el('Path', policy.path) +
    el('DefaultVersionId', policy.defaultVersionId) +
    el('AttachmentCount', usage.attachments) +
    el('PermissionsBoundaryUsageCount', usage.boundaries) +
    el('IsAttachable', true) +
    el('Description', policy.description) +
    el('CreateDate', isoTime(policy.createdAt)) +
    el('UpdateDate', isoTime(policy.updatedAt)) +
    '<Tags/>'
  );
}

/** Marker/MaxItems paging over an ordered list (IAM's IsTruncated + Marker). */
function pageOf<T>(form: URLSearchParams, items: T[], key: (item: T) => string): { xml: string; page: T[] } {
  const limit = maxItems(form);
  const after = decodeMarker(form.get('Marker'));
  const start = after === undefined ? 0 : items.findIndex((item) => key(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const page = rest.slice(0, limit);
  const truncated = rest.length > limit;
  return {
    page,
    xml: `<IsTruncated>${truncated}</IsTruncated>` + (truncated ? el('Marker', encodeMarker(key(page[page.length - 1]))) : ''),
  };
}

function roleXml(role: SimRole, withTags: boolean): string {
  const tags = Object.entries(role.tags);
  return (
    el('Path', role.path) +
    el('RoleName', role.name) +
    el('RoleId', role.roleId) +
    el('Arn', role.arn) +
    el('CreateDate', isoTime(role.createdAt)) +
    el('AssumeRolePolicyDocument', encodePolicy(role.trustPolicy)) +
    el('Description', role.description) +
    el('MaxSessionDuration', 3600) +
    (withTags ? boundaryXml(role.permissionsBoundary) : '') +
    (withTags && tags.length > 0
      ? `<Tags>${tags.map(([k, v]) => `<member>${el('Key', k)}${el('Value', v)}</member>`).join('')}</Tags>`
      : '')
  );
}

function maxItems(form: URLSearchParams): number {
  const raw = form.get('MaxItems');
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new AwsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  return n;
}

function decodeMarker(marker: string | null): string | undefined {
  if (marker === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new AwsError(400, 'ValidationError', 'Invalid Marker.');
}

const encodeMarker = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');

function roleOf(account: SimAccount, name: string): SimRole {
  const role = account.roles.get(name);
  if (!role) throw new AwsError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
  return role;
}

function userOf(account: SimAccount, name: string): SimUser {
  const user = account.users.get(name);
  if (!user) throw new AwsError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
  return user;
}

function inlineOf(principal: SimRole | SimUser, kind: 'role' | 'user', name: string): PolicyDocument {
  const document = principal.inlinePolicies.get(name);
  if (!document) throw new AwsError(404, 'NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`);
  return document;
}

/** A managed policy the caller's account may read: its own customer managed policies and AWS managed ones. */
function managedPolicyOf(req: AwsRequest, arn: string): SimManagedPolicy {
  const account = policyArnAccount(arn);
  if (account === undefined) throw new AwsError(400, 'InvalidInput', `ARN ${arn} is not valid.`);
  if (account !== 'aws' && account !== req.caller.account)
    throw new AwsError(
      403,
      'AccessDenied',
      `User: ${req.caller.arn} is not authorized to perform: iam:${req.form.get('Action')} on resource: policy ${arn} because no resource-based policy allows the iam:${req.form.get('Action')} action`,
    );
  const policy = findManagedPolicy(req.world, arn);
  if (!policy) throw new AwsError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

function policyNameParam(form: URLSearchParams): string {
  const name = requireParam(form, 'PolicyName');
  if (!/^[\w+=,.@-]{1,128}$/.test(name))
    throw new AwsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  return name;
}

export function createIamService(): AwsService {
  function account(req: AwsRequest): SimAccount {
    const found = req.world.accounts.get(req.caller.account);
    if (!found) throw new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    return found;
  }

  function handle(req: AwsRequest): AwsResponse {
    const action = req.form.get('Action') ?? '';
    const { form, requestId } = req;
    switch (action) {
      case 'GetRole': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        return queryResult(action, NS, `<Role>${roleXml(role, true)}</Role>`, requestId);
      }
      case 'ListRoles': {
        const limit = maxItems(form);
        const after = decodeMarker(form.get('Marker'));
        const prefix = form.get('PathPrefix') ?? '/';
        const roles = [...account(req).roles.values()]
          .filter((r) => r.path.startsWith(prefix) && (after === undefined || r.name > after))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const page = roles.slice(0, limit);
        const truncated = roles.length > limit;
        return queryResult(
          action,
          NS,
          `<IsTruncated>${truncated}</IsTruncated>` +
            (truncated ? el('Marker', encodeMarker(page[page.length - 1].name)) : '') +
            `<Roles>${page.map((r) => `<member>${roleXml(r, false)}</member>`).join('')}</Roles>`,
          requestId,
        );
      }
      case 'ListRoleTags': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const tags = Object.entries(role.tags);
        return queryResult(
          action,
          NS,
          `<IsTruncated>false</IsTruncated><Tags>${tags.map(([k, v]) => `<member>${el('Key', k)}${el('Value', v)}</member>`).join('')}</Tags>`,
          requestId,
        );
      }
      case 'ListRolePolicies':
      case 'ListUserPolicies': {
        const principal =
          action === 'ListRolePolicies'
            ? roleOf(account(req), requireParam(form, 'RoleName'))
            : userOf(account(req), requireParam(form, 'UserName'));
        const { xml, page } = pageOf(form, [...principal.inlinePolicies.keys()].sort(), (n) => n);
        return queryResult(
          action,
          NS,
          `<PolicyNames>${page.map((n) => `<member>${escapeMember(n)}</member>`).join('')}</PolicyNames>${xml}`,
          requestId,
        );
      }
      case 'GetRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const name = requireParam(form, 'PolicyName');
        const document = inlineOf(role, 'role', name);
        return queryResult(
          action,
          NS,
          el('RoleName', role.name) + el('PolicyName', name) + el('PolicyDocument', encodePolicy(document)),
          requestId,
        );
      }
      case 'GetUserPolicy': {
        const user = userOf(account(req), requireParam(form, 'UserName'));
        const name = requireParam(form, 'PolicyName');
        const document = inlineOf(user, 'user', name);
        return queryResult(
          action,
          NS,
          el('UserName', user.name) + el('PolicyName', name) + el('PolicyDocument', encodePolicy(document)),
          requestId,
        );
      }
      case 'PutRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const name = policyNameParam(form);
        role.inlinePolicies.set(name, parseIdentityPolicyDocument(requireParam(form, 'PolicyDocument')));
        return queryEmptyResult(action, NS, requestId);
      }
      case 'DeleteRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const name = requireParam(form, 'PolicyName');
        inlineOf(role, 'role', name);
        role.inlinePolicies.delete(name);
        return queryEmptyResult(action, NS, requestId);
      }
      case 'ListAttachedRolePolicies':
      case 'ListAttachedUserPolicies': {
        const principal =
          action === 'ListAttachedRolePolicies'
            ? roleOf(account(req), requireParam(form, 'RoleName'))
            : userOf(account(req), requireParam(form, 'UserName'));
        const prefix = form.get('PathPrefix') ?? '/';
        const attached = principal.attachedPolicies
          .map((arn) => findManagedPolicy(req.world, arn))
          .filter((p): p is SimManagedPolicy => !!p && p.path.startsWith(prefix));
        const { xml, page } = pageOf(form, attached, (p) => p.arn);
        return queryResult(
          action,
          NS,
          `<AttachedPolicies>${page.map((p) => `<member>${el('PolicyName', p.name)}${el('PolicyArn', p.arn)}</member>`).join('')}</AttachedPolicies>${xml}`,
          requestId,
        );
      }
      case 'AttachRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const policy = managedPolicyOf(req, requireParam(form, 'PolicyArn'));
        if (!role.attachedPolicies.includes(policy.arn)) role.attachedPolicies.push(policy.arn);
        return queryEmptyResult(action, NS, requestId);
      }
      case 'DetachRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const arn = requireParam(form, 'PolicyArn');
        if (!role.attachedPolicies.includes(arn)) throw new AwsError(404, 'NoSuchEntity', `Policy ${arn} was not found.`);
        role.attachedPolicies = role.attachedPolicies.filter((a) => a !== arn);
        return queryEmptyResult(action, NS, requestId);
      }
      case 'GetPolicy': {
        const policy = managedPolicyOf(req, requireParam(form, 'PolicyArn'));
        return queryResult(action, NS, `<Policy>${policyXml(req.world, policy)}</Policy>`, requestId);
      }
      case 'GetPolicyVersion': {
        const policy = managedPolicyOf(req, requireParam(form, 'PolicyArn'));
        const versionId = requireParam(form, 'VersionId');
        const version = policy.versions.get(versionId);
        if (!version)
          throw new AwsError(404, 'NoSuchEntity', `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
        return queryResult(
          action,
          NS,
          `<PolicyVersion>${el('Document', encodePolicy(version.document))}${el('VersionId', version.versionId)}${el('IsDefaultVersion', version.versionId === policy.defaultVersionId)}${el('CreateDate', isoTime(version.createdAt))}</PolicyVersion>`,
          requestId,
        );
      }
      case 'ListPolicyVersions': {
        const policy = managedPolicyOf(req, requireParam(form, 'PolicyArn'));
        const versions = [...policy.versions.values()].sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
        const { xml, page } = pageOf(form, versions, (v) => v.versionId);
        return queryResult(
          action,
          NS,
          `<Versions>${page.map((v) => `<member>${el('VersionId', v.versionId)}${el('IsDefaultVersion', v.versionId === policy.defaultVersionId)}${el('CreateDate', isoTime(v.createdAt))}</member>`).join('')}</Versions>${xml}`,
          requestId,
        );
      }
      case 'CreatePolicyVersion': {
        const policy = managedPolicyOf(req, requireParam(form, 'PolicyArn'));
        if (policy.account === 'aws')
          throw new AwsError(
            403,
            'AccessDenied',
            `User: ${req.caller.arn} is not authorized to perform: iam:CreatePolicyVersion on resource: policy ${policy.arn}`,
          );
        const document = parseIdentityPolicyDocument(requireParam(form, 'PolicyDocument'));
        // IAM keeps at most five versions of a managed policy (IAM quotas).
        if (policy.versions.size >= 5)
          throw new AwsError(
            409,
            'LimitExceeded',
            `A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.`,
          );
        const versionId = `v${Math.max(...[...policy.versions.keys()].map((v) => Number(v.slice(1)))) + 1}`;
        const now = req.world.clock.nowIso();
        policy.versions.set(versionId, { versionId, document, createdAt: now });
        if (form.get('SetAsDefault') === 'true') policy.defaultVersionId = versionId;
        policy.updatedAt = now;
        return queryResult(
          action,
          NS,
          `<PolicyVersion>${el('VersionId', versionId)}${el('IsDefaultVersion', policy.defaultVersionId === versionId)}${el('CreateDate', isoTime(now))}</PolicyVersion>`,
          requestId,
        );
      }
      case 'GetUser': {
        const name = form.get('UserName');
        if (!name) {
          // Without UserName, IAM answers for the calling user (IAM API reference, GetUser).
          const self = [...account(req).users.values()].find((u) => u.arn === req.caller.arn);
          if (!self) throw new AwsError(400, 'ValidationError', 'Must specify userName when calling with non-User credentials');
          return queryResult(action, NS, `<User>${userXml(self, true)}</User>`, requestId);
        }
        return queryResult(action, NS, `<User>${userXml(userOf(account(req), name), true)}</User>`, requestId);
      }
      case 'ListUsers': {
        const prefix = form.get('PathPrefix') ?? '/';
        const users = [...account(req).users.values()].filter((u) => u.path.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
        const { xml, page } = pageOf(form, users, (u) => u.name);
        return queryResult(
          action,
          NS,
          `<Users>${page.map((u) => `<member>${userXml(u, false)}</member>`).join('')}</Users>${xml}`,
          requestId,
        );
      }
      case 'UpdateAssumeRolePolicy': {
        const role = roleOf(account(req), requireParam(form, 'RoleName'));
        const document = requireParam(form, 'PolicyDocument');
        role.trustPolicy = parsePolicyDocument(document);
        return queryEmptyResult(action, NS, requestId);
      }
      case 'ListOpenIDConnectProviders': {
        const providers = [...account(req).oidcProviders.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1));
        return queryResult(
          action,
          NS,
          `<OpenIDConnectProviderList>${providers.map((p) => `<member>${el('Arn', p.arn)}</member>`).join('')}</OpenIDConnectProviderList>`,
          requestId,
        );
      }
      case 'GetOpenIDConnectProvider': {
        const arn = requireParam(form, 'OpenIDConnectProviderArn');
        const provider = account(req).oidcProviders.get(arn);
        if (!provider) throw new AwsError(404, 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
        return queryResult(
          action,
          NS,
          el('Url', provider.url.replace(/^https:\/\//, '')) +
            `<ClientIDList>${provider.clientIds.map((c) => `<member>${escapeMember(c)}</member>`).join('')}</ClientIDList>` +
            `<ThumbprintList>${provider.thumbprints.map((t) => `<member>${escapeMember(t)}</member>`).join('')}</ThumbprintList>` +
            el('CreateDate', isoTime(provider.createdAt)) +
            '<Tags/>',
          requestId,
        );
      }
      case 'SimulatePrincipalPolicy':
        return queryResult(action, NS, simulatePrincipalPolicy(req), requestId);
      default:
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  /** The IAM action and resource of each operation (Service Authorization Reference, IAM); errors name roles and users by name. */
  function authorization(req: AwsRequest): AuthorizationRequest | null {
    const action = req.form.get('Action') ?? '';
    const account = req.caller.account;
    const iamAction = `iam:${action}`;
    const roleName = req.form.get('RoleName');
    const userName = req.form.get('UserName');
    const policyArn = req.form.get('PolicyArn');
    if (roleName !== null) {
      const role = req.world.accounts.get(account)?.roles.get(roleName);
      return {
        action: iamAction,
        resource: role?.arn ?? `arn:aws:iam::${account}:role/${roleName}`,
        label: `role ${roleName}`,
        context: policyArn ? { 'iam:PolicyARN': policyArn } : undefined,
      };
    }
    if (userName !== null) {
      const user = req.world.accounts.get(account)?.users.get(userName);
      return { action: iamAction, resource: user?.arn ?? `arn:aws:iam::${account}:user/${userName}`, label: `user ${userName}` };
    }
    if (action === 'GetUser') return { action: iamAction, resource: req.caller.arn, label: `user ${req.caller.arn.split('/').pop()}` };
    if (policyArn !== null) return { action: iamAction, resource: policyArn, label: `policy ${policyArn}` };
    if (action === 'GetOpenIDConnectProvider') {
      const arn = req.form.get('OpenIDConnectProviderArn') ?? '*';
      return { action: iamAction, resource: arn };
    }
    if (action === 'SimulatePrincipalPolicy') {
      const arn = req.form.get('PolicySourceArn') ?? '*';
      return { action: iamAction, resource: arn };
    }
    if (action === 'ListRoles') return { action: iamAction, resource: `arn:aws:iam::${account}:role/` };
    if (action === 'ListUsers') return { action: iamAction, resource: `arn:aws:iam::${account}:user/` };
    return { action: iamAction, resource: '*' };
  }

  return {
    name: 'iam',
    operation: (req) => req.form.get('Action') ?? 'Unknown',
    authorization,
    accessDenied: (caller, auth, decision) =>
      new AwsError(403, 'AccessDenied', notAuthorizedMessage(caller.arn, auth, denialClause(decision.reason!, auth.action))),
    handle,
    errorResponse: (error, requestId) => queryError(error, NS, requestId),
    throttlingError: () => new AwsError(400, 'Throttling', 'Rate exceeded'),
    authErrors: queryAuthErrors(403),
  };
}

function escapeMember(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What every policy document must be for IAM: JSON, an object, at least one statement, each with an Effect of
 * Allow or Deny and actions. `checkStatement` adds what the kind of policy requires or forbids.
 */
function parseStatements(document: string, checkStatement: (statement: Record<string, unknown>) => void): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new AwsError(400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AwsError(400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
  const policy = parsed as Record<string, unknown>;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  if (statements.length === 0) throw new AwsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  for (const s of statements as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') throw new AwsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw new AwsError(400, 'MalformedPolicyDocument', 'Invalid effect: ' + String(s.Effect));
    if (s.Action === undefined && s.NotAction === undefined)
      throw new AwsError(400, 'MalformedPolicyDocument', 'Policy statement must contain actions.');
    checkStatement(s);
  }
  return policy;
}

/** Validates an identity policy (inline or managed) as IAM does: no Principal, actions and resources required. */
export function parseIdentityPolicyDocument(document: string): PolicyDocument {
  return parseStatements(document, (s) => {
    if (s.Resource === undefined && s.NotResource === undefined)
      throw new AwsError(400, 'MalformedPolicyDocument', 'Policy statement must contain resources.');
    if (s.Principal !== undefined || s.NotPrincipal !== undefined)
      throw new AwsError(400, 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
  }) as PolicyDocument;
}

/** Validates a policy document as IAM does, raising MalformedPolicyDocument with the reason. */
export function parsePolicyDocument(document: string): Record<string, unknown> {
  return parseStatements(document, (s) => {
    if (s.Principal === undefined && s.NotPrincipal === undefined)
      throw new AwsError(400, 'MalformedPolicyDocument', 'Missing required field Principal');
    if (s.Resource !== undefined) throw new AwsError(400, 'MalformedPolicyDocument', 'Has prohibited field Resource');
  });
}
