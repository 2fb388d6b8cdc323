import { CommandLine, kubeContextFlag, type ActionCommands } from '../command-kit';
import { shellQuote } from '../shell';

// `kubectl rollout restart` per workload, and a delete per opted-in bare or Job pod, one line each, in the order
// of the plan's steps. Without the workloads (a finding's suggestion on a page that did not read them), list
// the pods' owners first.
export const rollPodsCommands: ActionCommands<'roll-pods'> = {
  title: 'Restart the pods so the webhook injects the new env',
  commands(params, facts) {
    const line = new CommandLine();
    const namespace = line.value(params.namespace, 'NAMESPACE', 'the namespace of the workload');
    const kubectl = `kubectl${kubeContextFlag(facts)} -n ${namespace}`;
    const workloads = facts.workloads ?? [];
    const evicted = facts.evictedPods ?? [];
    if (workloads.length === 0 && evicted.length === 0) {
      const serviceAccount = line.value(params.serviceAccount, 'SERVICE_ACCOUNT', 'its service account');
      return line.lines(
        `${kubectl} get pods --field-selector spec.serviceAccountName=${serviceAccount} -o custom-columns=POD:.metadata.name,OWNER-KIND:.metadata.ownerReferences[0].kind,OWNER:.metadata.ownerReferences[0].name`,
        `${kubectl} rollout restart deployment/"$DEPLOYMENT"`,
      );
    }
    return line.lines(
      ...workloads.map((workload) => `${kubectl} rollout restart ${workload.kind.toLowerCase()}/${shellQuote(workload.name)}`),
      ...evicted.map((pod) => `${kubectl} delete pod ${shellQuote(pod)}  # kubectl drain evicts; delete skips PodDisruptionBudgets`),
    );
  },
};

/** The workloads a rollout restart patches for these pods (owners as collected: a ReplicaSet's Deployment). */
export function workloadsToRestart(pods: { owner: { kind: string; name: string } | null }[]): { kind: string; name: string }[] {
  const seen = new Map<string, { kind: string; name: string }>();
  for (const { owner } of pods)
    if (owner && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(owner.kind)) seen.set(`${owner.kind}/${owner.name}`, owner);
  return [...seen.values()];
}
