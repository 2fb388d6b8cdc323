import type { SimWorld } from '../world';
import { findRole, findUser } from './iam-entities';
import { decide, type Decision, type ResourcePolicyInput } from './policy-evaluator';
import { principalContext, principalPolicies, type Principal } from './principals';
import type { AwsCaller } from './protocol';

// Every request signed by a role session or an IAM user is evaluated before its handler runs; an account's
// root key may do everything in its own account (scenario-format.md, "IAM enforcement"). Resource policies
// (S3 bucket policies) apply to every caller, the root included.

export interface AuthorizationRequest {
  /** service:Action, e.g. s3:PutObject */
  action: string;
  /** The resource ARN the policies are matched against. */
  resource: string;
  /** How the service's error names the resource when it differs from the ARN (IAM: "role NAME"). */
  label?: string;
  /** Service-specific condition keys (s3:prefix, iam:PolicyARN…). */
  context?: Record<string, string | string[] | undefined>;
  resourcePolicy?: ResourcePolicyInput;
}

export function principalOfCaller(world: SimWorld, caller: AwsCaller): Principal {
  if (caller.kind === 'user') {
    const user = findUser(world, caller.arn);
    if (user) return { kind: 'user', user };
  }
  if (caller.kind === 'assumed-role' && caller.session) {
    const role = findRole(world, caller.session.roleArn);
    if (role)
      return {
        kind: 'assumed-role',
        session: {
          role,
          sessionName: caller.session.sessionName,
          tags: caller.session.tags,
          sessionPolicies: caller.session.sessionPolicies,
        },
      };
  }
  return { kind: 'root', account: caller.account };
}

export function authorizePrincipal(
  world: SimWorld,
  principal: Principal,
  auth: AuthorizationRequest,
  extra: { sourceIp?: string; region?: string } = {},
): Decision {
  const context = principalContext(world, principal, extra);
  for (const [key, value] of Object.entries(auth.context ?? {}))
    if (value !== undefined) context.set(key.toLowerCase(), Array.isArray(value) ? value : [value]);
  if (auth.resourcePolicy) context.set('aws:resourceaccount', [auth.resourcePolicy.account]);
  return decide(principalPolicies(world, principal), { action: auth.action, resource: auth.resource, context }, auth.resourcePolicy);
}

/** "User: ARN is not authorized to perform: ACTION on resource: R …", as IAM, STS and EKS word it. */
export function notAuthorizedMessage(callerArn: string, auth: AuthorizationRequest, clause: string): string {
  return `User: ${callerArn} is not authorized to perform: ${auth.action} on resource: ${auth.label ?? auth.resource} ${clause}`;
}
