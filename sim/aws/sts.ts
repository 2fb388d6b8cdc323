import { randomUUID } from 'node:crypto';
import type { PolicyDocument } from '../world';
import { AwsError, el, isoTime, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import { queryAuthErrors, queryError, queryResult, requireParam } from './query-protocol';
import { tokenFor } from './ids';
import { trustAllowsAssumeRole } from './trust-policy';
import { notAuthorizedMessage } from './authorize';
import { denialClause } from './policy-evaluator';

// STS, Query/XML (STS API reference). AssumeRole issues temporary credentials (ASIA… key, secret,
// session token) that this simulator then accepts as the role session in the role's account.

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface RoleSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  account: string;
  roleArn: string;
  roleId: string;
  sessionName: string;
  assumedRoleArn: string;
  /** Session tags (AssumeRole Tags), principal tags of the session. */
  tags: Record<string, string>;
  /** Session policies (AssumeRole Policy / PolicyArns). */
  sessionPolicies: PolicyDocument[];
}

export interface SessionStore {
  get(accessKeyId: string): RoleSession | undefined;
  add(session: RoleSession): void;
}

export function createSessionStore(): SessionStore {
  const sessions = new Map<string, RoleSession>();
  return {
    get: (id) => sessions.get(id),
    add: (session) => {
      sessions.set(session.accessKeyId, session);
    },
  };
}

/** Tags.member.N.Key / Tags.member.N.Value of an AssumeRole request. */
function sessionTagsOf(form: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let n = 1; form.has(`Tags.member.${n}.Key`); n++) tags[form.get(`Tags.member.${n}.Key`)!] = form.get(`Tags.member.${n}.Value`) ?? '';
  return tags;
}

export function createStsService(sessions: SessionStore): AwsService {
  function handle(req: AwsRequest): AwsResponse {
    const action = req.form.get('Action') ?? '';
    const { form, requestId, caller, world } = req;
    switch (action) {
      case 'GetCallerIdentity':
        // With Accept: application/json STS answers in JSON; aws-iam-authenticator (and EKS) read it that way.
        if (String(req.headers.accept ?? '').includes('application/json'))
          return {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              GetCallerIdentityResponse: {
                GetCallerIdentityResult: { Account: caller.account, Arn: caller.arn, UserId: caller.userId },
                ResponseMetadata: { RequestId: requestId },
              },
            }),
          };
        return queryResult(action, NS, el('Arn', caller.arn) + el('UserId', caller.userId) + el('Account', caller.account), requestId);
      case 'AssumeRole': {
        const roleArn = requireParam(form, 'RoleArn');
        const sessionName = requireParam(form, 'RoleSessionName');
        if (!/^[\w+=,.@-]{2,64}$/.test(sessionName))
          throw new AwsError(
            400,
            'ValidationError',
            `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
          );
        const durationRaw = form.get('DurationSeconds');
        const duration = durationRaw === null ? 3600 : Number(durationRaw);
        if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
          throw new AwsError(
            400,
            'ValidationError',
            `1 validation error detected: Value '${durationRaw}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
          );
        // A missing role and a role that does not trust the caller give the same answer (STS AssumeRole errors).
        const denied = new AwsError(
          403,
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        );
        const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
        if (!match) throw new AwsError(400, 'ValidationError', `${roleArn} is invalid`);
        const role = world.accounts.get(match[1])?.roles.get(match[2]);
        if (!role || role.arn !== roleArn) throw denied;
        const allowed = trustAllowsAssumeRole(role.trustPolicy, {
          account: caller.account,
          principalArns: caller.principalArns,
          externalId: form.get('ExternalId') ?? undefined,
        });
        if (!allowed) throw denied;
        // A caller that is not the account root also needs sts:AssumeRole in its own policies, unless the trust
        // policy names it specifically in the same account (IAM user guide, "Cross-account policy evaluation logic").
        const namedDirectly = trustAllowsAssumeRole(role.trustPolicy, {
          account: '',
          principalArns: caller.principalArns.filter((arn) => !arn.endsWith(':root')),
          externalId: form.get('ExternalId') ?? undefined,
        });
        if (caller.kind !== 'root' && !(namedDirectly && caller.account === role.account)) {
          try {
            req.authorize({ action: 'sts:AssumeRole', resource: role.arn });
          } catch {
            throw denied;
          }
        }
        const tags = sessionTagsOf(form);
        if (
          Object.keys(tags).length > 0 &&
          !trustAllowsAssumeRole(
            role.trustPolicy,
            { account: caller.account, principalArns: caller.principalArns, externalId: form.get('ExternalId') ?? undefined },
            'sts:TagSession',
          )
        )
          throw new AwsError(
            403,
            'AccessDenied',
            `User: ${caller.arn} is not authorized to perform: sts:TagSession on resource: ${roleArn}`,
          );
        const policyText = form.get('Policy');
        let sessionPolicy: PolicyDocument | undefined;
        if (policyText !== null) {
          try {
            sessionPolicy = JSON.parse(policyText) as PolicyDocument;
          } catch {
            throw new AwsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
          }
          if (!sessionPolicy || typeof sessionPolicy !== 'object' || Array.isArray(sessionPolicy))
            throw new AwsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
        }
        const seed = randomUUID();
        const expiration = new Date(world.clock.now().getTime() + duration * 1000).toISOString();
        const session: RoleSession = {
          accessKeyId: `ASIA${tokenFor(`key:${seed}`, 16)}`,
          secretAccessKey: tokenFor(`secret:${seed}`, 40, 'lower'),
          sessionToken: `IQoJb3JpZ2luX2VjE${Buffer.from(`sim-session:${seed}:${roleArn}`).toString('base64')}`,
          expiration,
          account: role.account,
          roleArn: role.arn,
          roleId: role.roleId,
          sessionName,
          assumedRoleArn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
          tags,
          sessionPolicies: sessionPolicy ? [sessionPolicy] : [],
        };
        sessions.add(session);
        return queryResult(
          action,
          NS,
          `<Credentials>${el('AccessKeyId', session.accessKeyId)}${el('SecretAccessKey', session.secretAccessKey)}${el('SessionToken', session.sessionToken)}${el('Expiration', isoTime(expiration))}</Credentials>` +
            `<AssumedRoleUser>${el('AssumedRoleId', `${role.roleId}:${sessionName}`)}${el('Arn', session.assumedRoleArn)}</AssumedRoleUser>` +
            el('PackedPolicySize', 0),
          requestId,
        );
      }
      default:
        throw new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  return {
    name: 'sts',
    operation: (req) => req.form.get('Action') ?? 'Unknown',
    // GetCallerIdentity needs no permission; AssumeRole is checked in its handler, against the trust policy too.
    authorization: () => null,
    accessDenied: (caller, auth, decision) =>
      new AwsError(403, 'AccessDenied', notAuthorizedMessage(caller.arn, auth, denialClause(decision.reason!, auth.action))),
    handle,
    errorResponse: (error, requestId) => queryError(error, NS, requestId),
    throttlingError: () => new AwsError(400, 'Throttling', 'Rate exceeded'),
    authErrors: queryAuthErrors(400),
  };
}
