import { createTwoFilesPatch } from 'diff';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { policyStatements } from '@/lib/policy/policy-document';

// The statement EKS Pod Identity needs in a role's trust policy: the service principal
// pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession
// (docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
export const POD_IDENTITY_STATEMENT_SID = 'AllowEksAuthToAssumeRoleForPodIdentity';

export function podIdentityTrustStatement(): PolicyStatement {
  return {
    Sid: POD_IDENTITY_STATEMENT_SID,
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
  };
}

/** A Sid that is unique in the policy: IAM rejects duplicate Sids in one document. */
function uniqueSid(existing: PolicyStatement[]): string {
  const taken = new Set(existing.map((s) => s.Sid).filter(Boolean));
  if (!taken.has(POD_IDENTITY_STATEMENT_SID)) return POD_IDENTITY_STATEMENT_SID;
  for (let n = 2; ; n++) if (!taken.has(`${POD_IDENTITY_STATEMENT_SID}${n}`)) return `${POD_IDENTITY_STATEMENT_SID}${n}`;
}

export interface TrustPolicyFix {
  before: PolicyDocument;
  after: PolicyDocument;
  appended: PolicyStatement;
  /** Unified diff of the pretty-printed documents, for the preview. */
  diff: string;
}

/**
 * Appends the Pod Identity statement. Never removes or edits a statement: a blocking condition elsewhere
 * stays as it is, and the appended unconditional Allow makes the role assumable (Allow statements are ORed;
 * an explicit Deny would still win, which the preflight reports).
 */
export function appendPodIdentityStatement(policy: PolicyDocument, roleName = 'role'): TrustPolicyFix {
  const existing = policyStatements(policy);
  const appended = { ...podIdentityTrustStatement(), Sid: uniqueSid(existing) };
  const after: PolicyDocument = { ...policy, Version: policy.Version ?? '2012-10-17', Statement: [...existing, appended] };
  const diff = createTwoFilesPatch(
    `${roleName} trust policy (current)`,
    `${roleName} trust policy (after)`,
    `${JSON.stringify(policy, null, 2)}\n`,
    `${JSON.stringify(after, null, 2)}\n`,
    undefined,
    undefined,
    { context: 3 },
  );
  return { before: policy, after, appended, diff };
}
