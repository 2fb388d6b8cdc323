import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { ConfigMap, KubeObject, Node, Pod, ServiceAccount, Workload } from '@/lib/model/kube-objects';
import { KubeApiError, kubeGet, kubeListAll } from './client';

// The reads the console makes on each cluster, every page of each, as JSON wire objects. A list response's
// items carry no apiVersion/kind (only the list does), so each read stamps them, as `kubectl get -o json` does.

export interface KubeRead {
  /** What the SourceError and the sim's faults call it: "<verb> <resource>". */
  operation: string;
  /** The RBAC permission a 403 means the console lacks. */
  rbac: string;
  /** For a list an informer keeps live (lib/collect/kube-informers.ts): the permission a 403 on its watch means it lacks. */
  watchRbac?: string;
}

function stamp<T extends KubeObject>(items: T[], apiVersion: string, kind: string): T[] {
  for (const item of items) {
    item.apiVersion ??= apiVersion;
    item.kind ??= kind;
  }
  return items;
}

export const SERVICE_ACCOUNTS_READ: KubeRead = {
  operation: 'list serviceaccounts',
  rbac: 'list serviceaccounts (all namespaces)',
  watchRbac: 'watch serviceaccounts (all namespaces)',
};
export async function listServiceAccounts(target: ClusterTarget): Promise<ServiceAccount[]> {
  return stamp(await kubeListAll<ServiceAccount>(target, '/api/v1/serviceaccounts'), 'v1', 'ServiceAccount');
}

export const PODS_READ: KubeRead = { operation: 'list pods', rbac: 'list pods (all namespaces)', watchRbac: 'watch pods (all namespaces)' };
export async function listPods(target: ClusterTarget): Promise<Pod[]> {
  return stamp(await kubeListAll<Pod>(target, '/api/v1/pods'), 'v1', 'Pod');
}

export const NODES_READ: KubeRead = { operation: 'list nodes', rbac: 'list nodes', watchRbac: 'watch nodes' };
export async function listNodes(target: ClusterTarget): Promise<Node[]> {
  return stamp(await kubeListAll<Node>(target, '/api/v1/nodes'), 'v1', 'Node');
}

export const NAMESPACES_READ: KubeRead = { operation: 'list namespaces', rbac: 'list namespaces', watchRbac: 'watch namespaces' };
export async function listNamespaces(target: ClusterTarget): Promise<KubeObject[]> {
  return kubeListAll<KubeObject>(target, '/api/v1/namespaces');
}

export const CONFIG_MAPS_READ: KubeRead = {
  operation: 'list configmaps',
  rbac: 'list configmaps (all namespaces)',
  watchRbac: 'watch configmaps (all namespaces)',
};
export async function listConfigMaps(target: ClusterTarget): Promise<ConfigMap[]> {
  return stamp(await kubeListAll<ConfigMap>(target, '/api/v1/configmaps'), 'v1', 'ConfigMap');
}

const WORKLOAD_KINDS: { kind: Workload['kind']; apiVersion: string; path: string; resource: string }[] = [
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', path: '/apis/apps/v1/replicasets', resource: 'replicasets' },
  { kind: 'Deployment', apiVersion: 'apps/v1', path: '/apis/apps/v1/deployments', resource: 'deployments' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', path: '/apis/apps/v1/statefulsets', resource: 'statefulsets' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', path: '/apis/apps/v1/daemonsets', resource: 'daemonsets' },
  { kind: 'Job', apiVersion: 'batch/v1', path: '/apis/batch/v1/jobs', resource: 'jobs' },
  { kind: 'CronJob', apiVersion: 'batch/v1', path: '/apis/batch/v1/cronjobs', resource: 'cronjobs' },
];

/** The reads behind `listWorkloads`, one per owner kind, so a failure names the one that failed. */
export const WORKLOAD_READS = WORKLOAD_KINDS.map((workload) => ({
  kind: workload.kind,
  read: {
    operation: `list ${workload.resource}`,
    rbac: `list ${workload.resource} (all namespaces)`,
    watchRbac: `watch ${workload.resource} (all namespaces)`,
  } satisfies KubeRead,
}));

export async function listWorkloadsOfKind(target: ClusterTarget, kind: Workload['kind']): Promise<Workload[]> {
  const workload = WORKLOAD_KINDS.find((candidate) => candidate.kind === kind)!;
  return stamp(await kubeListAll<Workload>(target, workload.path), workload.apiVersion, workload.kind);
}

// The EKS Pod Identity Agent add-on's DaemonSet (domain.md §1a: kube-system/eks-pod-identity-agent).
export const AGENT_NAMESPACE = 'kube-system';
export const AGENT_DAEMONSET = 'eks-pod-identity-agent';

export const AGENT_DAEMONSET_READ: KubeRead = { operation: 'get daemonsets', rbac: `get daemonsets (namespace ${AGENT_NAMESPACE})` };
/** The agent DaemonSet, or null when the cluster has none (404). */
export async function getAgentDaemonSet(target: ClusterTarget): Promise<Workload | null> {
  try {
    const daemonSet = await kubeGet<Workload>(target, `/apis/apps/v1/namespaces/${AGENT_NAMESPACE}/daemonsets/${AGENT_DAEMONSET}`);
    return stamp([daemonSet], 'apps/v1', 'DaemonSet')[0];
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return null;
    throw error;
  }
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A metav1.LabelSelector as the `labelSelector` query parameter (set-based syntax for expressions). */
export function labelSelectorQuery(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector?.matchExpressions ?? []) {
    const values = (expression.values ?? []).join(',');
    if (expression.operator === 'In') parts.push(`${expression.key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${expression.key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(expression.key);
    else if (expression.operator === 'DoesNotExist') parts.push(`!${expression.key}`);
  }
  return parts.join(',');
}

export const AGENT_PODS_READ: KubeRead = { operation: 'list pods', rbac: `list pods (namespace ${AGENT_NAMESPACE})` };
/** The pods of the agent DaemonSet, found by its own selector. */
export async function listAgentPods(target: ClusterTarget, daemonSet: Workload): Promise<Pod[]> {
  const selector = labelSelectorQuery(daemonSet.spec?.selector as LabelSelector | undefined);
  // A DaemonSet always has a selector; without one, matching everything would be wrong, so match nothing.
  if (!selector) return [];
  return stamp(await kubeListAll<Pod>(target, `/api/v1/namespaces/${AGENT_NAMESPACE}/pods`, { labelSelector: selector }), 'v1', 'Pod');
}

async function listCustomResources(
  target: ClusterTarget,
  group: string,
  version: string,
  plural: string,
  kind: string,
): Promise<KubeObject[]> {
  try {
    return stamp(await kubeListAll<KubeObject>(target, `/apis/${group}/${version}/${plural}`), `${group}/${version}`, kind);
  } catch (error) {
    // 404: the CRD is not installed, so there are none (not a failure).
    if (error instanceof KubeApiError && error.status === 404) return [];
    throw error;
  }
}

export const RESTATE_CLUSTERS_READ: KubeRead = { operation: 'list restateclusters', rbac: 'list restateclusters.restate.dev' };
export function listRestateClusters(target: ClusterTarget): Promise<KubeObject[]> {
  return listCustomResources(target, 'restate.dev', 'v1', 'restateclusters', 'RestateCluster');
}

export const ETCD_SNAPSHOT_FILES_READ: KubeRead = { operation: 'list etcdsnapshotfiles', rbac: 'list etcdsnapshotfiles.k3s.cattle.io' };
export function listEtcdSnapshotFiles(target: ClusterTarget): Promise<KubeObject[]> {
  return listCustomResources(target, 'k3s.cattle.io', 'v1', 'etcdsnapshotfiles', 'ETCDSnapshotFile');
}

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion: string;
  platform?: string;
}

export const VERSION_READ: KubeRead = { operation: 'get /version', rbac: 'get /version (nonResourceURLs)' };
export function getServerVersion(target: ClusterTarget): Promise<ServerVersion> {
  return kubeGet<ServerVersion>(target, '/version');
}

/** K3s and RKE2 say so in their version string (v1.30.4+k3s1, v1.30.4+rke2r1); EKS in its build (v1.31.4-eks-…). */
export function clusterKindFromVersion(gitVersion: string): 'k3s' | 'rke2' | 'eks' | 'kubernetes' {
  if (/\+k3s/.test(gitVersion)) return 'k3s';
  if (/\+rke2/.test(gitVersion)) return 'rke2';
  if (/-eks-/.test(gitVersion)) return 'eks';
  return 'kubernetes';
}
