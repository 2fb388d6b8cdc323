import {
  IRSA_ENV,
  POD_IDENTITY_ENV,
  STS_REGIONAL_ENV,
  podEnv,
  workloadOf,
  type OwnerReference,
  type Pod,
  type Workload,
} from '@/lib/model/kube-objects';
import type { ActionProgressReport, RollWorkload } from '../types';

// The pure half of "roll the pods of a service account" (issue 4, action 6): which workloads to restart and
// which pods to evict, and how far a roll has come. The webhook never mutates running pods, so only new pods
// carry a changed identity (domain.md §1c; amazon-eks-pod-identity-webhook mutates on CREATE only).

export interface RollTargets {
  workloads: RollWorkload[];
  /** Pods with no controller: deleted, they do not come back. */
  barePods: string[];
  /** Pods of Jobs: evicted, the Job controller replaces them only if the Job is not complete. */
  jobPods: string[];
  /** Pods whose owner the console does not restart (e.g. a custom controller's): listed, left alone. */
  otherPods: { pod: string; owner: string }[];
}

/** Groups the service account's pods by the workload a rollout restart must patch (a ReplicaSet's Deployment). */
export function rollTargets(pods: Pod[], replicaSets: Workload[]): RollTargets {
  // A rollout restart patches a ReplicaSet's Deployment; a ReplicaSet another controller runs is left as it is.
  const deploymentOf = new Map<string, OwnerReference>();
  for (const replicaSet of replicaSets) {
    const owner = (replicaSet.metadata.ownerReferences ?? []).find((ref) => ref.controller);
    if (owner?.kind === 'Deployment') deploymentOf.set(replicaSet.metadata.name, owner);
  }
  const workloads = new Map<string, RollWorkload>();
  const targets: RollTargets = { workloads: [], barePods: [], jobPods: [], otherPods: [] };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const owner = workloadOf(pod, (ref) => (ref.kind === 'ReplicaSet' ? deploymentOf.get(ref.name) : null));
    const name = pod.metadata.name;
    if (!owner) targets.barePods.push(name);
    else if (owner.kind === 'Job') targets.jobPods.push(name);
    else if (owner.kind === 'Deployment' || owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') {
      const key = `${owner.kind}/${owner.name}`;
      const entry = workloads.get(key) ?? { kind: owner.kind, name: owner.name, pods: [] };
      entry.pods.push(name);
      workloads.set(key, entry);
    } else targets.otherPods.push({ pod: name, owner: `${owner.kind}/${owner.name}` });
  }
  targets.workloads = [...workloads.values()].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
  return targets;
}

/** What new pods should carry after the change: the credential env of the mechanism the SA now has. */
export type ExpectedEnv =
  { mechanism: 'pod-identity' } | { mechanism: 'irsa'; roleArn: string; stsRegional: boolean | null } | { mechanism: 'none' };

export function carriesExpectedEnv(pod: Pod, expected: ExpectedEnv): boolean {
  const env = podEnv(pod);
  const [roleArnEnv, tokenFileEnv] = IRSA_ENV;
  if (expected.mechanism === 'pod-identity') return env.has(POD_IDENTITY_ENV);
  if (expected.mechanism === 'irsa') {
    if (env.get(roleArnEnv) !== expected.roleArn || !env.has(tokenFileEnv)) return false;
    if (expected.stsRegional === true) return env.get(STS_REGIONAL_ENV) === 'regional';
    if (expected.stsRegional === false) return !env.has(STS_REGIONAL_ENV);
    return true;
  }
  return !env.has(POD_IDENTITY_ENV) && !env.has(roleArnEnv);
}

export function describeExpectedEnv(expected: ExpectedEnv): string {
  if (expected.mechanism === 'pod-identity') return 'AWS_CONTAINER_CREDENTIALS_FULL_URI (Pod Identity)';
  if (expected.mechanism === 'irsa')
    return `AWS_ROLE_ARN=${expected.roleArn}${expected.stsRegional === true ? ' and AWS_STS_REGIONAL_ENDPOINTS=regional' : expected.stsRegional === false ? ' without AWS_STS_REGIONAL_ENDPOINTS' : ''}`;
  return 'no AWS credential env';
}

function isReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True')
  );
}

/** Why a new pod is not ready, in the words `kubectl describe` would show. */
export function notReadyReason(pod: Pod): string {
  const waiting = (
    pod.status as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string; message?: string } } }[] } | undefined
  )?.containerStatuses?.find((status) => status.state?.waiting?.reason);
  if (waiting)
    return `pod ${pod.metadata.name}: container ${waiting.name} is waiting (${waiting.state!.waiting!.reason}${waiting.state!.waiting!.message ? `: ${waiting.state!.waiting!.message}` : ''})`;
  const condition = (pod.status?.conditions ?? []).find((c) => c.status !== 'True' && (c as { message?: string }).message);
  if (condition)
    return `pod ${pod.metadata.name}: ${condition.type} is ${condition.status} (${(condition as { message?: string }).message})`;
  return `pod ${pod.metadata.name} is ${pod.status?.phase ?? 'Pending'} and not ready`;
}

export interface RollState extends ActionProgressReport {
  withExpectedEnv: number;
  newPods: number;
  finished: boolean;
  /** New pods that are not ready (for the stuck reason). */
  notReady: Pod[];
}

/**
 * Progress of a roll: `done` of `total` original pods replaced; finished when every original pod in scope is
 * gone and every new pod is ready.
 */
export function rollState(originalPodNames: Set<string>, originalPodUids: Set<string>, current: Pod[], expected: ExpectedEnv): RollState {
  const live = current.filter(
    (pod) => !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed',
  );
  const remaining = current.filter(
    (pod) => originalPodUids.has(pod.metadata.uid ?? '') || (!pod.metadata.uid && originalPodNames.has(pod.metadata.name)),
  );
  const newPods = live.filter(
    (pod) => !originalPodUids.has(pod.metadata.uid ?? '') && !(!pod.metadata.uid && originalPodNames.has(pod.metadata.name)),
  );
  const withExpectedEnv = newPods.filter((pod) => carriesExpectedEnv(pod, expected)).length;
  const notReady = newPods.filter((pod) => !isReady(pod));
  const total = originalPodUids.size || originalPodNames.size;
  const done = Math.max(0, total - remaining.length);
  const finished = remaining.length === 0 && notReady.length === 0;
  const message = finished
    ? `All ${total} pod(s) replaced; ${withExpectedEnv} of ${newPods.length} new pod(s) carry ${describeExpectedEnv(expected)}.`
    : `${done} of ${total} pod(s) replaced; ${newPods.length - notReady.length} of ${newPods.length} new pod(s) ready, ${withExpectedEnv} carry ${describeExpectedEnv(expected)}.`;
  return { done, total, message, withExpectedEnv, newPods: newPods.length, finished, notReady };
}
