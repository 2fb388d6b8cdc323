import { createHash } from 'node:crypto';
import { scopeTrustPolicyToAssociations } from '@/lib/actions/fix-trust-policy/policy-edit';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { asArray, policyStatements } from '@/lib/policy/policy-document';
import { evaluateTrustPolicy } from '@/lib/policy/policy-evaluator';
import { podIdentityRequestContext } from '@/lib/policy/request-contexts';
import { hclString } from '@/lib/actions/shell';

// The trust-policy edits of a migration (issue 15 step 1 and 5), pure. Step 1 appends the statement Pod Identity
// needs (the fix-trust-policy action's statement), scoped to this one association: aws:SourceArn = the cluster
// (AUG pod-id-role, confused-deputy example) and the namespace/service-account session tags EKS passes
// (AUG pod-id-abac). The IRSA statement stays, so pods not yet rolled keep working. Its Sid is derived from the
// association, so a re-run finds it (idempotent) and a rollback removes exactly it.

export interface MigrationSubject {
  clusterArn: string;
  clusterName: string;
  clusterAccount: string;
  namespace: string;
  serviceAccount: string;
}

/** IAM Sids are alphanumeric; this one names the association it is for. */
export function migrationStatementSid(subject: MigrationSubject): string {
  const digest = createHash('sha256').update(`${subject.clusterArn}/${subject.namespace}/${subject.serviceAccount}`).digest('hex');
  return `PodIdentityMigration${digest.slice(0, 16)}`;
}

export function scopedPodIdentityStatement(subject: MigrationSubject, options: { restrict: boolean }): PolicyStatement {
  const sid = migrationStatementSid(subject);
  if (!options.restrict)
    return { Sid: sid, Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] };
  // The fix-trust-policy action's scoped statement for exactly this association, under the migration's own Sid.
  const [statement] = scopeTrustPolicyToAssociations({ Version: '2012-10-17', Statement: [] }, [
    {
      cluster: subject.clusterName,
      clusterArn: subject.clusterArn,
      clusterName: subject.clusterName,
      account: subject.clusterAccount,
      namespace: subject.namespace,
      serviceAccount: subject.serviceAccount,
    },
  ]).added;
  return { ...statement, Sid: sid };
}

/** Whether EKS Pod Identity may assume the role and tag the session for this service account, as the policy stands. */
export function trustsPodIdentity(policy: PolicyDocument, subject: MigrationSubject): boolean {
  return ['sts:AssumeRole', 'sts:TagSession'].every(
    (action) =>
      evaluateTrustPolicy(
        policy,
        podIdentityRequestContext({
          action,
          clusterArn: subject.clusterArn,
          clusterName: subject.clusterName,
          clusterAccount: subject.clusterAccount,
          namespace: subject.namespace,
          serviceAccount: subject.serviceAccount,
        }),
      ).decision === 'allow',
  );
}

export function hasStatement(policy: PolicyDocument, sid: string): boolean {
  return policyStatements(policy).some((statement) => statement.Sid === sid);
}

export function withStatement(policy: PolicyDocument, statement: PolicyStatement): PolicyDocument {
  return { ...policy, Version: policy.Version ?? '2012-10-17', Statement: [...policyStatements(policy), statement] };
}

export function withoutStatements(policy: PolicyDocument, drop: (statement: PolicyStatement) => boolean): PolicyDocument {
  return { ...policy, Statement: policyStatements(policy).filter((statement) => !drop(statement)) };
}

/**
 * The web-identity statements that serve only this service account: principal the cluster's OIDC provider,
 * and a `sub` condition naming exactly it. A statement that also admits others (a wildcard, a list) stays.
 */
export function oidcStatementsOnlyFor(
  policy: PolicyDocument,
  request: { providerArn: string; issuer: string; namespace: string; serviceAccount: string },
): PolicyStatement[] {
  const sub = `system:serviceaccount:${request.namespace}:${request.serviceAccount}`;
  return policyStatements(policy).filter((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const principal = statement.Principal;
    const federated = typeof principal === 'object' && principal && 'Federated' in principal ? asArray(principal.Federated) : [];
    if (!federated.includes(request.providerArn)) return false;
    const subs = Object.values(statement.Condition ?? {}).flatMap((keys) =>
      Object.entries(keys)
        .filter(([key]) => key === `${request.issuer}:sub`)
        .flatMap(([, value]) => asArray(value).map(String)),
    );
    return subs.length === 1 && subs[0] === sub;
  });
}

/** The statement as a Terraform `statement` block of an aws_iam_policy_document (hashicorp/aws provider). */
export function statementTerraform(statement: PolicyStatement): string {
  const lines = [
    'statement {',
    `  sid     = ${hclString(statement.Sid ?? '')}`,
    '  effect  = "Allow"',
    `  actions = [${asArray(statement.Action)
      .map((action) => hclString(String(action)))
      .join(', ')}]`,
    '  principals {',
    '    type        = "Service"',
    '    identifiers = ["pods.eks.amazonaws.com"]',
    '  }',
  ];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {}))
    for (const [key, value] of Object.entries(keys))
      lines.push(
        '  condition {',
        `    test     = ${hclString(operator)}`,
        `    variable = ${hclString(key)}`,
        `    values   = [${asArray(value)
          .map((v) => hclString(String(v)))
          .join(', ')}]`,
        '  }',
      );
  lines.push('}');
  return lines.join('\n');
}
