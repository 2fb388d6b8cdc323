import type { Finding } from '@/lib/model/finding';
import { lookupRole } from '../identity-context';
import { roleNameOf } from '@/lib/model/arn';
import { associationSubject, makeFinding, type ServiceAccountRule } from '../rule-kit';

// PI001: the association's role (or target role) does not exist (IAM NoSuchEntity).
export const pi001RoleMissing: ServiceAccountRule = {
  code: 'PI001',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const a = ctx.association;
    if (!a) return [];
    const out: Finding[] = [];
    for (const [field, arn] of [
      ['roleArn', a.roleArn],
      ['targetRoleArn', a.targetRoleArn],
    ] as const) {
      if (!arn || lookupRole(ctx.fleet, arn)?.status !== 'missing') continue;
      const which = field === 'roleArn' ? 'role' : 'target role';
      out.push(
        makeFinding(
          'PI001',
          associationSubject(ctx.cluster.name, a),
          `Association ${a.associationId} (${a.namespace}/${a.serviceAccount}) names ${which} ${roleNameOf(arn)}, which does not exist`,
          { associationId: a.associationId, field, roleArn: arn, iamError: 'NoSuchEntity (GetRole)' },
          { type: 'update-association', params: { cluster: ctx.cluster.name, associationId: a.associationId } },
        ),
      );
    }
    return out;
  },
};
