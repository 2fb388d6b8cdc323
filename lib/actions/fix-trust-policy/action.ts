import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import 'server-only';
import { getRole } from '@/lib/aws/iam';
import { updateAssumeRolePolicy } from '@/lib/aws/writes';
import { parseRoleArn } from '@/lib/model/arn';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { ActionError, type ActionContext } from '../action-context';
import type { FleetState, PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { policyStatements } from '@/lib/policy/policy-document';
import { defineAction } from '../definition';
import { plainError } from '../plain-errors';
import type { ActionParams } from '../schemas';
import { fixTrustPolicyParams } from '../schemas';
import { fixTrustPolicyCommands } from './commands';
import {
  podIdentityDecision,
  roleChainDecision,
  scopeTrustPolicyToAssociations,
  whoCouldAssume,
  widerThanAssociations,
  widerThanRoleChains,
  type PodIdentityCandidate,
  type PodIdentityUser,
  type TargetRoleUser,
} from './policy-edit';
import type { ActionPlan, PreflightCheck } from '../types';

// Action 3: let the associations that use a role assume it, with statements scoped to exactly them
// (policy-edit.ts), replacing a broken Pod Identity statement rather than adding a blanket one
// (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html; issue 10). A trust policy is account-wide, so the
// fix is authorized against every service account of the fleet that uses the role, by Pod Identity (as role or
// target role) or IRSA, and only roles in accounts of configured clusters are changed. The preview is the JSON
// diff and who could assume the role before and after; apply refuses when the policy changed since the plan.

type Params = ActionParams<'fix-trust-policy'>;
type SaRef = { cluster: string; namespace: string; serviceAccount: string };

/** The association the request is about to create (create-association's trust check offers the fix with it). */
function plannedAssociation(params: Params): (SaRef & { disableSessionTags?: boolean }) | undefined {
  return params.cluster && params.namespace && params.serviceAccount
    ? {
        cluster: params.cluster,
        namespace: params.namespace,
        serviceAccount: params.serviceAccount,
        ...(params.disableSessionTags ? { disableSessionTags: true } : {}),
      }
    : undefined;
}

/**
 * The associations of the whole fleet that need the role's trust: those whose role it is (plus the planned one),
 * assumed by pods.eks.amazonaws.com, and those whose target role it is, assumed by their own role (PI012).
 */
function podIdentityUsers(
  view: FleetState,
  params: Params,
): { users: PodIdentityUser[]; chainUsers: TargetRoleUser[]; unscoped: string[] } {
  const users: PodIdentityUser[] = [];
  const chainUsers: TargetRoleUser[] = [];
  const unscoped: string[] = [];
  const planned = plannedAssociation(params);
  for (const cluster of view.clusters) {
    const all = cluster.eks?.associations ?? [];
    const associations = all
      .filter((association) => association.roleArn === params.roleArn)
      .map((association) => ({
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        ...(association.disableSessionTags ? { disableSessionTags: true } : {}),
      }));
    const chains = all.filter((association) => association.targetRoleArn === params.roleArn && association.roleArn);
    if (
      planned?.cluster === cluster.name &&
      !associations.some((a) => a.namespace === planned.namespace && a.serviceAccount === planned.serviceAccount) &&
      !chains.some((a) => a.namespace === planned.namespace && a.serviceAccount === planned.serviceAccount)
    )
      associations.push(planned);
    if (associations.length === 0 && chains.length === 0) continue;
    const facts = cluster.eks?.cluster;
    if (!facts) {
      unscoped.push(cluster.name);
      continue;
    }
    for (const association of associations)
      users.push({ cluster: cluster.name, clusterArn: facts.arn, clusterName: facts.name, account: facts.account, ...association });
    for (const association of chains)
      chainUsers.push({
        cluster: cluster.name,
        clusterArn: facts.arn,
        clusterName: facts.name,
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        sourceRoleArn: association.roleArn!,
        ...(association.externalId ? { externalId: association.externalId } : {}),
        ...(association.disableSessionTags ? { disableSessionTags: true } : {}),
      });
  }
  return { users, chainUsers, unscoped };
}

/** Every service account of the fleet that uses the role: Pod Identity (role or target role) or an IRSA annotation. */
function roleUsers(view: FleetState, roleArn: string): SaRef[] {
  const seen = new Map<string, SaRef>();
  const add = (ref: SaRef) => seen.set(`${ref.cluster}/${ref.namespace}/${ref.serviceAccount}`, ref);
  for (const cluster of view.clusters) {
    for (const association of cluster.eks?.associations ?? [])
      if (association.roleArn === roleArn || association.targetRoleArn === roleArn)
        add({ cluster: cluster.name, namespace: association.namespace, serviceAccount: association.serviceAccount });
    for (const serviceAccount of cluster.kube.serviceAccounts ?? [])
      if (serviceAccount.metadata.annotations?.[ANNOTATION_ROLE_ARN]?.trim() === roleArn)
        add({
          cluster: cluster.name,
          namespace: serviceAccount.metadata.namespace ?? 'default',
          serviceAccount: serviceAccount.metadata.name,
        });
  }
  return [...seen.values()];
}

/**
 * Whom a trust-policy fix is authorized and audited against: every service account of the fleet that uses the
 * role and the planned association, or, when there are none, the role itself (with the cluster, if named), which
 * only a cluster-wide grant covers.
 */
function targets(params: Params, view: FleetState): AuditTarget[] {
  const users = roleUsers(view, params.roleArn);
  const planned = plannedAssociation(params);
  if (
    planned &&
    !users.some((u) => u.cluster === planned.cluster && u.namespace === planned.namespace && u.serviceAccount === planned.serviceAccount)
  )
    users.push({ cluster: planned.cluster, namespace: planned.namespace, serviceAccount: planned.serviceAccount });
  return users.length > 0
    ? users.map((user) => ({ ...user, roleArn: params.roleArn }))
    : [{ roleArn: params.roleArn, ...(params.cluster ? { cluster: params.cluster } : {}) }];
}

/** The accounts of the configured EKS clusters: the only accounts whose trust policies the console changes. */
function configuredAccounts(ctx: ActionContext): string[] {
  const accounts = new Set<string>();
  for (const cluster of ctx.fleet.clusters) {
    if (cluster.eks?.cluster?.account) accounts.add(cluster.eks.cluster.account);
    else if (cluster.eks)
      try {
        const account = ctx.eks(cluster.name).account;
        if (account) accounts.add(account);
      } catch {
        // Not reachable as EKS: no account.
      }
  }
  return [...accounts].sort();
}

/** Who the preview asks about: every service account of every EKS cluster in the fleet, and every association. */
function candidatesOf(view: FleetState, users: PodIdentityUser[], limit = 5000): PodIdentityCandidate[] {
  const candidates = new Map<string, PodIdentityCandidate>();
  for (const user of users) candidates.set(`${user.clusterArn}/${user.namespace}/${user.serviceAccount}`, user);
  for (const cluster of view.clusters) {
    const facts = cluster.eks?.cluster;
    if (!facts) continue;
    for (const serviceAccount of cluster.kube.serviceAccounts ?? []) {
      if (candidates.size >= limit) return [...candidates.values()];
      const namespace = serviceAccount.metadata.namespace ?? 'default';
      const key = `${facts.arn}/${namespace}/${serviceAccount.metadata.name}`;
      if (!candidates.has(key))
        candidates.set(key, {
          cluster: cluster.name,
          clusterArn: facts.arn,
          clusterName: facts.name,
          account: facts.account,
          namespace,
          serviceAccount: serviceAccount.metadata.name,
        });
    }
  }
  return [...candidates.values()];
}

async function readRole(ctx: ActionContext, roleArn: string) {
  try {
    return await getRole(ctx.iamScopeFor(parseRoleArn(roleArn)?.account), roleArn);
  } catch (error) {
    throw new ActionError(plainError({ service: 'iam', operation: 'GetRole', permission: 'iam:GetRole' }, error));
  }
}

/** IAM's default limit on a role trust policy's size (IAM and STS quotas, "Role trust policy length"). */
const TRUST_POLICY_DEFAULT_MAX_CHARS = 2048;

const nameOf = (user: SaRef) => `${user.cluster}/${user.namespace}/${user.serviceAccount}`;
const listed = (names: string[]) => (names.length > 0 ? names.join(', ') : 'nobody');

/** The Sids the plan adds, in order: what the re-read must show. */
function addedSids(plan: ActionPlan): string[] {
  return plan.preview?.addedSids ?? [];
}

export const fixTrustPolicy = defineAction({
  kind: 'fix-trust-policy',
  ...fixTrustPolicyCommands,
  schema: fixTrustPolicyParams,
  eventReason: 'TrustPolicyFixed',
  targets,
  boundRoles: (params) => [params.roleArn],
  async plan(params, ctx) {
    const account = parseRoleArn(params.roleArn)?.account;
    const accounts = configuredAccounts(ctx);
    if (!account || !accounts.includes(account))
      throw new ActionError({
        status: 403,
        code: 'forbidden',
        message: `The console changes trust policies only of roles in accounts of configured clusters (${accounts.join(', ') || 'none'}); ${params.roleArn} is in ${account ?? 'no account'}.`,
      });
    const role = await readRole(ctx, params.roleArn);
    if (!role) throw new ActionError({ status: 404, code: 'not-found', message: `The role ${params.roleArn} does not exist.` });
    const { users, chainUsers, unscoped } = podIdentityUsers(ctx.fleet, params);
    const fix = scopeTrustPolicyToAssociations(role.trustPolicy, users, role.name, chainUsers);
    const everyone = [...users, ...chainUsers];
    const preflight: PreflightCheck[] = [];

    if (unscoped.length > 0)
      preflight.push({
        check: 'cluster-facts',
        status: 'fail',
        message: `The console could not describe ${unscoped.join(', ')}, so it does not know the cluster ARN and account to scope the statement to. Retry when DescribeCluster answers.`,
      });
    if (everyone.length === 0 && unscoped.length === 0)
      preflight.push({
        check: 'trust-policy',
        status: 'fail',
        message: `No Pod Identity association uses ${role.name}; the console scopes the trust policy to the associations that use a role, so create the association first (its trust check offers this fix for it).`,
      });
    else if (everyone.length > 0 && fix.blocked.length === 0)
      preflight.push({
        check: 'trust-policy',
        status: 'fail',
        message: `${role.name} already lets every association that uses it assume it (${everyone.map(nameOf).join(', ')}); there is nothing to fix.`,
      });
    else if (fix.blocked.length > 0)
      preflight.push({
        check: 'trust-policy',
        status: 'pass',
        message: `Today ${fix.blocked.map(nameOf).join(', ')} cannot assume ${role.name}. The new statement${fix.added.length > 1 ? 's allow' : ' allows'} exactly the associations that use it.`,
      });
    const decisionAfter = (user: PodIdentityUser | TargetRoleUser) =>
      'sourceRoleArn' in user ? roleChainDecision(fix.after, user) : podIdentityDecision(fix.after, user);
    const deniedAfter = everyone.filter((user) => decisionAfter(user) === 'explicit-deny');
    if (deniedAfter.length > 0)
      preflight.push({
        check: 'explicit-deny',
        status: 'fail',
        message: `A Deny statement still refuses ${deniedAfter.map(nameOf).join(', ')} after the change; an explicit Deny always wins. Edit the policy by hand.`,
      });
    else if (fix.blocked.length > 0) {
      // The product's own evaluator judges the result: each association allowed, nothing wider.
      const notAllowed = everyone.filter((user) => decisionAfter(user) !== 'allow');
      const wider = [...widerThanAssociations(fix.added, users), ...widerThanRoleChains(fix.added, chainUsers)];
      preflight.push(
        notAllowed.length > 0 || wider.length > 0
          ? {
              check: 'scoped-statement',
              status: 'fail',
              message: [
                notAllowed.length > 0
                  ? `The evaluator does not judge the new policy as allowing ${notAllowed.map(nameOf).join(', ')}.`
                  : '',
                wider.length > 0 ? `The new statements would allow more than the associations: ${wider.join('; ')}.` : '',
              ]
                .filter(Boolean)
                .join(' '),
            }
          : {
              check: 'scoped-statement',
              status: 'pass',
              message:
                chainUsers.length > 0
                  ? 'The evaluator judges the new policy as allowing each association, and the new statements as allowing nothing wider (another namespace, service account, cluster, account, role or external id).'
                  : 'The evaluator judges the new policy as allowing each association, and the new statements as allowing nothing wider (another namespace, service account, cluster or account).',
            },
      );
      if (users.some((user) => user.disableSessionTags))
        preflight.push({
          check: 'session-tags-off',
          status: 'warn',
          message: `Associations with session tags off (${users
            .filter((user) => user.disableSessionTags)
            .map(nameOf)
            .join(', ')}) carry no namespace or service account to match, so their statement admits any tag-less request of their cluster.`,
        });
    }
    preflight.push({
      check: 'statements-kept',
      status: 'pass',
      message:
        fix.replaced.length > 0
          ? `${fix.replaced.length} Pod Identity statement(s) that let none of the associations assume the role (${fix.replaced.map((statement) => statement.Sid ?? 'no Sid').join(', ')}) are replaced; every other statement stays as it is.`
          : 'Every existing statement stays as it is.',
    });
    const policyJson = JSON.stringify(fix.after);
    if (policyJson.length > TRUST_POLICY_DEFAULT_MAX_CHARS)
      preflight.push({
        check: 'policy-size',
        status: 'warn',
        message: `The new trust policy has ${policyJson.length} characters; IAM's default limit is ${TRUST_POLICY_DEFAULT_MAX_CHARS} (a quota increase allows more).`,
      });

    const candidates = candidatesOf(ctx.fleet, users);
    const before = whoCouldAssume(role.trustPolicy, candidates);
    const after = whoCouldAssume(fix.after, candidates);
    const first = users[0] ?? chainUsers[0] ?? plannedAssociation(params);
    const chainBefore = chainUsers.filter((user) => roleChainDecision(role.trustPolicy, user) === 'allow').map(nameOf);
    const chainAfter = chainUsers.filter((user) => decisionAfter(user) === 'allow').map(nameOf);
    return {
      type: 'fix-trust-policy',
      params: { ...params },
      targets: targets(params, ctx.fleet),
      summary: `Scope the trust policy of ${role.name} to the ${everyone.length} association(s) that use it`,
      preflight,
      steps: [
        {
          description: `Replace the trust policy of ${role.name}: ${fix.added.length} scoped statement(s) added${fix.replaced.length ? `, ${fix.replaced.length} broken one(s) removed` : ''}`,
          request: {
            service: 'iam',
            operation: 'UpdateAssumeRolePolicy',
            method: 'POST',
            body: { RoleName: role.name, PolicyDocument: fix.after },
          },
          cli: fixTrustPolicyCommands.commands(params, { policyDocument: fix.after }).join('\n'),
        },
      ],
      terraform: [`# The aws_iam_role for ${role.name}:`, `assume_role_policy = jsonencode(${JSON.stringify(fix.after, null, 2)})`].join(
        '\n',
      ),
      preview: {
        trustPolicyDiff: fix.diff,
        assumableBy: { before: before.allowed, after: after.allowed, unknownBefore: before.unknown, unknownAfter: after.unknown },
        addedSids: fix.added.map((statement) => statement.Sid!),
        notes: [
          `Who could assume ${role.name} through Pod Identity, among the ${candidates.length} service accounts of the fleet's EKS clusters: before ${listed(before.allowed)}; after ${listed(after.allowed)}.`,
          ...(chainUsers.length > 0
            ? [
                `Associations that chain into ${role.name} as their target role (through their own role, with their external id): before ${listed(chainBefore)}; after ${listed(chainAfter)}.`,
              ]
            : []),
          ...(before.unknown.length + after.unknown.length > 0
            ? [
                `Not judgeable (conditions on facts the console cannot know): before ${listed(before.unknown)}; after ${listed(after.unknown)}.`,
              ]
            : []),
        ],
      },
      ...(first
        ? {
            followUp: {
              type: 'roll-pods' as const,
              params: { cluster: first.cluster, namespace: first.namespace, serviceAccount: first.serviceAccount },
            },
          }
        : {}),
    };
  },
  async apply(params, plan, ctx) {
    const planned = plan.steps[0].request.body as { PolicyDocument: unknown };
    const role = await readRole(ctx, params.roleArn);
    if (!role) throw new ActionError({ status: 404, code: 'not-found', message: `The role ${params.roleArn} no longer exists.` });
    // Re-derive from the policy as it is now; if someone changed it since the plan, stop rather than overwrite.
    const { users, chainUsers } = podIdentityUsers(ctx.fleet, params);
    const fix = scopeTrustPolicyToAssociations(role.trustPolicy, users, role.name, chainUsers);
    if (JSON.stringify(fix.after) !== JSON.stringify(planned.PolicyDocument))
      throw new ActionError({
        status: 409,
        code: 'conflict',
        message: `The trust policy of ${role.name} changed since the plan was made; nothing was written. Plan again to see the new diff.`,
      });
    const scope = ctx.iamScopeFor(parseRoleArn(params.roleArn)?.account);
    try {
      await updateAssumeRolePolicy(scope, params.roleArn, fix.after);
    } catch (error) {
      throw new ActionError(
        plainError({ service: 'iam', operation: 'UpdateAssumeRolePolicy', permission: 'iam:UpdateAssumeRolePolicy' }, error),
      );
    }
    return {
      status: 'written',
      read: async () => {
        const current = await getRole(scope, params.roleArn);
        if (!current) throw new Error(`GetRole says ${params.roleArn} does not exist`);
        return current;
      },
    };
  },
  // The policy IAM returns is the planned one: every added statement there, every replaced one gone.
  verified: (role, _params, plan) => {
    const planned = (plan.steps[0].request.body as { PolicyDocument: PolicyDocument }).PolicyDocument;
    const key = (statements: PolicyStatement[]) => statements.map((statement) => JSON.stringify(statement)).sort();
    return JSON.stringify(key(policyStatements(role.trustPolicy))) === JSON.stringify(key(policyStatements(planned)));
  },
  result: (_role, params, plan) => ({ roleArn: params.roleArn, addedSids: addedSids(plan) }),
  describe: (role) =>
    `a trust policy of ${policyStatements(role.trustPolicy).length} statement(s) (Sids: ${policyStatements(role.trustPolicy)
      .map((statement) => statement.Sid ?? '-')
      .join(', ')})`,
});
