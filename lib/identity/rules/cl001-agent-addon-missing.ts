import { AGENT_ADDON_NAME } from '../identity-facts';
import { makeFinding, type ClusterRule } from '../rule-kit';

// CL001: the cluster has associations but no eks-pod-identity-agent add-on, and it is not an EKS Auto Mode
// cluster (DescribeCluster computeConfig.enabled), whose nodes have the agent built in. Unknown Auto Mode
// (DescribeCluster failed) is missing input: the rule stays silent. A cluster that mixes Auto Mode and other
// nodes fires PI004 per SA instead.
export const cl001AgentAddonMissing: ClusterRule = {
  code: 'CL001',
  scope: 'cluster',
  evaluate(ctx) {
    if (!ctx.isEks || ctx.agentAddon !== null || !ctx.associations || ctx.associations.length === 0) return [];
    if (!ctx.eks || ctx.eks.autoMode === true) return [];
    return [
      makeFinding(
        'CL001',
        { kind: 'cluster', cluster: ctx.name },
        `Cluster ${ctx.name} has ${ctx.associations.length} Pod Identity associations but no ${AGENT_ADDON_NAME} add-on`,
        {
          associationCount: ctx.associations.length,
          addons: (ctx.state.eks?.addons ?? []).map((a) => a.name),
          autoMode: ctx.eks.autoMode ?? false,
        },
      ),
    ];
  },
};
