import { roleNameOf } from '@/lib/model/arn';
import { CommandLine, type ActionCommands } from '../command-kit';
import { shellQuote } from '../shell';
import { podIdentityTrustStatement } from './statement';

// aws iam update-assume-role-policy (AWS CLI reference). With the new document known (a plan), one command
// writes it; without it (a finding's suggestion), read the policy, add a scoped statement, write it back.
export const fixTrustPolicyCommands: ActionCommands<'fix-trust-policy'> = {
  title: 'Add the Pod Identity statement to the trust policy',
  commands(params, facts) {
    const line = new CommandLine();
    const roleName = line.value(params.roleArn ? roleNameOf(params.roleArn) : undefined, 'ROLE_NAME', 'the role to fix');
    if (facts.policyDocument !== undefined)
      return line.lines(
        `aws iam update-assume-role-policy --role-name ${roleName} --policy-document ${shellQuote(JSON.stringify(facts.policyDocument))}`,
      );
    // Without a Sid: the user's policy may use it already (IAM rejects duplicate Sids). Scoped, never blanket:
    // the placeholders are the association's account, cluster ARN, namespace and service account.
    const statement = { ...podIdentityTrustStatement(), Sid: undefined };
    return line.lines(
      `aws iam get-role --role-name ${roleName} --query Role.AssumeRolePolicyDocument > trust-policy.json`,
      `# add to "Statement", with your association's values for the placeholders: ${JSON.stringify(statement)}`,
      `aws iam update-assume-role-policy --role-name ${roleName} --policy-document file://trust-policy.json`,
    );
  },
};
