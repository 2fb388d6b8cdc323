import { createTwoFilesPatch } from 'diff';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { asArray, policyStatements } from '@/lib/policy/policy-document';
import type { TrustDecision } from '@/lib/policy/policy-evaluator';
import { podIdentityTrustEvaluations, roleChainTrustEvaluations } from '@/lib/identity/trust-checks';
import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';
import { POD_IDENTITY_STATEMENT_SID, ROLE_CHAIN_STATEMENT_SID } from './statement';

// The statements EKS Pod Identity needs in a role's trust policy: the service principal pods.eks.amazonaws.com
// with sts:AssumeRole, and sts:TagSession unless the association disables session tags
// (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html). A trust policy is account-wide, so the console
// never adds a blanket Allow (issue 10): each statement is scoped to exactly the associations that use the role,
// with aws:SourceAccount and aws:SourceArn (their clusters' account and ARN, domain.md "Role trust policy") and,
// when session tags are on, the session tags EKS passes: aws:RequestTag/eks-cluster-arn, kubernetes-namespace
// and kubernetes-service-account (pod-id-role "Setting Conditions"; pod-id-abac lists the tags).
// A target role is assumed by the association's role session instead, with the association's external id (and
// sts:TagSession when tags flow): its statement names that role and requires the external ids of exactly the
// associations that chain into it (AUG pod-id-assign-target-role; EKS API PodIdentityAssociation.externalId).

/** One association that uses the role (or is about to): who the fix is for. */
export interface PodIdentityUser {
  /** The console's name for the cluster. */
  cluster: string;
  clusterArn: string;
  clusterName: string;
  account: string;
  namespace: string;
  serviceAccount: string;
  disableSessionTags?: boolean;
}

/** An association whose target role this is: EKS's session of `sourceRoleArn` assumes it (PI012). */
export interface TargetRoleUser {
  cluster: string;
  clusterArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  sourceRoleArn: string;
  externalId?: string;
  disableSessionTags?: boolean;
}

/** Someone the preview asks about: a service account of an EKS cluster of the fleet. */
export type PodIdentityCandidate = PodIdentityUser;

/** allow when every action the association needs is allowed; else explicit-deny if any is, else the first other decision. */
export function podIdentityDecision(policy: PolicyDocument, user: PodIdentityUser): TrustDecision {
  const decisions = podIdentityTrustEvaluations(policy, { arn: user.clusterArn, name: user.clusterName, account: user.account }, user).map(
    (evaluation) => evaluation.decision,
  );
  if (decisions.includes('explicit-deny')) return 'explicit-deny';
  return decisions.find((decision) => decision !== 'allow') ?? 'allow';
}

/** Like podIdentityDecision, for the chained call from the association's role into its target role. */
export function roleChainDecision(policy: PolicyDocument, user: TargetRoleUser): TrustDecision {
  const decisions = roleChainTrustEvaluations(policy, {
    sourceRoleArn: user.sourceRoleArn,
    externalId: user.externalId,
    disableSessionTags: user.disableSessionTags,
    eks: { arn: user.clusterArn, name: user.clusterName },
    namespace: user.namespace,
    serviceAccount: user.serviceAccount,
  }).map((evaluation) => evaluation.decision);
  if (decisions.includes('explicit-deny')) return 'explicit-deny';
  return decisions.find((decision) => decision !== 'allow') ?? 'allow';
}

function namesAwsPrincipal(statement: PolicyStatement, arns: string[]): boolean {
  const principal = statement.Principal;
  if (!principal || principal === '*' || typeof principal !== 'object') return false;
  return asArray(principal.AWS).some((arn) => arns.includes(arn));
}

function namesPodIdentity(statement: PolicyStatement): boolean {
  const principal = statement.Principal;
  if (!principal || principal === '*' || typeof principal !== 'object') return false;
  return asArray(principal.Service).includes(POD_IDENTITY_SERVICE_PRINCIPAL);
}

/** A unique Sid: IAM rejects duplicate Sids in one document. */
function uniqueSid(taken: Set<string>, base: string): string {
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}${n}`;
  taken.add(sid);
  return sid;
}

function oneOrMany(values: string[]): string | string[] {
  const sorted = [...new Set(values)].sort();
  return sorted.length === 1 ? sorted[0] : sorted;
}

/**
 * The scoped statements for `users`: one per (namespace, service account) with session tags on, listing the
 * clusters that have it, and one for the associations with session tags off (they carry no tags to match).
 * Within a statement the cluster ARN fixes the account, so the conditions allow exactly those associations.
 */
function scopedPodIdentityStatements(users: PodIdentityUser[], taken: Set<string>): PolicyStatement[] {
  const groups = new Map<string, PodIdentityUser[]>();
  for (const user of users) {
    const key = user.disableSessionTags ? 'untagged' : JSON.stringify([user.namespace, user.serviceAccount]);
    groups.set(key, [...(groups.get(key) ?? []), user]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, members]) => {
      const tagged = key !== 'untagged';
      const clusterArns = oneOrMany(members.map((member) => member.clusterArn));
      return {
        Sid: uniqueSid(taken, POD_IDENTITY_STATEMENT_SID),
        Effect: 'Allow' as const,
        Principal: { Service: POD_IDENTITY_SERVICE_PRINCIPAL },
        Action: tagged ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole',
        Condition: {
          StringEquals: {
            'aws:SourceAccount': oneOrMany(members.map((member) => member.account)),
            ...(tagged
              ? {
                  'aws:RequestTag/eks-cluster-arn': clusterArns,
                  'aws:RequestTag/kubernetes-namespace': members[0].namespace,
                  'aws:RequestTag/kubernetes-service-account': members[0].serviceAccount,
                }
              : {}),
          },
          ArnEquals: { 'aws:SourceArn': clusterArns },
        },
      };
    });
}

/**
 * The chain statements for `users`: one per source role (and with or without session tags), naming that role and
 * requiring the external ids of exactly its associations, so no other association or role can chain in.
 */
function scopedRoleChainStatements(users: TargetRoleUser[], taken: Set<string>): PolicyStatement[] {
  const groups = new Map<string, TargetRoleUser[]>();
  for (const user of users) {
    const key = JSON.stringify([user.sourceRoleArn, Boolean(user.disableSessionTags), Boolean(user.externalId)]);
    groups.set(key, [...(groups.get(key) ?? []), user]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, members]) => {
      const tagged = !members[0].disableSessionTags;
      const externalIds = members.map((member) => member.externalId).filter((id): id is string => Boolean(id));
      return {
        Sid: uniqueSid(taken, ROLE_CHAIN_STATEMENT_SID),
        Effect: 'Allow' as const,
        Principal: { AWS: members[0].sourceRoleArn },
        Action: tagged ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole',
        ...(externalIds.length > 0 ? { Condition: { StringEquals: { 'sts:ExternalId': oneOrMany(externalIds) } } } : {}),
      };
    });
}

interface TrustPolicyFix {
  before: PolicyDocument;
  after: PolicyDocument;
  /** The scoped statements added. */
  added: PolicyStatement[];
  /** Pod Identity statements that allowed none of the role's associations, replaced by `added`. */
  replaced: PolicyStatement[];
  /** The associations the current policy does not let assume the role (what the fix is for). */
  blocked: (PodIdentityUser | TargetRoleUser)[];
  /** Unified diff of the pretty-printed documents, for the preview. */
  diff: string;
}

/**
 * Scopes the role's trust policy to the associations that use it. A Pod Identity statement (Allow for
 * pods.eks.amazonaws.com) that lets none of them assume the role is broken: it is replaced, not kept beside a
 * new one. Statements that work for some association, and every other statement, stay as they are. Returns
 * `added: []` (and the policy unchanged) when every association can already assume the role.
 */
export function scopeTrustPolicyToAssociations(
  policy: PolicyDocument,
  users: PodIdentityUser[],
  roleName = 'role',
  chainUsers: TargetRoleUser[] = [],
): TrustPolicyFix {
  const statements = policyStatements(policy);
  const alone = (statement: PolicyStatement): PolicyDocument => ({ Version: '2012-10-17', Statement: [statement] });
  const blockedUsers = users.filter((user) => podIdentityDecision(policy, user) !== 'allow');
  const blockedChains = chainUsers.filter((user) => roleChainDecision(policy, user) !== 'allow');
  const sourceRoles = [...new Set(chainUsers.map((user) => user.sourceRoleArn))];
  const broken = statements.filter(
    (statement) =>
      statement.Effect === 'Allow' &&
      ((blockedUsers.length > 0 &&
        namesPodIdentity(statement) &&
        !users.some((user) => podIdentityDecision(alone(statement), user) === 'allow')) ||
        (blockedChains.length > 0 &&
          namesAwsPrincipal(statement, sourceRoles) &&
          !chainUsers.some((user) => roleChainDecision(alone(statement), user) === 'allow'))),
  );
  const blocked = [...blockedUsers, ...blockedChains];
  const kept = statements.filter((statement) => !broken.includes(statement));
  const keptPolicy: PolicyDocument = { ...policy, Statement: kept };
  const taken = new Set(kept.map((statement) => statement.Sid).filter((sid): sid is string => Boolean(sid)));
  const added =
    blocked.length === 0
      ? []
      : [
          ...scopedPodIdentityStatements(
            users.filter((user) => podIdentityDecision(keptPolicy, user) !== 'allow'),
            taken,
          ),
          ...scopedRoleChainStatements(
            chainUsers.filter((user) => roleChainDecision(keptPolicy, user) !== 'allow'),
            taken,
          ),
        ];
  const after: PolicyDocument =
    blocked.length === 0 ? policy : { ...policy, Version: policy.Version ?? '2012-10-17', Statement: [...kept, ...added] };
  const diff = createTwoFilesPatch(
    `${roleName} trust policy (current)`,
    `${roleName} trust policy (after)`,
    `${JSON.stringify(policy, null, 2)}\n`,
    `${JSON.stringify(after, null, 2)}\n`,
    undefined,
    undefined,
    { context: 3 },
  );
  return { before: policy, after, added, replaced: broken, blocked, diff };
}

/**
 * Requests the added statements must refuse, derived from each user by changing one fact: another namespace,
 * another service account, another cluster of the same account, another account, session tags turned off.
 * A statement scoped to exactly the associations allows none of them unless that probe is itself a user.
 */
export function widerThanAssociations(added: PolicyStatement[], users: PodIdentityUser[]): string[] {
  if (added.length === 0) return [];
  const policy: PolicyDocument = { Version: '2012-10-17', Statement: added };
  const isUser = (probe: PodIdentityUser) =>
    users.some(
      (user) =>
        user.clusterArn === probe.clusterArn &&
        user.namespace === probe.namespace &&
        user.serviceAccount === probe.serviceAccount &&
        Boolean(user.disableSessionTags) === Boolean(probe.disableSessionTags),
    );
  const problems: string[] = [];
  for (const user of users) {
    const otherCluster = user.clusterArn.replace(/cluster\/.*$/, 'cluster/wic-probe-other-cluster');
    const otherAccount = user.clusterArn.replace(`:${user.account}:`, ':000000000000:');
    const probes: [string, PodIdentityUser][] = [
      ['another cluster of the account', { ...user, clusterArn: otherCluster, clusterName: 'wic-probe-other-cluster' }],
      ['another account', { ...user, account: '000000000000', clusterArn: otherAccount }],
    ];
    if (!user.disableSessionTags) {
      probes.push(
        ['another namespace', { ...user, namespace: 'wic-probe-other-namespace' }],
        ['another service account', { ...user, serviceAccount: 'wic-probe-other-sa' }],
      );
      // Without session tags nothing in the request names the service account, so an association with tags off
      // on the same cluster necessarily lets any tag-less request of that cluster in; otherwise none may pass.
      if (!users.some((other) => other.disableSessionTags && other.clusterArn === user.clusterArn))
        probes.push(['a request without session tags', { ...user, disableSessionTags: true }]);
    }
    for (const [what, probe] of probes)
      if (!isUser(probe) && podIdentityDecision(policy, probe) !== 'implicit-deny')
        problems.push(`${what} than ${user.cluster}/${user.namespace}/${user.serviceAccount}`);
  }
  return problems;
}

/**
 * Chained requests the added statements must refuse: another association's external id, another role of the
 * source role's account, and a role of another account. Only the associations themselves may chain in.
 */
export function widerThanRoleChains(added: PolicyStatement[], users: TargetRoleUser[]): string[] {
  if (added.length === 0) return [];
  const policy: PolicyDocument = { Version: '2012-10-17', Statement: added };
  const problems: string[] = [];
  for (const user of users) {
    const probes: [string, TargetRoleUser][] = [
      ['another association (external id)', { ...user, externalId: 'wic-probe-other-external-id' }],
      ['another role of the account', { ...user, sourceRoleArn: user.sourceRoleArn.replace(/:role\/.*$/, ':role/wic-probe-other-role') }],
      ['a role of another account', { ...user, sourceRoleArn: user.sourceRoleArn.replace(/::\d{12}:/, '::000000000000:') }],
    ];
    for (const [what, probe] of probes)
      if (
        !users.some((other) => other.sourceRoleArn === probe.sourceRoleArn && other.externalId === probe.externalId) &&
        roleChainDecision(policy, probe) !== 'implicit-deny'
      )
        problems.push(`${what} than ${user.cluster}/${user.namespace}/${user.serviceAccount}`);
  }
  return problems;
}

/** Who of `candidates` could assume the role under `policy` (allow), and who might (unknown). */
export function whoCouldAssume(policy: PolicyDocument, candidates: PodIdentityCandidate[]): { allowed: string[]; unknown: string[] } {
  const allowed: string[] = [];
  const unknown: string[] = [];
  for (const candidate of candidates) {
    const decision = podIdentityDecision(policy, candidate);
    const name = `${candidate.cluster}/${candidate.namespace}/${candidate.serviceAccount}`;
    if (decision === 'allow') allowed.push(name);
    else if (decision === 'unknown') unknown.push(name);
  }
  return { allowed, unknown };
}
