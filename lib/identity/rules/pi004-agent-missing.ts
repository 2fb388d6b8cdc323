import { AGENT_ADDON_NAME } from '../identity-facts';
import { makeFinding, plural, podEvidence, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// PI004: no eks-pod-identity-agent add-on, or no ready agent pod on a Linux EC2 node that runs pods of this
// SA. Fargate and Windows nodes are PI006's; hybrid nodes run a separate agent DaemonSet and are skipped.
export const pi004AgentMissing: ServiceAccountRule = {
  code: 'PI004',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.association || !ctx.cluster.isEks) return [];
    const subject = serviceAccountSubject(ctx);
    if (ctx.cluster.agentAddon === null) {
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
