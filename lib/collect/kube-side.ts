import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { ClusterKind, ClusterState, SourceError } from '@/lib/model/cluster-state';
import type { KubeObject, Workload } from '@/lib/model/kube-objects';
import { kubeSourceError } from '@/lib/kube/client';
import {
  AGENT_DAEMONSET_READ,
  AGENT_PODS_READ,
  CONFIG_MAPS_READ,
  ETCD_SNAPSHOT_FILES_READ,
  NAMESPACES_READ,
  NODES_READ,
  PODS_READ,
  RESTATE_CLUSTERS_READ,
  SERVICE_ACCOUNTS_READ,
  VERSION_READ,
  WORKLOAD_READS,
  clusterKindFromVersion,
  getAgentDaemonSet,
  getServerVersion,
  listAgentPods,
  listConfigMaps,
  listEtcdSnapshotFiles,
  listNamespaces,
  listNodes,
  listPods,
  listRestateClusters,
  listServiceAccounts,
  listWorkloadsOfKind,
  type KubeRead,
} from '@/lib/kube/resources';
import { collectCache, type CollectCache } from './cache';
import type { InformedResource, KubeInformers } from './kube-informers';

// The Kubernetes half of a cluster's state: fast (no AWS), so pages can show it before the AWS half.
// Each read stands alone: a read that fails is null plus a SourceError, and every other read still lands.

export interface KubeSide {
  name: string;
  kind: ClusterKind;
  context?: string;
  /** The API server's version string, when /version answered. */
  serverVersion?: string;
  kube: ClusterState['kube'];
  sourceErrors: SourceError[];
  collectedAt: string;
}

export interface CollectOptions {
  cache?: CollectCache;
  /** Serve the listed resources from these informers (list once, then watch) instead of a cached relist. */
  informers?: KubeInformers;
}

async function read<T>(
  cache: CollectCache,
  target: ClusterTarget,
  resource: string,
  kubeRead: KubeRead,
  load: () => Promise<T>,
  errors: SourceError[],
): Promise<T | null> {
  try {
    return await cache.get(`kube:${kubeRead.operation}`, { cluster: target.name, resource }, load);
  } catch (error) {
    errors.push(kubeSourceError(target, kubeRead.operation, error, kubeRead.rbac));
    return null;
  }
}

/** Display kind: the configured or EKS-derived one, else what /version says (k3s, rke2), else kubernetes. */
export function clusterKindOf(target: ClusterTarget, serverVersion: string | undefined): ClusterKind {
  if (target.kind) return target.kind;
  if (target.eks) return 'eks';
  return serverVersion ? clusterKindFromVersion(serverVersion) : 'kubernetes';
}

export async function collectKubeSide(target: ClusterTarget, options: CollectOptions = {}): Promise<KubeSide> {
  const cache = options.cache ?? collectCache();
  const collectedAt = new Date().toISOString();
  const errors: SourceError[] = [];
  const versionErrors: SourceError[] = [];

  const version = read(cache, target, 'version', VERSION_READ, () => getServerVersion(target), versionErrors);
  const informed = options.informers?.forTarget(target);
  const ready = informed?.ready();
  // From the informers once they listed (a Refresh relists them first), else a cached list of its own.
  const listed = <T>(resource: InformedResource, kubeRead: KubeRead, load: () => Promise<T[]>): Promise<T[] | null> => {
    if (!informed || !ready) return read(cache, target, resource, kubeRead, load, errors);
    return ready.then(() => {
      const answer = informed.read<T>(resource);
      if (answer.error) errors.push(answer.error);
      return answer.items;
    });
  };
  const serviceAccounts = listed('serviceaccounts', SERVICE_ACCOUNTS_READ, () => listServiceAccounts(target));
  const pods = listed('pods', PODS_READ, () => listPods(target));
  const nodes = listed('nodes', NODES_READ, () => listNodes(target));
  const namespaces = listed<KubeObject>('namespaces', NAMESPACES_READ, () => listNamespaces(target)).then(
    (list) => list?.map((namespace) => namespace.metadata.name) ?? null,
  );
  const workloadLists = Promise.all(
    WORKLOAD_READS.map(({ kind, read: kubeRead }) => listed(kind, kubeRead, () => listWorkloadsOfKind(target, kind))),
  );
  const configMaps = listed('configmaps', CONFIG_MAPS_READ, () => listConfigMaps(target));
  const restateClusters = read(cache, target, 'restateclusters', RESTATE_CLUSTERS_READ, () => listRestateClusters(target), errors);
  const etcdSnapshotFiles = read(cache, target, 'etcdsnapshotfiles', ETCD_SNAPSHOT_FILES_READ, () => listEtcdSnapshotFiles(target), errors);

  const serverVersion = (await version)?.gitVersion;
  const kind = clusterKindOf(target, serverVersion);
  // The agent lives only on EKS; elsewhere it is "not looked up" (undefined), not "absent" (null).
  let agentDaemonSet: Workload | null | undefined;
  let agentPods: ClusterState['kube']['agentPods'];
  if (kind === 'eks') {
    agentDaemonSet = await read(cache, target, 'agent-daemonset', AGENT_DAEMONSET_READ, () => getAgentDaemonSet(target), errors);
    agentPods = agentDaemonSet
      ? await read(cache, target, 'agent-pods', AGENT_PODS_READ, () => listAgentPods(target, agentDaemonSet!), errors)
      : agentDaemonSet === null
        ? null
        : undefined;
  }

  const workloads = await workloadLists;
  const kube: ClusterState['kube'] = {
    serviceAccounts: await serviceAccounts,
    pods: await pods,
    nodes: await nodes,
    namespaces: await namespaces,
    // One owner kind missing would make rules misjudge pods' owners, so the owners are all or nothing.
    workloads: workloads.every((list) => list !== null) ? workloads.flat() : null,
    ...(kind === 'eks' ? { agentDaemonSet, agentPods } : {}),
    restateClusters: await restateClusters,
    etcdSnapshotFiles: await etcdSnapshotFiles,
    configMaps: await configMaps,
  };
  // /version failing alone is only worth reporting when nothing else says why (it is not a rule input).
  const sourceErrors = versionErrors.length > 0 && errors.length === 0 && !target.kind && !target.eks ? versionErrors : [];
  sourceErrors.push(...errors);
  return {
    name: target.name,
    kind,
    ...(target.context ? { context: target.context } : {}),
    ...(serverVersion ? { serverVersion } : {}),
    kube,
    sourceErrors: dedupeUnreachable(sourceErrors),
    collectedAt,
  };
}

/**
 * When the API server is down, every read fails the same way; one error per read would bury the message.
 * Keep the first unreachable error, naming every read it cost.
 */
function dedupeUnreachable(errors: SourceError[]): SourceError[] {
  const unreachable = errors.filter((error) =>
    /is unreachable|TLS with the API server|no connection to the cluster|rejected the console.s credentials/.test(error.message),
  );
  if (unreachable.length <= 1) return errors;
  const first = unreachable[0];
  const merged: SourceError = {
    ...first,
    operation: unreachable
      .map((error) => error.operation)
      .filter((op, i, all) => all.indexOf(op) === i)
      .join(', '),
  };
  return [merged, ...errors.filter((error) => !unreachable.includes(error))];
}
