import { knownNeedsOf } from '../known-needs';
import { evaluateWorkloadAccess, workloadIdentityOf } from '../permissions';
import { makeFinding, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PM001: a workload cannot do what it is known to need (known-needs.ts). Fires only on a verdict the console
// is sure of (explicit or implicit deny over every policy it could read); unknown stays silent.
export const pm001KnownNeedDenied: ServiceAccountRule = {
  code: 'PM001',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const needs = knownNeedsOf(ctx);
    if (needs.length === 0) return [];
    const workload = workloadIdentityOf(ctx);
    if (workload.status !== 'known') return [];
    const denied = needs
      .map((need) => ({ need, verdict: evaluateWorkloadAccess(ctx.fleet, workload.identity, need) }))
      .filter(({ verdict }) => verdict.decision === 'explicit-deny' || verdict.decision === 'implicit-deny');
    if (denied.length === 0) return [];
    const actions = [...new Set(denied.map(({ need }) => need.action))];
    return [
      makeFinding(
        'PM001',
        serviceAccountSubject(ctx),
        `${ctx.namespace}/${ctx.name} may not ${shortList(actions)} for ${denied[0].need.why}`,
        {
          roleArn: workload.identity.roleArn,
          mechanism: workload.identity.mechanism,
          denied: denied.map(({ need, verdict }) => ({
            action: need.action,
            resource: need.resource,
            ...(need.context ? { context: need.context } : {}),
            why: need.why,
            decision: verdict.decision,
            deniedBy:
              verdict.decision === 'explicit-deny'
                ? verdict.statements.map((s) => ({
                    policy: s.policy.name,
                    ...(s.policy.arn ? { arn: s.policy.arn } : {}),
                    sid: s.sid ?? null,
                    statement: s.index,
                  }))
                : 'no statement allows it',
            reasons: verdict.reasons,
          })),
          policies: denied[0].verdict.policies,
          caveat: denied[0].verdict.caveats[0],
        },
      ),
    ];
  },
};
