import { POD_IDENTITY_SESSION_TAGS } from '@/lib/policy/request-contexts';
import { variableKeys } from '@/lib/policy/policy-variables';
import { asArray, identityStatements, workloadIdentityOf } from '../permissions';
import { makeFinding, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PM002: an identity or session policy of the role tests an EKS session tag (aws:PrincipalTag/kubernetes-namespace…,
// as a condition key or a ${aws:PrincipalTag/…} variable) while the association sets disableSessionTags: the
// session carries no such tag, so those tests never match (AUG pod-id-abac).

const TAG_KEYS = new Set(POD_IDENTITY_SESSION_TAGS.map((tag) => `aws:principaltag/${tag}`));

function testedTags(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const key of variableKeys(v)) if (TAG_KEYS.has(key.toLowerCase())) found.push(key);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

export const pm002SessionTagsDisabled: ServiceAccountRule = {
  code: 'PM002',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.association || ctx.association.disableSessionTags !== true) return [];
    const workload = workloadIdentityOf(ctx);
    if (workload.status !== 'known') return [];
    const tests: { policy: string; kind: string; statement: number; sid: string | null; tests: string[] }[] = [];
    for (const { policy, statement, index } of identityStatements(workload.identity)) {
      const keys = new Set<string>();
      for (const block of Object.values(statement.Condition ?? {}))
        for (const [key, values] of Object.entries(block ?? {})) {
          if (TAG_KEYS.has(key.toLowerCase())) keys.add(key);
          for (const k of testedTags(asArray(values))) keys.add(`\${${k}}`);
        }
      for (const k of testedTags([statement.Resource, statement.NotResource])) keys.add(`\${${k}}`);
      if (keys.size > 0)
        tests.push({ policy: policy.name, kind: policy.kind, statement: index, sid: statement.Sid ?? null, tests: [...keys] });
    }
    if (tests.length === 0) return [];
    return [
      makeFinding(
        'PM002',
        serviceAccountSubject(ctx),
        `Policies of ${workload.identity.roleArn} test EKS session tags (${shortList([...new Set(tests.flatMap((t) => t.tests))])}) but the association disables session tags`,
        { associationId: ctx.association.associationId, disableSessionTags: true, roleArn: workload.identity.roleArn, statements: tests },
        {
          type: 'update-association',
          params: { cluster: ctx.cluster.name, associationId: ctx.association.associationId, disableSessionTags: false },
        },
      ),
    ];
  },
};
