import { CommandLine, eksCommand, type ActionCommands } from '../command-kit';
import { shellQuote } from '../shell';

// aws eks update-pod-identity-association (AWS CLI reference). A suggestion that names no change (PI001: the
// role is gone) asks for the role to switch to.
export const updateAssociationCommands: ActionCommands<'update-association'> = {
  title: 'Update the association',
  commands(params, facts) {
    const line = new CommandLine();
    const command = eksCommand(line, 'update-pod-identity-association', params, facts);
    const associationId = line.value(params.associationId, 'ASSOCIATION_ID', 'the association to change');
    const changesNothing =
      params.roleArn === undefined &&
      params.targetRoleArn === undefined &&
      params.disableSessionTags === undefined &&
      params.policy === undefined;
    const roleArn = changesNothing ? line.value(undefined, 'ROLE_ARN', 'an existing role that trusts pods.eks.amazonaws.com') : undefined;
    return line.lines(
      [
        `${command} --association-id ${associationId}`,
        ...(roleArn ? [`--role-arn ${roleArn}`] : []),
        ...(params.roleArn !== undefined ? [`--role-arn ${shellQuote(params.roleArn)}`] : []),
        ...(params.targetRoleArn !== undefined ? [`--target-role-arn ${shellQuote(params.targetRoleArn ?? '')}`] : []),
        ...(params.disableSessionTags !== undefined
          ? [params.disableSessionTags ? '--disable-session-tags' : '--no-disable-session-tags']
          : []),
        // An empty policy removes the session policy, as an empty target role ARN removes the target role.
        ...(params.policy !== undefined ? [`--policy ${shellQuote(params.policy ?? '')}`] : []),
        ...(facts.clientRequestToken ? [`--client-request-token ${facts.clientRequestToken}`] : []),
      ].join(' \\\n  '),
    );
  },
};
