import { createHash, randomBytes } from 'node:crypto';
import type { SimWorld } from '../world';
import { AwsError, isoSeconds, queryResponse, xmlElement, type AwsRequest, type AwsResponse, type Caller } from './protocol';
import { trustAllows } from './trust';

// STS, awsQuery/XML. AssumeRole honours the target role's trust policy; its temporary credentials then act
// in the role's account.

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  expiresAt: number;
}

export const temporaryCredentials = new WeakMap<SimWorld, Map<string, TemporaryCredentials>>();

export function temporaryCredentialsOf(world: SimWorld): Map<string, TemporaryCredentials> {
  let map = temporaryCredentials.get(world);
  if (!map) temporaryCredentials.set(world, (map = new Map()));
  return map;
}

/** The principals a caller can be named by in a trust policy's Principal.AWS. */
function principalCandidates(caller: Caller): string[] {
  const candidates = [caller.account, `arn:aws:iam::${caller.account}:root`, caller.arn];
  if (caller.assumedRoleArn) candidates.push(caller.assumedRoleArn);
  return candidates;
}

export function handleSts(world: SimWorld, req: AwsRequest, params: URLSearchParams): AwsResponse {
  const action = params.get('Action') ?? '';
  switch (action) {
    case 'GetCallerIdentity':
      return queryResponse('sts', action, xmlElement('Arn', req.caller.arn) + xmlElement('UserId', req.caller.userId) + xmlElement('Account', req.caller.account));
    case 'AssumeRole': {
      const roleArn = params.get('RoleArn');
      const sessionName = params.get('RoleSessionName');
      if (!roleArn || !sessionName) throw new AwsError(400, 'ValidationError', `1 validation error detected: Value null at '${roleArn ? 'roleSessionName' : 'roleArn'}' failed to satisfy constraint: Member must not be null`);
      if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError(400, 'ValidationError', `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
      const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]{1,64})$/.exec(roleArn);
      const role = match ? world.accounts.get(match[1])?.roles.get(match[2]) : undefined;
      const denied = () =>
        new AwsError(403, 'AccessDenied', `User: ${req.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      if (!role || role.arn !== roleArn) throw denied();
      if (!trustAllows(role.trustPolicy, { kind: 'AWS', candidates: principalCandidates(req.caller) }, ['sts:AssumeRole'])) throw denied();
      const durationSeconds = Number(params.get('DurationSeconds') ?? 3600);
      if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
        throw new AwsError(400, 'ValidationError', `Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`);
      }
      const credentials: TemporaryCredentials = {
        accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        account: role.account,
        roleArn: role.arn,
        roleId: role.roleId,
        sessionName,
        expiresAt: world.clock.now().getTime() + durationSeconds * 1000,
      };
      temporaryCredentialsOf(world).set(credentials.accessKeyId, credentials);
      const assumedArn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
      return queryResponse(
        'sts',
        action,
        `<Credentials>${xmlElement('AccessKeyId', credentials.accessKeyId)}${xmlElement('SecretAccessKey', credentials.secretAccessKey)}${xmlElement('SessionToken', credentials.sessionToken)}${xmlElement('Expiration', isoSeconds(new Date(credentials.expiresAt)))}</Credentials>` +
          `<AssumedRoleUser>${xmlElement('AssumedRoleId', `${role.roleId}:${sessionName}`)}${xmlElement('Arn', assumedArn)}</AssumedRoleUser>` +
          xmlElement('PackedPolicySize', 0),
      );
    }
  }
  throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
}

export function userIdFor(accessKeyId: string): string {
  return `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`;
}
