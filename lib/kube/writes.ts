import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { KubeObject, Pod, ServiceAccount, Workload } from '@/lib/model/kube-objects';
import { kubeGet, kubeListAll, kubeRequest } from './client';

// The writes the guided actions make, and the fresh reads they need around them (never through the collect
// cache: a plan and a verification must see the cluster as it is now).

const MERGE_PATCH = 'application/merge-patch+json';

const workloadPaths: Record<string, string> = {
  Deployment: 'apis/apps/v1/namespaces/{ns}/deployments',
  StatefulSet: 'apis/apps/v1/namespaces/{ns}/statefulsets',
  DaemonSet: 'apis/apps/v1/namespaces/{ns}/daemonsets',
  ReplicaSet: 'apis/apps/v1/namespaces/{ns}/replicasets',
  Job: 'apis/batch/v1/namespaces/{ns}/jobs',
};

export function workloadPath(kind: string, namespace: string, name?: string): string {
  const template = workloadPaths[kind];
  if (!template) throw new Error(`${kind} is not a workload the console can read`);
  return `/${template.replace('{ns}', encodeURIComponent(namespace))}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export function serviceAccountPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}`;
}

export function getServiceAccount(target: ClusterTarget, namespace: string, name: string): Promise<ServiceAccount> {
  return kubeGet<ServiceAccount>(target, serviceAccountPath(namespace, name));
}

/**
 * Sets (string) or removes (null) annotations on a service account, with the resourceVersion the plan saw as a
 * precondition, so a concurrent change answers 409 Conflict instead of being overwritten. `dryRun` asks the
 * API server to run admission and validation without persisting (server-side dry run).
 */
export function patchServiceAccountAnnotations(
  target: ClusterTarget,
  namespace: string,
  name: string,
  annotations: Record<string, string | null>,
  options: { resourceVersion?: string; dryRun?: boolean } = {},
): Promise<ServiceAccount> {
  return kubeRequest<ServiceAccount>(target, serviceAccountPath(namespace, name), {
    method: 'PATCH',
    contentType: MERGE_PATCH,
    query: { dryRun: options.dryRun ? 'All' : undefined },
    body: { metadata: { annotations, ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}) } },
  });
}

/** The pods that run as a service account right now. */
export async function listPodsOfServiceAccount(target: ClusterTarget, namespace: string, serviceAccount: string): Promise<Pod[]> {
  const pods = await kubeListAll<Pod>(target, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`);
  return pods.filter((pod) => (pod.spec?.serviceAccountName || 'default') === serviceAccount);
}

/** What `kubectl rollout restart` does: stamp the pod template, so the controller replaces every pod. */
export function restartWorkload(target: ClusterTarget, kind: string, namespace: string, name: string, at: Date): Promise<Workload> {
  return kubeRequest<Workload>(target, workloadPath(kind, namespace, name), {
    method: 'PATCH',
    contentType: MERGE_PATCH,
    body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at.toISOString() } } } } },
  });
}

/** The Eviction API: honours PodDisruptionBudgets (429 TooManyRequests while a budget forbids it). */
export function evictPod(target: ClusterTarget, namespace: string, name: string): Promise<unknown> {
  return kubeRequest(target, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/eviction`, {
    method: 'POST',
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
  });
}

/** A core/v1 Event on an object, so `kubectl describe` shows what the console did and who asked. */
export function recordKubeEvent(
  target: ClusterTarget,
  involved: { kind: string; apiVersion: string; namespace: string; name: string; uid?: string },
  event: { reason: string; message: string; type: 'Normal' | 'Warning' },
  now = new Date(),
): Promise<KubeObject> {
  const stamp = now.toISOString();
  return kubeRequest<KubeObject>(target, `/api/v1/namespaces/${encodeURIComponent(involved.namespace)}/events`, {
    method: 'POST',
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${involved.name}.`, namespace: involved.namespace },
      involvedObject: involved,
      reason: event.reason,
      message: event.message.slice(0, 1024),
      type: event.type,
      source: { component: 'workload-identity-console' },
      reportingComponent: 'workload-identity-console',
      reportingInstance: 'workload-identity-console',
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      eventTime: null,
      count: 1,
    },
  });
}

/** SelfSubjectAccessReview: may the console's own credentials do this? Asked before an action is offered. */
export async function consoleMay(
  target: ClusterTarget,
  attributes: { verb: string; resource: string; group?: string; namespace?: string; subresource?: string },
): Promise<{ allowed: boolean; reason?: string }> {
  const review = await kubeRequest<{ status?: { allowed?: boolean; reason?: string } }>(
    target,
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      method: 'POST',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { group: attributes.group ?? '', ...attributes } },
      },
    },
  );
  return { allowed: review.status?.allowed === true, ...(review.status?.reason ? { reason: review.status.reason } : {}) };
}
