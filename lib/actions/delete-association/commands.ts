import { CommandLine, eksCommand, type ActionCommands } from '../command-kit';

// aws eks delete-pod-identity-association (AWS CLI reference).
export const deleteAssociationCommands: ActionCommands<'delete-association'> = {
  title: 'Delete the association',
  commands(params, facts) {
    const line = new CommandLine();
    const command = eksCommand(line, 'delete-pod-identity-association', params, facts);
    const associationId = line.value(params.associationId, 'ASSOCIATION_ID', 'the association to delete');
    return line.lines(`${command} --association-id ${associationId}`);
  },
};
