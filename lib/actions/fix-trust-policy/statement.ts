import type { PolicyStatement } from '@/lib/model/cluster-state';
import { POD_IDENTITY_SERVICE_PRINCIPAL } from '@/lib/policy/request-contexts';

// The Pod Identity trust statement's Sid and the scoped statement a finding's copyable suggestion shows. Kept apart
// from policy-edit.ts (which evaluates policies): the suggestion commands reach the browser.
export const POD_IDENTITY_STATEMENT_SID = 'AllowEksAuthToAssumeRoleForPodIdentity';
/** The Sid of a target role's statement for the association roles that chain into it. */
export const ROLE_CHAIN_STATEMENT_SID = 'AllowPodIdentityRoleChain';

/**
 * The statement for the copyable suggestion of a finding, where the associations are not known: scoped with
 * placeholders the user fills in, never a blanket Allow.
 */
export function podIdentityTrustStatement(): PolicyStatement {
  return {
    Sid: POD_IDENTITY_STATEMENT_SID,
    Effect: 'Allow',
    Principal: { Service: POD_IDENTITY_SERVICE_PRINCIPAL },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:SourceAccount': 'ACCOUNT_ID',
        'aws:RequestTag/eks-cluster-arn': 'CLUSTER_ARN',
        'aws:RequestTag/kubernetes-namespace': 'NAMESPACE',
        'aws:RequestTag/kubernetes-service-account': 'SERVICE_ACCOUNT',
      },
      ArnEquals: { 'aws:SourceArn': 'CLUSTER_ARN' },
    },
  };
}
