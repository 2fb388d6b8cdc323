import { awsRegionFlag, CommandLine, type ActionCommands } from '../command-kit';

// aws eks delete-pod-identity-association (AWS CLI reference).
export const deleteAssociationCommands: ActionCommands<'delete-association'> = {
  title: 'Delete the association',
  commands(params, facts) {
    const line = new CommandLine();
    const clusterName = line.value(facts.eksClusterName ?? params.cluster, 'CLUSTER', 'the EKS cluster name');
    const associationId = line.value(params.associationId, 'ASSOCIATION_ID', 'the association to delete');
    return line.lines(
      `aws eks delete-pod-identity-association${awsRegionFlag(facts)} --cluster-name ${clusterName} --association-id ${associationId}`,
    );
  },
};
