import type { SimAccount, SimRole } from '../world';
import { AwsError, el, isoTime, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import { queryAuthErrors, queryEmptyResult, queryError, queryResult, requireParam } from './query-protocol';

// IAM, Query/XML, a global service signed for us-east-1 (IAM API reference). Trust policies come back
// URL-encoded (RFC 3986), as IAM returns AssumeRolePolicyDocument.

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function encodePolicy(policy: Record<string, unknown>): string {
  return encodeURIComponent(JSON.stringify(policy));
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
      default:
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  return {
    name: 'iam',
    operation: (req) => req.form.get('Action') ?? 'Unknown',
    handle,
    errorResponse: (error, requestId) => queryError(error, NS, requestId),
    throttlingError: () => new AwsError(400, 'Throttling', 'Rate exceeded'),
    authErrors: queryAuthErrors(403),
  };
}

function escapeMember(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Validates a policy document as IAM does, raising MalformedPolicyDocument with the reason. */
export function parsePolicyDocument(document: string): Record<string, unknown> {
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
    if (s.Principal === undefined && s.NotPrincipal === undefined)
      throw new AwsError(400, 'MalformedPolicyDocument', 'Missing required field Principal');
    if (s.Resource !== undefined) throw new AwsError(400, 'MalformedPolicyDocument', 'Has prohibited field Resource');
  }
  return policy;
}
