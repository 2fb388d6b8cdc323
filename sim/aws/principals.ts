import type { PolicyDocument, SimRole, SimUser, SimWorld } from '../world';
import { defaultDocument, findManagedPolicy } from './iam-entities';
import { contextOf, type NamedPolicy, type PrincipalPolicies, type RequestContext } from './policy-evaluator';

// Who a request's credentials stand for, as the evaluator needs them: the policies that apply to the
// principal, and the condition keys AWS puts in the request context for it (IAM user guide, "AWS global
// condition context keys"). Built from the world on every request, so a changed policy applies at once.

/** A role session: from sts:AssumeRole, or the sessions EKS Pod Identity and IRSA create for pods. */
export interface SessionPrincipal {
  role: SimRole;
  sessionName: string;
  /** Session tags (principal tags that override the role's tags of the same key). */
  tags: Record<string, string>;
  /** Session policies (AssumeRole Policy, the association's policy): the session may do only what these allow too. */
  sessionPolicies: PolicyDocument[];
}

export type Principal =
  { kind: 'root'; account: string } | { kind: 'user'; user: SimUser } | { kind: 'assumed-role'; session: SessionPrincipal };

export function assumedRoleArn(role: SimRole, sessionName: string): string {
  return `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
}

function attached(world: SimWorld, arns: string[]): NamedPolicy[] {
  return arns.flatMap((arn) => {
    const policy = findManagedPolicy(world, arn);
    return policy
      ? [
          {
            id: policy.name,
            type: policy.account === 'aws' ? ('aws-managed' as const) : ('user-managed' as const),
            document: defaultDocument(policy),
          },
        ]
      : [];
  });
}

function boundaryOf(world: SimWorld, arn: string | undefined): NamedPolicy | undefined {
  if (!arn) return undefined;
  const policy = findManagedPolicy(world, arn);
  // A boundary that no longer exists allows nothing (IAM refuses to delete a policy in use as a boundary).
  return {
    id: policy?.name ?? arn,
    type: 'boundary',
    document: policy ? defaultDocument(policy) : { Version: '2012-10-17', Statement: [] },
  };
}

/** The identity policies of a role or user: inline ones, then attached managed ones at their default version. */
export function identityPoliciesOf(world: SimWorld, entity: SimRole | SimUser, kind: 'role' | 'user'): NamedPolicy[] {
  return [
    ...[...entity.inlinePolicies].map(([name, document]) => ({ id: name, type: kind, document })),
    ...attached(world, entity.attachedPolicies),
  ];
}

export function principalPolicies(world: SimWorld, principal: Principal): PrincipalPolicies {
  switch (principal.kind) {
    case 'root':
      return {
        kind: 'root',
        identity: { account: principal.account, arns: [`arn:aws:iam::${principal.account}:root`] },
        identityPolicies: [],
        sessionPolicies: [],
      };
    case 'user': {
      const { user } = principal;
      return {
        kind: 'user',
        identity: { account: user.account, arns: [user.arn] },
        identityPolicies: identityPoliciesOf(world, user, 'user'),
        boundary: boundaryOf(world, user.permissionsBoundary),
        sessionPolicies: [],
      };
    }
    case 'assumed-role': {
      const { role } = principal.session;
      return {
        kind: 'assumed-role',
        identity: { account: role.account, arns: [role.arn, assumedRoleArn(role, principal.session.sessionName)] },
        identityPolicies: identityPoliciesOf(world, role, 'role'),
        boundary: boundaryOf(world, role.permissionsBoundary),
        sessionPolicies: principal.session.sessionPolicies.map((document, i) => ({
          id: `session-policy-${i + 1}`,
          type: 'session' as const,
          document,
        })),
      };
    }
  }
}

/** The global condition keys AWS sets for this principal's requests. */
export function principalContext(
  world: SimWorld,
  principal: Principal,
  extra: { sourceIp?: string; region?: string } = {},
): RequestContext {
  const now = world.clock.now();
  const common = {
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': 'false', // the simulator serves plain http
    'aws:SourceIp': extra.sourceIp,
    'aws:RequestedRegion': extra.region,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
  };
  const tagKeys = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]));
  switch (principal.kind) {
    case 'root':
      return contextOf({
        ...common,
        'aws:PrincipalArn': `arn:aws:iam::${principal.account}:root`,
        'aws:PrincipalAccount': principal.account,
        'aws:PrincipalType': 'Account',
        'aws:userid': principal.account,
      });
    case 'user':
      return contextOf({
        ...common,
        ...tagKeys(principal.user.tags),
        'aws:PrincipalArn': principal.user.arn,
        'aws:PrincipalAccount': principal.user.account,
        'aws:PrincipalType': 'User',
        'aws:userid': principal.user.userId,
        'aws:username': principal.user.name,
        'aws:PrincipalTagKeys': Object.keys(principal.user.tags),
      });
    case 'assumed-role': {
      const { role, sessionName, tags } = principal.session;
      // Session tags override role tags with the same key (IAM user guide, "Passing session tags in AWS STS").
      const merged = { ...role.tags, ...tags };
      return contextOf({
        ...common,
        ...tagKeys(merged),
        'aws:PrincipalArn': role.arn,
        'aws:PrincipalAccount': role.account,
        'aws:PrincipalType': 'AssumedRole',
        'aws:userid': `${role.roleId}:${sessionName}`,
        'aws:PrincipalTagKeys': Object.keys(merged),
      });
    }
  }
}

/** The six session tags EKS Pod Identity adds to a pod's role session (AUG pod-id-abac). */
export function podIdentitySessionTags(
  cluster: { arn: string; name: string },
  pod: { namespace: string; serviceAccount: string; name: string; uid: string },
): Record<string, string> {
  return {
    'eks-cluster-arn': cluster.arn,
    'eks-cluster-name': cluster.name,
    'kubernetes-namespace': pod.namespace,
    'kubernetes-service-account': pod.serviceAccount,
    'kubernetes-pod-name': pod.name,
    'kubernetes-pod-uid': pod.uid,
  };
}
