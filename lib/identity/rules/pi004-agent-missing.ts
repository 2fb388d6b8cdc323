import { AGENT_ADDON_NAME } from '../identity-facts';
import { makeFinding, plural, podEvidence, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PI004: no eks-pod-identity-agent add-on, or no ready agent pod on a Linux EC2 node that runs pods of this
// SA. EKS Auto Mode nodes (eks.amazonaws.com/compute-type=auto) have the agent built in and never count;
// Fargate and Windows nodes are PI006's; hybrid nodes run a separate agent DaemonSet and are skipped.
export const pi004AgentMissing: ServiceAccountRule = {
  code: 'PI004',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.association || !ctx.cluster.isEks) return [];
    const subject = serviceAccountSubject(ctx);
    if (ctx.cluster.agentAddon === null) {
      // On an Auto Mode cluster only the pods on other (non-Auto) Linux EC2 nodes lack an agent.
      if (ctx.cluster.eks === null || ctx.cluster.eks.autoMode === true) {
        if (!ctx.pods) return [];
        const uncovered = ctx.pods.filter((p) => p.nodeName && p.nodeKind === 'linux-ec2');
        // With Auto Mode unknown (DescribeCluster failed) and no pod on a non-Auto node, nothing is known to fail.
        if (uncovered.length === 0) return [];
        const nodes = [...new Set(uncovered.map((p) => p.nodeName!))];
        return [
          makeFinding(
            'PI004',
            subject,
            `No ${AGENT_ADDON_NAME} add-on, and ${plural(nodes.length, 'node')} running pods of ${ctx.namespace}/${ctx.name} ${nodes.length === 1 ? 'is' : 'are'} not EKS Auto Mode nodes: ${shortList(nodes)}`,
            {
              addons: (ctx.cluster.state.eks?.addons ?? []).map((a) => a.name),
              autoMode: ctx.cluster.eks?.autoMode ?? 'unknown',
              nodesWithoutAgent: nodes,
              pods: uncovered.map((p) => podEvidence(p)),
              associationId: ctx.association.associationId,
            },
          ),
        ];
      }
      return [
        makeFinding(
          'PI004',
          subject,
          `Cluster ${ctx.cluster.name} has no ${AGENT_ADDON_NAME} add-on: pods of ${ctx.namespace}/${ctx.name} cannot get Pod Identity credentials`,
          {
            addons: (ctx.cluster.state.eks?.addons ?? []).map((a) => a.name),
            associationId: ctx.association.associationId,
          },
        ),
      ];
    }
    if (ctx.cluster.agentAddon === undefined || !ctx.cluster.agentReadyNodes || !ctx.pods) return [];
    const ready = ctx.cluster.agentReadyNodes;
    const uncovered = ctx.pods.filter((p) => p.nodeName && p.nodeKind === 'linux-ec2' && !ready.has(p.nodeName));
    if (uncovered.length === 0) return [];
    const nodes = [...new Set(uncovered.map((p) => p.nodeName!))];
    return [
      makeFinding(
        'PI004',
        subject,
        `No ready ${AGENT_ADDON_NAME} pod on ${plural(nodes.length, 'node')} running pods of ${ctx.namespace}/${ctx.name}: ${shortList(nodes)}`,
        {
          nodesWithoutReadyAgent: nodes,
          pods: uncovered.map((p) => podEvidence(p)),
          agentDaemonSet: 'kube-system/eks-pod-identity-agent',
        },
      ),
    ];
  },
};
