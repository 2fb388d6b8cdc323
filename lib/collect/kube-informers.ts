import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { SourceError } from '@/lib/model/cluster-state';
import type { KubeObject, Pod, Workload } from '@/lib/model/kube-objects';
import { kubeSourceError } from '@/lib/kube/client';
import { Informer, type InformerChange, type InformerTimings } from '@/lib/kube/informer';
import {
  CONFIG_MAPS_READ,
  NAMESPACES_READ,
  NODES_READ,
  PODS_READ,
  SERVICE_ACCOUNTS_READ,
  WORKLOAD_READS,
  type KubeRead,
} from '@/lib/kube/resources';
import { projectConfigMap, projectNamespace, projectNode, projectPod, projectServiceAccount, projectWorkload } from '@/lib/kube/projection';

// The Kubernetes half served from informers (issue 17): per cluster, one informer per resource the rules read,
// started on first use and kept for the life of the process. Every replica runs its own: a watch is cheap, and
// the API server, not a shared store, is the source. Reads are answered from the caches once they listed; a
// resource whose watch is down keeps serving what it last saw, with a SourceError saying how old that is.
// What an event touched (which service accounts, which namespaces) goes to the subscribers, so the fleet view
// re-runs the rules only for those.

/** The resources the informers keep, as collectKubeSide names them. */
export type InformedResource = 'serviceaccounts' | 'pods' | 'nodes' | 'namespaces' | 'configmaps' | Workload['kind'];

interface ResourceSpec {
  resource: InformedResource;
  path: string;
  read: KubeRead;
  project: (object: KubeObject) => KubeObject;
}

const WORKLOAD_PATHS: Record<Workload['kind'], string> = {
  ReplicaSet: '/apis/apps/v1/replicasets',
  Deployment: '/apis/apps/v1/deployments',
  StatefulSet: '/apis/apps/v1/statefulsets',
  DaemonSet: '/apis/apps/v1/daemonsets',
  Job: '/apis/batch/v1/jobs',
  CronJob: '/apis/batch/v1/cronjobs',
};

/** List items carry no apiVersion/kind (only the list does); the rules match owners by kind, so stamp them. */
function stamped(project: (object: KubeObject) => KubeObject, apiVersion: string, kind: string) {
  return (object: KubeObject) => project({ ...object, apiVersion: object.apiVersion ?? apiVersion, kind: object.kind ?? kind });
}

const RESOURCES: ResourceSpec[] = [
  {
    resource: 'serviceaccounts',
    path: '/api/v1/serviceaccounts',
    read: SERVICE_ACCOUNTS_READ,
    project: stamped(projectServiceAccount, 'v1', 'ServiceAccount'),
  },
  { resource: 'pods', path: '/api/v1/pods', read: PODS_READ, project: stamped(projectPod, 'v1', 'Pod') },
  { resource: 'nodes', path: '/api/v1/nodes', read: NODES_READ, project: stamped(projectNode, 'v1', 'Node') },
  { resource: 'namespaces', path: '/api/v1/namespaces', read: NAMESPACES_READ, project: projectNamespace },
  { resource: 'configmaps', path: '/api/v1/configmaps', read: CONFIG_MAPS_READ, project: stamped(projectConfigMap, 'v1', 'ConfigMap') },
  ...WORKLOAD_READS.map(({ kind, read }) => ({
    resource: kind,
    path: WORKLOAD_PATHS[kind],
    read,
    project: stamped(projectWorkload, WORKLOAD_PATHS[kind].startsWith('/apis/batch') ? 'batch/v1' : 'apps/v1', kind),
  })),
];

/** What one batch of events may have changed in a cluster's rows. */
export interface KubeTouch {
  cluster: string;
  /** "namespace/name" of service accounts whose rows may read differently. */
  serviceAccounts: Set<string>;
  /** Namespaces all of whose service accounts may read differently (a namespace or ConfigMap changed). */
  namespaces: Set<string>;
}

export type KubeTouchListener = (touch: KubeTouch) => void;

function podServiceAccountKey(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.spec?.serviceAccountName || 'default'}`;
}

function templateServiceAccount(workload: Workload): string | undefined {
  const spec = workload.spec as (Workload['spec'] & { jobTemplate?: { spec?: { template?: Workload['spec'] } } }) | undefined;
  const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
  return template ? ((template.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default') : undefined;
}

/**
 * Which rows a batch of changes to one resource touches: a service account its own row; a pod its service
 * account's; a workload the service account of its pod template (its pods' owner facts); a node the service
 * accounts of the pods on it; a namespace or ConfigMap (env from a ConfigMap, PI013) every row in that namespace.
 */
export function touchOf(
  cluster: string,
  resource: InformedResource,
  changes: InformerChange<KubeObject>[],
  podsOnNode: (node: string) => Pod[],
): KubeTouch {
  const touch: KubeTouch = { cluster, serviceAccounts: new Set(), namespaces: new Set() };
  for (const { object, previous } of changes) {
    for (const version of previous ? [object, previous] : [object]) {
      const namespace = version.metadata.namespace ?? '';
      if (resource === 'serviceaccounts') touch.serviceAccounts.add(`${namespace}/${version.metadata.name}`);
      else if (resource === 'pods') touch.serviceAccounts.add(podServiceAccountKey(version as Pod));
      else if (resource === 'nodes')
        for (const pod of podsOnNode(version.metadata.name)) touch.serviceAccounts.add(podServiceAccountKey(pod));
      else if (resource === 'namespaces') touch.namespaces.add(version.metadata.name);
      else if (resource === 'configmaps') touch.namespaces.add(namespace);
      else {
        const serviceAccount = templateServiceAccount(version as Workload);
        if (serviceAccount) touch.serviceAccounts.add(`${namespace}/${serviceAccount}`);
      }
    }
  }
  return touch;
}

/** One resource's answer from the informers: its objects (null when never listed) and the error to show. */
export interface InformedRead<T> {
  items: T[] | null;
  error?: SourceError;
}

/** A cluster's Kubernetes watch state, as GET /api/v1/clusters reports it. */
export interface KubeWatchHealth {
  /** watching: every informer listed and its watch is open; down: some watch is down (serving its last state); starting: not listed yet. */
  state: 'watching' | 'down' | 'starting';
  /** Seconds since the oldest resource was last known current (0 while every watch is open). */
  ageSeconds: number;
  /** The resources whose watch is down. */
  down?: string[];
  /** Down: since when the oldest of them was last known current (RFC 3339). */
  since?: string;
  /** Down: what failed and why, in the words of CL004 ("watch pods: ServiceUnavailable: …"). */
  reason?: string;
}

function ageSecondsOf(currentAt: string | undefined, now: number): number {
  return currentAt ? Math.max(0, Math.round((now - Date.parse(currentAt)) / 1000)) : 0;
}

class ClusterInformers {
  private readonly informers = new Map<InformedResource, Informer<KubeObject>>();

  constructor(
    readonly target: ClusterTarget,
    timings: Partial<InformerTimings>,
    notify: (touch: KubeTouch) => void,
  ) {
    for (const spec of RESOURCES) {
      const informer: Informer<KubeObject> = new Informer({
        target,
        path: spec.path,
        project: spec.project,
        timings,
        onChanges: (changes) => notify(touchOf(target.name, spec.resource, changes, (node) => this.podsOnNode(node))),
      });
      this.informers.set(spec.resource, informer);
      informer.start();
    }
  }

  private podsOnNode(node: string): Pod[] {
    return ((this.informers.get('pods')?.list() ?? []) as Pod[]).filter((pod) => pod.spec?.nodeName === node);
  }

  async ready(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.ready()));
  }

  relist(): Promise<void> {
    return Promise.all([...this.informers.values()].map((informer) => informer.relist())).then(() => undefined);
  }

  stop(): void {
    for (const informer of this.informers.values()) informer.stop();
  }

  read<T>(resource: InformedResource, now = Date.now()): InformedRead<T> {
    const spec = RESOURCES.find((candidate) => candidate.resource === resource)!;
    const informer = this.informers.get(resource)!;
    const status = informer.getStatus();
    const items = informer.list() as T[] | null;
    if (status.state === 'synced' || !status.error) return { items };
    const operation = status.failedOperation ?? spec.read.operation;
    const error = kubeSourceError(
      this.target,
      operation,
      status.error,
      operation.startsWith('watch') ? spec.read.watchRbac : spec.read.rbac,
    );
    if (items === null) return { items, error };
    // Still serving the last state: say so, and how old it is (the page shows it as CL004 with the cause).
    const age = ageSecondsOf(status.currentAt, now);
    return {
      items,
      error: { ...error, message: `${error.message} (showing what the console last saw, ${age} s old; it keeps retrying)` },
    };
  }

  health(now = Date.now()): KubeWatchHealth {
    const statuses = [...this.informers.entries()].map(([resource, informer]) => ({ resource, status: informer.getStatus() }));
    if (statuses.some(({ status }) => status.state === 'pending')) return { state: 'starting', ageSeconds: 0 };
    const down = statuses.filter(({ status }) => status.state === 'down');
    if (down.length === 0) return { state: 'watching', ageSeconds: 0 };
    const oldest = down.reduce((a, b) => (ageSecondsOf(b.status.currentAt, now) > ageSecondsOf(a.status.currentAt, now) ? b : a));
    const spec = RESOURCES.find((candidate) => candidate.resource === oldest.resource)!;
    const failed = kubeSourceError(this.target, oldest.status.failedOperation ?? spec.read.operation, oldest.status.error);
    return {
      state: 'down',
      ageSeconds: ageSecondsOf(oldest.status.currentAt, now),
      down: down.map(({ resource }) => resource),
      ...(oldest.status.currentAt ? { since: oldest.status.currentAt } : {}),
      reason: `${failed.operation}: ${failed.code}: ${failed.message}`,
    };
  }
}

/** Every cluster's informers in this process, and who listens to what they see change. */
export class KubeInformers {
  private readonly clusters = new Map<string, ClusterInformers>();
  private readonly listeners = new Set<KubeTouchListener>();
  private timings: Partial<InformerTimings> = {};

  configure(timings: Partial<InformerTimings>): void {
    this.timings = timings;
  }

  /** A cluster's informers, started on first ask; a target whose connection settings changed gets new ones. */
  forTarget(target: ClusterTarget): ClusterInformers {
    const existing = this.clusters.get(target.name);
    if (existing && JSON.stringify(existing.target) === JSON.stringify(target)) return existing;
    existing?.stop();
    const started = new ClusterInformers(target, this.timings, (touch) => {
      if (this.clusters.get(target.name) !== started) return;
      for (const listener of this.listeners) listener(touch);
    });
    this.clusters.set(target.name, started);
    return started;
  }

  health(cluster: string): KubeWatchHealth | undefined {
    return this.clusters.get(cluster)?.health();
  }

  /** Relists every cluster (the Refresh button): the next read waits for the lists. */
  relistAll(): void {
    for (const cluster of this.clusters.values()) void cluster.relist();
  }

  subscribe(listener: KubeTouchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every watch (tests, and a process shutting down). */
  stopAll(): void {
    for (const cluster of this.clusters.values()) cluster.stop();
    this.clusters.clear();
  }
}

export type { ClusterInformers };

// One set per process, on globalThis: Next compiles route handlers and pages into separate module graphs, and
// the dev server re-evaluates modules; either would otherwise open a second watch per resource.
const shared = globalThis as typeof globalThis & { __workloadIdentityKubeInformers?: KubeInformers };

export function kubeInformers(): KubeInformers {
  shared.__workloadIdentityKubeInformers ??= new KubeInformers();
  return shared.__workloadIdentityKubeInformers;
}
