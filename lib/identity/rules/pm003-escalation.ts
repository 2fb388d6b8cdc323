import { evaluateAccess } from '@/lib/policy/iam-evaluator';
import { workloadIdentityOf } from '../permissions';
import { makeFinding, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PM003: the effective permissions allow `*` on `*`, or iam:*, iam:PassRole, iam:CreateAccessKey,
// iam:PutRolePolicy, iam:AttachRolePolicy or sts:AssumeRole on Resource "*": the pods can escalate to other
// identities. Asking the evaluator for the literal action and resource "*" matches exactly the statements
// whose patterns cover them (a wildcard matches a literal `*`; `iam:Get*` does not cover `iam:*`).
export const ESCALATION_ACTIONS = [
  '*',
  'iam:*',
  'iam:PassRole',
  'iam:CreateAccessKey',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'sts:AssumeRole',
];

export const pm003Escalation: ServiceAccountRule = {
  code: 'PM003',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const workload = workloadIdentityOf(ctx);
    if (workload.status !== 'known') return [];
    const granted = ESCALATION_ACTIONS.map((action) => ({
      action,
      verdict: evaluateAccess(workload.identity.session, { action, resource: '*' }),
    })).filter(({ verdict }) => verdict.decision === 'allowed');
    if (granted.length === 0) return [];
    const admin = granted.some(({ action }) => action === '*');
    return [
      makeFinding(
        'PM003',
        serviceAccountSubject(ctx),
        admin
          ? `${ctx.namespace}/${ctx.name} may do anything (* on *) as ${workload.identity.roleArn}`
          : `${ctx.namespace}/${ctx.name} may ${shortList(granted.map((g) => g.action))} on any resource: its pods can escalate to other identities`,
        {
          roleArn: workload.identity.roleArn,
          adminEquivalent: admin,
          granted: granted.map(({ action, verdict }) => ({
            action,
            resource: '*',
            statements: verdict.statements.map((s) => ({
              policy: s.policy.name,
              ...(s.policy.arn ? { arn: s.policy.arn } : {}),
              sid: s.sid ?? null,
              statement: s.index,
            })),
          })),
        },
      ),
    ];
  },
};
