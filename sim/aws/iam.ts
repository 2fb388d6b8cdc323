import type { SimRole, SimWorld } from '../world';
import { AwsError, isoSeconds, queryResponse, xmlElement, type AwsRequest, type AwsResponse } from './protocol';

// IAM, awsQuery/XML (docs.aws.amazon.com/IAM/latest/APIReference). Every call acts in the caller's account.
// Trust policies go out URL-encoded, as IAM returns them.

function roleXml(role: SimRole, withTags: boolean): string {
  const tags = Object.entries(role.tags);
  return (
    xmlElement('Path', role.path) +
    xmlElement('RoleName', role.name) +
    xmlElement('RoleId', role.roleId) +
    xmlElement('Arn', role.arn) +
    xmlElement('CreateDate', isoSeconds(role.createdAt)) +
    xmlElement('AssumeRolePolicyDocument', encodeURIComponent(JSON.stringify(role.trustPolicy))) +
    xmlElement('Description', role.description) +
    xmlElement('MaxSessionDuration', 3600) +
    (withTags && tags.length ? `<Tags>${tags.map(([k, v]) => `<member>${xmlElement('Key', k)}${xmlElement('Value', v)}</member>`).join('')}</Tags>` : '')
  );
}

function requireParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new AwsError(400, 'ValidationError', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function findRole(world: SimWorld, account: string, roleName: string): SimRole {
  const role = world.accounts.get(account)?.roles.get(roleName);
  if (!role) throw new AwsError(404, 'NoSuchEntity', `The role with name ${roleName} cannot be found.`);
  return role;
}

function parseMaxItems(params: URLSearchParams): number {
  const raw = params.get('MaxItems');
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new AwsError(400, 'ValidationError', `1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  return n;
}

export function handleIam(world: SimWorld, req: AwsRequest, params: URLSearchParams): AwsResponse {
  const action = params.get('Action') ?? '';
  const account = req.caller.account;
  switch (action) {
    case 'GetRole': {
      const role = findRole(world, account, requireParam(params, 'RoleName'));
      return queryResponse('iam', action, `<Role>${roleXml(role, true)}</Role>`);
    }
    case 'ListRoles': {
      const prefix = params.get('PathPrefix') ?? '/';
      const roles = [...(world.accounts.get(account)?.roles.values() ?? [])]
        .filter((r) => r.path.startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const marker = params.get('Marker');
      let offset = 0;
      if (marker) {
        offset = Number(Buffer.from(marker, 'base64').toString('utf8'));
        if (!Number.isInteger(offset) || offset < 0) throw new AwsError(400, 'ValidationError', 'Invalid Marker.');
      }
      const size = parseMaxItems(params);
      const slice = roles.slice(offset, offset + size);
      const truncated = offset + size < roles.length;
      return queryResponse(
        'iam',
        action,
        `<IsTruncated>${truncated}</IsTruncated>` +
          (truncated ? xmlElement('Marker', Buffer.from(String(offset + size)).toString('base64')) : '') +
          `<Roles>${slice.map((r) => `<member>${roleXml(r, false)}</member>`).join('')}</Roles>`,
      );
    }
    case 'ListRoleTags': {
      const role = findRole(world, account, requireParam(params, 'RoleName'));
      const tags = Object.entries(role.tags);
      return queryResponse('iam', action, `<IsTruncated>false</IsTruncated><Tags>${tags.map(([k, v]) => `<member>${xmlElement('Key', k)}${xmlElement('Value', v)}</member>`).join('')}</Tags>`);
    }
    case 'UpdateAssumeRolePolicy': {
      const role = findRole(world, account, requireParam(params, 'RoleName'));
      const text = requireParam(params, 'PolicyDocument');
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        throw new AwsError(400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
      }
      const statements = (document as { Statement?: unknown })?.Statement;
      if (!document || typeof document !== 'object' || !statements) throw new AwsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
      for (const statement of Array.isArray(statements) ? statements : [statements]) {
        if (!statement || typeof statement !== 'object') throw new AwsError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
        const s = statement as Record<string, unknown>;
        if ('Resource' in s) throw new AwsError(400, 'MalformedPolicyDocument', 'Has prohibited field Resource');
        if (!('Principal' in s) && !('NotPrincipal' in s)) throw new AwsError(400, 'MalformedPolicyDocument', 'Missing required field Principal');
        if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new AwsError(400, 'MalformedPolicyDocument', 'Missing required field Effect');
      }
      const sids = (Array.isArray(statements) ? statements : [statements]).map((s) => (s as { Sid?: string }).Sid).filter(Boolean);
      if (new Set(sids).size !== sids.length) throw new AwsError(400, 'MalformedPolicyDocument', 'Statement IDs (SID) in a single policy must be unique');
      role.trustPolicy = document as Record<string, unknown>;
      return queryResponse('iam', action, null);
    }
    case 'ListOpenIDConnectProviders': {
      const providers = [...(world.accounts.get(account)?.oidcProviders.values() ?? [])];
      return queryResponse('iam', action, `<OpenIDConnectProviderList>${providers.map((p) => `<member>${xmlElement('Arn', p.arn)}</member>`).join('')}</OpenIDConnectProviderList>`);
    }
    case 'GetOpenIDConnectProvider': {
      const arn = requireParam(params, 'OpenIDConnectProviderArn');
      const provider = world.accounts.get(account)?.oidcProviders.get(arn);
      if (!provider) throw new AwsError(404, 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
      return queryResponse(
        'iam',
        action,
        `<ClientIDList>${provider.clientIds.map((c) => xmlElement('member', c)).join('')}</ClientIDList>` +
          `<ThumbprintList>${provider.thumbprints.map((t) => xmlElement('member', t)).join('')}</ThumbprintList>` +
          xmlElement('CreateDate', isoSeconds(provider.createdAt)) +
          xmlElement('Url', provider.url.replace(/^https:\/\//, '')),
      );
    }
  }
  throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
}
