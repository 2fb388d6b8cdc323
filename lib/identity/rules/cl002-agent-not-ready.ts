import { makeFinding, type ClusterRule } from '../rule-kit';

// CL002: the agent DaemonSet has fewer ready pods than desired.
export const cl002AgentNotReady: ClusterRule = {
  code: 'CL002',
  scope: 'cluster',
  evaluate(ctx) {
    const ds = ctx.state.kube.agentDaemonSet;
    const desired = ds?.status?.desiredNumberScheduled;
    const ready = ds?.status?.numberReady ?? 0;
    if (!ds || desired === undefined || ready >= desired) return [];
    const notReadyNodes =
      ctx.state.kube.agentPods && ctx.agentReadyNodes
        ? [...new Set(ctx.state.kube.agentPods.map((p) => p.spec.nodeName).filter((n): n is string => !!n && !ctx.agentReadyNodes!.has(n)))]
        : null;
    return [
      makeFinding(
        'CL002',
        { kind: 'cluster', cluster: ctx.name },
        `Pod Identity agent DaemonSet in cluster ${ctx.name} has ${ready} of ${desired} pods ready`,
        {
          daemonSet: `${ds.metadata.namespace ?? 'kube-system'}/${ds.metadata.name}`,
          desired,
          ready,
          nodesWithUnreadyAgent: notReadyNodes,
        },
      ),
    ];
  },
};
