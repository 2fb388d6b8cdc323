import 'server-only';
import { getRole } from '@/lib/aws/iam';
import { updateAssumeRolePolicy } from '@/lib/aws/writes';
import { parseRoleArn } from '@/lib/model/arn';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { evaluateTrustPolicy, explainDecision } from '@/lib/policy/policy-evaluator';
import { podIdentityRequestContext } from '@/lib/policy/request-contexts';
import { ActionError, type ActionContext } from '../action-context';
import type { FleetState, PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { policyStatements } from '@/lib/policy/policy-document';
import { defineAction } from '../definition';
import { plainError } from '../plain-errors';
import { fixTrustPolicyParams } from '../schemas';
import { fixTrustPolicyCommands } from './commands';
import { POD_IDENTITY_STATEMENT_SID, appendPodIdentityStatement } from './policy-edit';
import type { ActionPlan, PreflightCheck } from '../types';

// Action 3: append the statement Pod Identity needs to a role's trust policy, never removing one
// (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html). The preview is a JSON diff; apply refuses when
// the policy changed since the plan was made.

/** The service accounts (in `cluster`, when given) whose associations use the role: who the change is for. */
function associationUsers(
  view: FleetState,
  roleArn: string,
  cluster?: string,
): { cluster: string; namespace: string; serviceAccount: string }[] {
  return view.clusters
    .filter((candidate) => !cluster || candidate.name === cluster)
    .flatMap((candidate) =>
      (candidate.eks?.associations ?? [])
        .filter((association) => association.roleArn === roleArn)
        .map((association) => ({ cluster: candidate.name, namespace: association.namespace, serviceAccount: association.serviceAccount })),
    );
}

/**
 * Whom a trust-policy fix is authorized and audited against: every service account using the role, or, when
 * none does yet, the role itself (with the cluster, if named), which only a wider grant covers.
 */
function targets(params: { roleArn: string; cluster?: string }, view: FleetState): AuditTarget[] {
  const { roleArn, cluster } = params;
  const users = associationUsers(view, roleArn, cluster);
  return users.length > 0 ? users.map((user) => ({ ...user, roleArn })) : [{ roleArn, ...(cluster ? { cluster } : {}) }];
}

async function readRole(ctx: ActionContext, roleArn: string) {
  try {
    return await getRole(ctx.iamScopeFor(parseRoleArn(roleArn)?.account), roleArn);
  } catch (error) {
    throw new ActionError(plainError({ service: 'iam', operation: 'GetRole', permission: 'iam:GetRole' }, error));
  }
}

/** The statement the plan appends: the last of the document it writes. */
function appendedStatement(plan: ActionPlan): PolicyStatement {
  return policyStatements((plan.steps[0].request.body as { PolicyDocument: PolicyDocument }).PolicyDocument).at(-1)!;
}

export const fixTrustPolicy = defineAction({
  kind: 'fix-trust-policy',
  ...fixTrustPolicyCommands,
  schema: fixTrustPolicyParams,
  eventReason: 'TrustPolicyFixed',
  targets,
  boundRoles: (params) => [params.roleArn],
  async plan(params, ctx) {
    const role = await readRole(ctx, params.roleArn);
    if (!role) throw new ActionError({ status: 404, code: 'not-found', message: `The role ${params.roleArn} does not exist.` });
    const users = associationUsers(ctx.fleet, params.roleArn, params.cluster);
    const fix = appendPodIdentityStatement(role.trustPolicy, role.name);

    // Judge the current policy for each service account that uses it (or for the cluster in general).
    const subjects =
      users.length > 0 ? users : params.cluster ? [{ cluster: params.cluster, namespace: undefined, serviceAccount: undefined }] : [];
    const blocked: string[] = [];
    let explicitDeny = false;
    for (const subject of subjects) {
      const eks = ctx.cluster(subject.cluster).eks;
      if (!eks) continue;
      for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
        const request = {
          action,
          clusterArn: eks.arn,
          clusterName: eks.name,
          clusterAccount: eks.account,
          namespace: subject.namespace,
          serviceAccount: subject.serviceAccount,
        };
        const before = evaluateTrustPolicy(role.trustPolicy, podIdentityRequestContext(request));
        if (before.decision !== 'allow')
          blocked.push(
            `${subject.namespace ? `${subject.namespace}/${subject.serviceAccount}` : subject.cluster}: ${action} ${explainDecision(before)}`,
          );
        if (evaluateTrustPolicy(fix.after, podIdentityRequestContext(request)).decision === 'explicit-deny') explicitDeny = true;
      }
    }
    const preflight: PreflightCheck[] = [];
    if (subjects.length > 0 && blocked.length === 0)
      preflight.push({
        check: 'trust-policy',
        status: 'fail',
        message: `${role.name} already lets EKS Pod Identity assume it and tag the session${users.length ? ` for ${users.map((u) => `${u.namespace}/${u.serviceAccount}`).join(', ')}` : ''}; there is nothing to fix.`,
      });
    else if (blocked.length > 0)
      preflight.push({
        check: 'trust-policy',
        status: 'pass',
        message: `Today the policy fails: ${blocked.join('; ')}. The appended statement allows both actions.`,
      });
    else
      preflight.push({
        check: 'trust-policy',
        status: 'pass',
        message: `No association uses ${role.name} yet; the appended statement lets EKS Pod Identity assume it.`,
      });
    if (explicitDeny)
      preflight.push({
        check: 'explicit-deny',
        status: 'fail',
        message: 'A Deny statement in the policy still applies after the change; an explicit Deny always wins. Edit the policy by hand.',
      });
    const existingSid = policyStatements(role.trustPolicy).some((statement) => statement.Sid === POD_IDENTITY_STATEMENT_SID);
    preflight.push({
      check: 'statements-kept',
      status: 'pass',
      message: `Every existing statement stays as it is; one statement${existingSid ? ` (${fix.appended.Sid}, since ${POD_IDENTITY_STATEMENT_SID} is taken)` : ''} is appended.`,
    });

    return {
      type: 'fix-trust-policy',
      params: { ...params },
      targets: targets(params, ctx.fleet),
      summary: `Append the Pod Identity statement to the trust policy of ${role.name}`,
      preflight,
      steps: [
        {
          description: `Replace the trust policy of ${role.name} with the current one plus the Pod Identity statement`,
          request: {
            service: 'iam',
            operation: 'UpdateAssumeRolePolicy',
            method: 'POST',
            body: { RoleName: role.name, PolicyDocument: fix.after },
          },
          cli: fixTrustPolicyCommands.commands(params, { policyDocument: fix.after }).join('\n'),
        },
      ],
      terraform: [
        `# In the aws_iam_role for ${role.name}, add this statement to assume_role_policy:`,
        'statement {',
        `  sid     = ${JSON.stringify(fix.appended.Sid)}`,
        '  effect  = "Allow"',
        '  actions = ["sts:AssumeRole", "sts:TagSession"]',
        '  principals {',
        '    type        = "Service"',
        '    identifiers = ["pods.eks.amazonaws.com"]',
        '  }',
        '}',
      ].join('\n'),
      preview: { trustPolicyDiff: fix.diff },
      ...(users[0] ? { followUp: { type: 'roll-pods' as const, params: users[0] } } : {}),
    };
  },
  async apply(params, plan, ctx) {
    const planned = plan.steps[0].request.body as { PolicyDocument: unknown };
    const role = await readRole(ctx, params.roleArn);
    if (!role) throw new ActionError({ status: 404, code: 'not-found', message: `The role ${params.roleArn} no longer exists.` });
    // Re-derive from the policy as it is now; if someone changed it since the plan, stop rather than overwrite.
    const fix = appendPodIdentityStatement(role.trustPolicy, role.name);
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
  // The appended statement, as planned, is in the policy IAM returns.
  verified: (role, _params, plan) => {
    const appended = JSON.stringify(appendedStatement(plan));
    return policyStatements(role.trustPolicy).some((statement) => JSON.stringify(statement) === appended);
  },
  result: (_role, params, plan) => ({ roleArn: params.roleArn, appendedSid: appendedStatement(plan).Sid }),
  describe: (role) =>
    `a trust policy of ${policyStatements(role.trustPolicy).length} statement(s) (Sids: ${policyStatements(role.trustPolicy)
      .map((statement) => statement.Sid ?? '-')
      .join(', ')})`,
});
