import { CommandLine, eksCommand, type ActionCommands } from '../command-kit';
import { shellQuote } from '../shell';

// aws eks create-pod-identity-association (AWS CLI reference).
export const createAssociationCommands: ActionCommands<'create-association'> = {
  title: 'Create a Pod Identity association',
  commands(params, facts) {
    const line = new CommandLine();
    const command = eksCommand(line, 'create-pod-identity-association', params, facts);
    const namespace = line.value(params.namespace, 'NAMESPACE', 'the namespace of the workload');
    const serviceAccount = line.value(params.serviceAccount, 'SERVICE_ACCOUNT', 'its service account');
    const roleArn = line.value(params.roleArn, 'ROLE_ARN', 'a role that trusts pods.eks.amazonaws.com');
    return line.lines(
      [
        command,
        `--namespace ${namespace} --service-account ${serviceAccount}`,
        `--role-arn ${roleArn}`,
        ...(params.targetRoleArn ? [`--target-role-arn ${shellQuote(params.targetRoleArn)}`] : []),
        ...(params.disableSessionTags ? ['--disable-session-tags'] : []),
        ...(params.policy ? [`--policy ${shellQuote(params.policy)}`] : []),
        ...(facts.clientRequestToken ? [`--client-request-token ${facts.clientRequestToken}`] : []),
      ].join(' \\\n  '),
    );
  },
};
