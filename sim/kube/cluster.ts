import { createHash, randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';
import { associationArn, associationIdFor } from '../aws/ids';
import type { SimEksCluster, SimWorld } from '../world';
import { admitPod } from './admission';
import { ResourceRegistry, type ResourceType } from './resources';
import { ObjectStore, type KubeObj, type StoreEvent } from './store';
import { KubeError } from './status';
import { RbacAuthorizer, SYSTEM_MASTERS, type UserInfo } from './rbac';
import { TokenIssuer } from './tokens';

// One simulated cluster: its store, its resource types, and the controllers that keep workloads, pods and
// status true. Controllers are reconcilers driven by store events through one queue, never scattered timers;
// the only timers are pods becoming Ready after the configured delay.

type Meta = KubeObj['metadata'] & {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerRef[];
  uid?: string;
  deletionTimestamp?: string;
};
interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}
type Obj = KubeObj & { metadata: Meta; spec?: Record<string, unknown>; status?: Record<string, unknown> };

const OWNER_TYPES: Record<string, [string, string, string]> = {
  ReplicaSet: ['apps', 'v1', 'replicasets'],
  Deployment: ['apps', 'v1', 'deployments'],
  StatefulSet: ['apps', 'v1', 'statefulsets'],
  DaemonSet: ['apps', 'v1', 'daemonsets'],
  Job: ['batch', 'v1', 'jobs'],
  CronJob: ['batch', 'v1', 'cronjobs'],
};

export function templateHash(template: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(template ?? {}))
    .digest('hex');
  return parseInt(digest.slice(0, 8), 16).toString(36).slice(0, 10);
}

// Pod-name suffixes and pod IPs need variety, not secrecy: Math.random keeps 50,000 pod creations off the
// synchronous crypto RNG, which was a sixth of a generated cluster's load time.
function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

const imageIds = new Map<string, string>();

/** A stable digest per image reference, as the kubelet reports the pulled image. */
function imageIdOf(image: string): string {
  let id = imageIds.get(image);
  if (!id) imageIds.set(image, (id = `${image}@sha256:${createHash('sha256').update(image).digest('hex')}`));
  return id;
}

function octet(): number {
  return Math.floor(Math.random() * 256);
}

export function selectorMatches(
  selector: { matchLabels?: Record<string, string> } | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector?.matchLabels) return false;
  return Object.entries(selector.matchLabels).every(([k, v]) => labels?.[k] === v);
}

export interface KubeClusterOptions {
  name: string;
  kind: 'eks' | 'k3s' | 'rke2' | 'kubernetes';
  version: string;
  region?: string;
  world: SimWorld;
  rolloutReadyDelayMs: number;
  /** Events kept per resource for watches (default DEFAULT_HISTORY_LIMIT). */
  watchHistory?: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (default 60 s, as the API server's watch cache). */
  bookmarkIntervalMs?: number;
}

export class KubeCluster {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;
  /** The cluster admin's bearer token (the kubeconfig's user): system:masters, never subject to RBAC. */
  readonly token = randomBytes(24).toString('hex');
  readonly adminUser: UserInfo = { username: 'kubernetes-admin', groups: [SYSTEM_MASTERS, 'system:authenticated'] };
  readonly rbac: RbacAuthorizer;
  readonly tokens: TokenIssuer;
  private readonly queue = new Map<string, () => void>();
  private draining = false;
  private scheduled = false;
  private nodeCursor = 0;
  private loading = true;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(readonly options: KubeClusterOptions) {
    this.store = new ObjectStore(options.world.clock, options.watchHistory);
    this.store.subscribe((event) => this.onEvent(event));
    this.rbac = new RbacAuthorizer(this.store, {
      roles: this.type('rbac.authorization.k8s.io', 'v1', 'roles'),
      roleBindings: this.type('rbac.authorization.k8s.io', 'v1', 'rolebindings'),
      clusterRoles: this.type('rbac.authorization.k8s.io', 'v1', 'clusterroles'),
      clusterRoleBindings: this.type('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'),
    });
    // The service account issuer: an EKS cluster's OIDC issuer, else the API server's default.
    this.tokens = new TokenIssuer(
      options.world.clock,
      options.world.eksClusters.get(options.name)?.oidcIssuer ?? 'https://kubernetes.default.svc.cluster.local',
    );
  }

  get name() {
    return this.options.name;
  }

  get clock(): SimClock {
    return this.options.world.clock;
  }

  get eks(): SimEksCluster | undefined {
    return this.options.kind === 'eks' ? this.options.world.eksClusters.get(this.options.name) : undefined;
  }

  type(group: string, version: string, resource: string): ResourceType {
    const type = this.registry.get(group, version, resource);
    if (!type) throw new Error(`unknown resource ${group}/${version}/${resource}`);
    return type;
  }

  typeOfKind(kind: string): ResourceType | undefined {
    const gvr = OWNER_TYPES[kind];
    return gvr ? this.type(...gvr) : undefined;
  }

  // ---- queue ----

  private enqueue(key: string, work: () => void) {
    this.queue.set(key, work);
    if (this.loading || this.draining || this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /** Runs queued reconciles until nothing changes (bounded, so a bug can't spin forever). */
  drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let round = 0; this.queue.size > 0 && round < 200_000; round++) {
        const [key, work] = this.queue.entries().next().value as [string, () => void];
        this.queue.delete(key);
        try {
          work();
        } catch (err) {
          if (!(err instanceof KubeError && (err.code === 404 || err.code === 409)))
            console.error(`sim kube ${this.name}: reconcile ${key} failed`, err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  finishLoading() {
    this.drain();
    this.loading = false;
  }

  stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private onEvent(event: StoreEvent) {
    const object = event.object as Obj;
    const kind = object.kind as string;
    const ns = object.metadata.namespace;
    const name = object.metadata.name;
    switch (kind) {
      case 'Deployment':
        if (event.type !== 'DELETED') this.enqueue(`deploy/${ns}/${name}`, () => this.reconcileDeployment(ns!, name));
        else this.cascadeDelete(object);
        break;
      case 'ReplicaSet':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job':
        if (event.type !== 'DELETED') this.enqueue(`${kind}/${ns}/${name}`, () => this.reconcileOwner(kind, ns!, name));
        else this.cascadeDelete(object);
        if (kind === 'ReplicaSet') this.enqueueOwnerOf(object);
        break;
      case 'Pod':
        this.enqueueOwnerOf(object);
        break;
      case 'Node':
        for (const { object: ds } of this.store.list(this.type('apps', 'v1', 'daemonsets')))
          this.enqueue(`DaemonSet/${ds.metadata.namespace}/${ds.metadata.name}`, () =>
            this.reconcileOwner('DaemonSet', ds.metadata.namespace!, ds.metadata.name),
          );
        break;
      case 'CustomResourceDefinition':
        if (event.type !== 'DELETED') this.registry.addFromCrd(object);
        break;
      case 'RestateCluster':
        if (event.type !== 'DELETED') this.enqueue(`restate/${name}`, () => this.reconcileRestateCluster(name));
        break;
    }
  }

  private enqueueOwnerOf(object: Obj) {
    const owner = object.metadata.ownerReferences?.find((o) => o.controller) ?? object.metadata.ownerReferences?.[0];
    if (!owner) return;
    const ns = object.metadata.namespace!;
    if (owner.kind === 'Deployment') this.enqueue(`deploy/${ns}/${owner.name}`, () => this.reconcileDeployment(ns, owner.name));
    else if (OWNER_TYPES[owner.kind] && owner.kind !== 'CronJob')
      this.enqueue(`${owner.kind}/${ns}/${owner.name}`, () => this.reconcileOwner(owner.kind, ns, owner.name));
  }

  private cascadeDelete(owner: Obj) {
    for (const type of [this.type('', 'v1', 'pods'), this.type('apps', 'v1', 'replicasets')]) {
      for (const object of this.store.listOwnedBy(type, owner.metadata.uid!)) {
        try {
          this.store.delete(type, object.metadata.namespace, object.metadata.name);
        } catch {
          // already gone
        }
      }
    }
  }

  // ---- pods ----

  private ownedPods(owner: Obj): Obj[] {
    return this.store.listOwnedBy(this.type('', 'v1', 'pods'), owner.metadata.uid!) as Obj[];
  }

  private eligibleNodes(nodeSelector: Record<string, string> | undefined, forDaemonSet = false, affinity?: unknown): Obj[] {
    return this.store
      .list(this.type('', 'v1', 'nodes'))
      .map((s) => s.object as Obj)
      .filter((node) => {
        const labels = node.metadata.labels ?? {};
        if (nodeSelector && !Object.entries(nodeSelector).every(([k, v]) => labels[k] === v)) return false;
        if (!matchesRequiredNodeAffinity(affinity, labels)) return false;
        // Fargate nodes run exactly one pod each and no DaemonSets; workloads land on EC2 nodes.
        if (labels['eks.amazonaws.com/compute-type'] === 'fargate') return false;
        if (!forDaemonSet && !nodeSelector && labels['kubernetes.io/os'] === 'windows') return false;
        return true;
      });
  }

  isReady(pod: Obj): boolean {
    const conditions = (pod.status?.conditions as { type: string; status: string }[] | undefined) ?? [];
    return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  }

  runningStatus(pod: Obj, ready: boolean): Record<string, unknown> {
    const now = this.clock.nowIso();
    const containers = ((pod.spec?.containers as { name: string; image?: string }[]) ?? []).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: imageIdOf(c.image ?? ''),
      ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: pod.metadata.creationTimestamp ?? now } },
    }));
    const condition = (type: string, status: boolean) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: now,
      lastProbeTime: null,
    });
    return {
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      hostIP: '10.0.0.10',
      podIP: `10.0.${octet()}.${octet()}`,
      startTime: (pod.metadata.creationTimestamp as string) ?? now,
      containerStatuses: containers,
      qosClass: 'BestEffort',
    };
  }

  /** Creates a pod from a template through admission, scheduled and (after the delay) Ready. */
  createPod(
    owner: Obj,
    name: string,
    template: { metadata?: Meta; spec?: Record<string, unknown> },
    extra: { nodeName?: string; labels?: Record<string, string> } = {},
  ): Obj {
    const spec = structuredClone(template.spec ?? {}) as Record<string, unknown> & {
      nodeName?: string;
      nodeSelector?: Record<string, string>;
      serviceAccountName?: string;
      affinity?: unknown;
    };
    spec.serviceAccountName ||= 'default';
    spec.serviceAccount = spec.serviceAccountName;
    if (extra.nodeName) spec.nodeName = extra.nodeName;
    if (!spec.nodeName) {
      const nodes = this.eligibleNodes(spec.nodeSelector, false, spec.affinity);
      if (nodes.length) spec.nodeName = nodes[this.nodeCursor++ % nodes.length].metadata.name;
    }
    spec.restartPolicy ??= 'Always';
    spec.dnsPolicy ??= 'ClusterFirst';
    const namespace = owner.metadata.namespace!;
    const pod: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [
          {
            apiVersion: owner.apiVersion as string,
            kind: owner.kind as string,
            name: owner.metadata.name,
            uid: owner.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
    };
    return this.admitAndCreate(pod);
  }

  /** Admission, then store; used for every pod the simulator or a client creates. The pod is adopted: callers pass a fresh object. */
  admitAndCreate(pod: Obj, options: { dryRun?: boolean } = {}): Obj {
    const namespace = pod.metadata.namespace ?? 'default';
    const saName = ((pod.spec as { serviceAccountName?: string })?.serviceAccountName as string) || 'default';
    const sa = this.store.get(this.type('', 'v1', 'serviceaccounts'), namespace, saName) as Obj | undefined;
    admitPod(pod, { eks: this.eks, serviceAccountAnnotations: sa?.metadata.annotations });
    const delay = this.loading ? 0 : this.options.rolloutReadyDelayMs;
    if (!pod.status) pod.status = this.runningStatus(pod, delay === 0);
    const created = this.store.create(this.type('', 'v1', 'pods'), pod, { ...options, adopt: true }) as Obj;
    if (delay > 0 && !options.dryRun) this.afterDelay(delay, () => this.markReady(namespace, created.metadata.name));
    return created;
  }

  private afterDelay(ms: number, work: () => void) {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) work();
    }, ms);
    this.timers.add(timer);
  }

  private markReady(namespace: string, name: string) {
    const pods = this.type('', 'v1', 'pods');
    const pod = this.store.get(pods, namespace, name) as Obj | undefined;
    if (!pod || this.isReady(pod)) return;
    this.store.writeStatus(pods, namespace, name, this.runningStatus(pod, true));
  }

  private deletePod(pod: Obj) {
    try {
      this.store.delete(this.type('', 'v1', 'pods'), pod.metadata.namespace, pod.metadata.name);
    } catch {
      // already gone
    }
  }

  // ---- controllers ----

  reconcileOwner(kind: string, namespace: string, name: string) {
    const type = this.typeOfKind(kind)!;
    const owner = this.store.get(type, namespace, name) as Obj | undefined;
    if (!owner) return;
    if (kind === 'ReplicaSet') this.reconcileReplicaSet(owner);
    else if (kind === 'StatefulSet') this.reconcileStatefulSet(owner);
    else if (kind === 'DaemonSet') this.reconcileDaemonSet(owner);
    else if (kind === 'Job') this.reconcileJob(owner);
  }

  private reconcileReplicaSet(rs: Obj) {
    const spec = rs.spec as { replicas?: number; template?: { metadata?: Meta; spec?: Record<string, unknown> } };
    const desired = spec.replicas ?? 1;
    const pods = this.ownedPods(rs);
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) pods.push(this.createPod(rs, `${rs.metadata.name}-${suffix()}`, spec.template ?? {}));
    } else if (pods.length > desired) {
      // Unready pods go first, then the newest (the ReplicaSet controller's ranking).
      const ranked = [...pods].sort(
        (a, b) =>
          Number(this.isReady(a)) - Number(this.isReady(b)) ||
          String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
      );
      for (const pod of ranked.slice(0, pods.length - desired)) this.deletePod(pod);
      pods.splice(0, pods.length, ...ranked.slice(pods.length - desired));
    }
    const ready = pods.filter((p) => this.isReady(p)).length;
    this.store.writeStatus(this.type('apps', 'v1', 'replicasets'), rs.metadata.namespace, rs.metadata.name, {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    });
  }

  reconcileDeployment(namespace: string, name: string) {
    const deployments = this.type('apps', 'v1', 'deployments');
    const replicaSets = this.type('apps', 'v1', 'replicasets');
    const deployment = this.store.get(deployments, namespace, name) as Obj | undefined;
    if (!deployment) return;
    const spec = deployment.spec as {
      replicas?: number;
      template?: { metadata?: Meta; spec?: Record<string, unknown> };
      selector?: { matchLabels?: Record<string, string> };
    };
    const desired = spec.replicas ?? 1;
    const hash = templateHash(spec.template);
    const owned = this.store.listOwnedBy(replicaSets, deployment.metadata.uid!) as Obj[];
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    if (!current) {
      const template = structuredClone(spec.template ?? {});
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      } as Meta;
      current = this.store.create(replicaSets, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels: { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/revision': String(owned.length + 1),
          },
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid!, controller: true, blockOwnerDeletion: true },
          ],
        },
        spec: {
          replicas: owned.length === 0 ? desired : 0,
          selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template,
        },
      }) as Obj;
    }
    const old = owned.filter((rs) => rs !== current && rs.metadata.name !== current!.metadata.name);
    const readyOf = (rs: Obj) => this.ownedPods(rs).filter((p) => this.isReady(p)).length;
    const newReady = readyOf(current);
    // Rolling update with the default maxSurge/maxUnavailable of 25% (at least one pod each way).
    const surge = Math.max(1, Math.ceil(desired * 0.25));
    const newTarget = Math.min(desired, newReady + surge);
    const scale = (rs: Obj, replicas: number) => {
      if ((rs.spec as { replicas?: number }).replicas === replicas) return;
      this.store.update(replicaSets, {
        ...rs,
        spec: { ...(rs.spec ?? {}), replicas },
        metadata: { ...rs.metadata, resourceVersion: undefined },
      } as Obj);
    };
    scale(current, old.length === 0 ? desired : newTarget);
    let oldBudget = Math.max(0, desired - newReady);
    for (const rs of old.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))) {
      const replicas = Math.min((rs.spec as { replicas?: number }).replicas ?? 0, oldBudget);
      oldBudget -= replicas;
      scale(rs, replicas);
    }
    const allPods = [current, ...old].flatMap((rs) => this.ownedPods(rs));
    const updatedPods = this.ownedPods(current);
    const readyPods = allPods.filter((p) => this.isReady(p)).length;
    const complete = updatedPods.length === desired && allPods.length === desired && readyPods === desired;
    const now = this.clock.nowIso();
    this.store.writeStatus(deployments, namespace, name, {
      observedGeneration: deployment.metadata.generation,
      replicas: allPods.length,
      updatedReplicas: updatedPods.length,
      readyReplicas: readyPods,
      availableReplicas: readyPods,
      ...(allPods.length - readyPods > 0 ? { unavailableReplicas: allPods.length - readyPods } : {}),
      conditions: [
        {
          type: 'Available',
          status: readyPods >= desired - Math.floor(desired * 0.25) ? 'True' : 'False',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          message: complete
            ? `ReplicaSet "${current.metadata.name}" has successfully progressed.`
            : `ReplicaSet "${current.metadata.name}" is progressing.`,
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    });
  }

  private reconcileStatefulSet(sts: Obj) {
    const spec = sts.spec as { replicas?: number; template?: { metadata?: Meta; spec?: Record<string, unknown> } };
    const desired = spec.replicas ?? 1;
    const revision = `${sts.metadata.name}-${templateHash(spec.template)}`;
    const pods = this.ownedPods(sts);
    const byOrdinal = new Map(pods.map((p) => [Number(p.metadata.name.slice(sts.metadata.name.length + 1)), p]));
    for (let i = 0; i < desired; i++) {
      if (!byOrdinal.has(i)) {
        const pod = this.createPod(sts, `${sts.metadata.name}-${i}`, spec.template ?? {}, {
          labels: {
            'controller-revision-hash': revision,
            'statefulset.kubernetes.io/pod-name': `${sts.metadata.name}-${i}`,
            'apps.kubernetes.io/pod-index': String(i),
          },
        });
        byOrdinal.set(i, pod);
      }
    }
    for (const [ordinal, pod] of byOrdinal)
      if (ordinal >= desired) {
        this.deletePod(pod);
        byOrdinal.delete(ordinal);
      }
    // Rolling update: replace the highest outdated ordinal once every pod is Ready (OrderedReady).
    const current = [...byOrdinal.entries()].sort((a, b) => b[0] - a[0]);
    const allReady = current.every(([, p]) => this.isReady(p));
    const outdated = current.find(([, p]) => p.metadata.labels?.['controller-revision-hash'] !== revision);
    if (outdated && allReady) {
      this.deletePod(outdated[1]);
      const fresh = this.createPod(sts, outdated[1].metadata.name, spec.template ?? {}, {
        labels: {
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': outdated[1].metadata.name,
          'apps.kubernetes.io/pod-index': String(outdated[0]),
        },
      });
      byOrdinal.set(outdated[0], fresh);
    }
    const all = [...byOrdinal.values()];
    const updated = all.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const ready = all.filter((p) => this.isReady(p)).length;
    this.store.writeStatus(this.type('apps', 'v1', 'statefulsets'), sts.metadata.namespace, sts.metadata.name, {
      observedGeneration: sts.metadata.generation,
      replicas: all.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: updated === all.length ? all.length : all.length - updated,
      updatedReplicas: updated,
      currentRevision: updated === all.length ? revision : (sts.status?.currentRevision ?? revision),
      updateRevision: revision,
      collisionCount: 0,
    });
  }

  private reconcileDaemonSet(ds: Obj) {
    const spec = ds.spec as { template?: { metadata?: Meta; spec?: Record<string, unknown> & { nodeSelector?: Record<string, string> } } };
    const hash = templateHash(spec.template);
    const nodes = this.eligibleNodes(spec.template?.spec?.nodeSelector, true, spec.template?.spec?.affinity);
    const pods = this.ownedPods(ds);
    const podByNode = new Map(pods.map((p) => [(p.spec as { nodeName?: string }).nodeName, p]));
    for (const pod of pods) if (!nodes.some((n) => n.metadata.name === (pod.spec as { nodeName?: string }).nodeName)) this.deletePod(pod);
    let replacedOne = false;
    for (const node of nodes) {
      const existing = podByNode.get(node.metadata.name);
      if (
        existing &&
        existing.metadata.labels?.['controller-revision-hash'] !== hash &&
        !replacedOne &&
        pods.every((p) => this.isReady(p))
      ) {
        this.deletePod(existing);
        podByNode.delete(node.metadata.name);
        replacedOne = true;
      }
      if (!podByNode.has(node.metadata.name)) {
        podByNode.set(
          node.metadata.name,
          this.createPod(ds, `${ds.metadata.name}-${suffix()}`, spec.template ?? {}, {
            nodeName: node.metadata.name,
            labels: { 'controller-revision-hash': hash },
          }),
        );
      }
    }
    const current = [...podByNode.values()].filter((p) =>
      nodes.some((n) => n.metadata.name === (p.spec as { nodeName?: string }).nodeName),
    );
    const ready = current.filter((p) => this.isReady(p)).length;
    const updated = current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length;
    this.store.writeStatus(this.type('apps', 'v1', 'daemonsets'), ds.metadata.namespace, ds.metadata.name, {
      observedGeneration: ds.metadata.generation,
      desiredNumberScheduled: nodes.length,
      currentNumberScheduled: current.length,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: updated,
      numberMisscheduled: 0,
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    });
  }

  private reconcileJob(job: Obj) {
    const spec = job.spec as { parallelism?: number; template?: { metadata?: Meta; spec?: Record<string, unknown> } };
    const pods = this.ownedPods(job);
    const wanted = spec.parallelism ?? 1;
    for (let i = pods.length; i < wanted; i++)
      pods.push(
        this.createPod(job, `${job.metadata.name}-${suffix()}`, spec.template ?? {}, { labels: { 'job-name': job.metadata.name } }),
      );
    this.store.writeStatus(this.type('batch', 'v1', 'jobs'), job.metadata.namespace, job.metadata.name, {
      active: pods.length,
      ready: pods.filter((p) => this.isReady(p)).length,
      startTime: job.metadata.creationTimestamp,
    });
  }

  /** A small restate-operator: RestateCluster → namespace, SA `restate`, ConfigMap and StatefulSet. */
  private reconcileRestateCluster(name: string) {
    const cr = this.store.get(this.type('restate.dev', 'v1', 'restateclusters'), undefined, name) as Obj | undefined;
    if (!cr) return;
    const spec = (cr.spec ?? {}) as {
      config?: string;
      compute?: { replicas?: number; image?: string; env?: { name: string; value?: string }[] };
      security?: { serviceAccountAnnotations?: Record<string, string>; awsPodIdentityAssociationRoleArn?: string };
    };
    const owner: OwnerRef = { apiVersion: 'restate.dev/v1', kind: 'RestateCluster', name, uid: cr.metadata.uid!, controller: true };
    const ensure = (group: string, version: string, resource: string, object: Obj) => {
      const type = this.type(group, version, resource);
      if (!this.store.get(type, object.metadata.namespace, object.metadata.name)) this.store.create(type, object);
    };
    ensure('', 'v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as Obj);
    ensure('', 'v1', 'serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'restate', namespace: name, annotations: spec.security?.serviceAccountAnnotations ?? {}, ownerReferences: [owner] },
    } as Obj);
    ensure('', 'v1', 'configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `restate-config`, namespace: name, ownerReferences: [owner] },
      data: { 'config.toml': spec.config ?? '' },
    } as Obj);
    const roleArn = spec.security?.awsPodIdentityAssociationRoleArn;
    const eks = this.eks;
    if (roleArn && eks && ![...eks.associations.values()].some((a) => a.namespace === name && a.serviceAccount === 'restate')) {
      const associationId = associationIdFor(`${eks.name}/${name}/restate`);
      const now = this.clock.nowIso();
      eks.associations.set(associationId, {
        associationId,
        associationArn: associationArn(eks.region, eks.account, eks.name, associationId),
        clusterName: eks.name,
        namespace: name,
        serviceAccount: 'restate',
        roleArn,
        disableSessionTags: false,
        tags: {},
        createdAt: (cr.metadata.creationTimestamp as string) ?? now,
        modifiedAt: (cr.metadata.creationTimestamp as string) ?? now,
      });
      this.options.world.emit({ type: 'association-changed', cluster: eks.name, associationId, change: 'created' });
    }
    ensure('apps', 'v1', 'statefulsets', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'restate', namespace: name, labels: { 'app.kubernetes.io/name': 'restate' }, ownerReferences: [owner] },
      spec: {
        replicas: spec.compute?.replicas ?? 1,
        serviceName: 'restate',
        selector: { matchLabels: { 'app.kubernetes.io/name': 'restate' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'restate' } },
          spec: {
            serviceAccountName: 'restate',
            containers: [
              {
                name: 'restate',
                image: spec.compute?.image ?? 'docker.restate.dev/restatedev/restate:1.6.2',
                env: [{ name: 'RESTATE_CONFIG', value: '/config/config.toml' }, ...(spec.compute?.env ?? [])],
                volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'restate-config' } }],
          },
        },
      },
    } as Obj);
  }

  /**
   * A running pod written in a scenario with only its phase and conditions gets what a kubelet would have
   * reported too (container statuses, IPs), so `kubectl get pods` shows READY 1/1 rather than 0/1.
   */
  completeLoadedPodStatus() {
    const pods = this.type('', 'v1', 'pods');
    for (const { object } of this.store.list(pods)) {
      const pod = object as Obj;
      const status = (pod.status ?? {}) as Record<string, unknown>;
      if (status.phase !== 'Running' || status.containerStatuses) continue;
      const running = this.runningStatus(pod, this.isReady(pod));
      this.store.update(
        pods,
        {
          ...pod,
          metadata: { ...pod.metadata, resourceVersion: undefined },
          status: { ...running, ...status, containerStatuses: running.containerStatuses },
        } as Obj,
        { subresource: 'status' },
      );
    }
  }

  /** Adopts owner references given by name only (scenario files), and lets explicit ReplicaSets stand as current. */
  fixUpLoadedOwners() {
    for (const type of [this.type('', 'v1', 'pods'), this.type('apps', 'v1', 'replicasets'), this.type('batch', 'v1', 'jobs')]) {
      for (const { object } of this.store.list(type)) {
        const obj = object as Obj;
        const refs = obj.metadata.ownerReferences;
        if (!refs?.length) continue;
        let changed = false;
        const fixed = refs.map((ref) => {
          const ownerType = this.typeOfKind(ref.kind);
          const owner = ownerType ? (this.store.get(ownerType, obj.metadata.namespace, ref.name) as Obj | undefined) : undefined;
          if (owner && owner.metadata.uid !== ref.uid) {
            changed = true;
            return { ...ref, uid: owner.metadata.uid!, controller: ref.controller ?? true };
          }
          return ref;
        });
        if (changed)
          this.store.update(type, { ...obj, metadata: { ...obj.metadata, ownerReferences: fixed, resourceVersion: undefined } } as Obj);
      }
    }
    // A Deployment given with its ReplicaSet: that ReplicaSet is the current one, whatever hash it carries,
    // so loading never rolls out (explicit pods model pods admitted earlier and must stay as written).
    const replicaSets = this.type('apps', 'v1', 'replicasets');
    for (const { object } of this.store.list(this.type('apps', 'v1', 'deployments'))) {
      const deployment = object as Obj;
      const hash = templateHash((deployment.spec as { template?: unknown }).template);
      const owned = this.store
        .list(replicaSets, deployment.metadata.namespace)
        .map((s) => s.object as Obj)
        .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
      if (owned.length === 0 || owned.some((rs) => rs.metadata.labels?.['pod-template-hash'] === hash)) continue;
      const newest = owned.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))[0];
      this.store.update(replicaSets, {
        ...newest,
        metadata: {
          ...newest.metadata,
          labels: { ...(newest.metadata.labels ?? {}), 'pod-template-hash': hash },
          resourceVersion: undefined,
        },
      } as Obj);
    }
  }
}

/**
 * requiredDuringSchedulingIgnoredDuringExecution node affinity: any term matches when all its matchExpressions
 * hold (In, NotIn, Exists, DoesNotExist, Gt, Lt; Kubernetes API reference, NodeSelectorRequirement).
 */
export function matchesRequiredNodeAffinity(affinity: unknown, labels: Record<string, string>): boolean {
  const terms = (
    affinity as
      | { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: unknown[] }[] } } }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length === 0) return true;
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((raw) => {
      const { key, operator, values = [] } = raw as { key: string; operator: string; values?: string[] };
      const value = labels[key];
      switch (operator) {
        case 'In':
          return value !== undefined && values.includes(value);
        case 'NotIn':
          return value === undefined || !values.includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        case 'Gt':
          return value !== undefined && Number(value) > Number(values[0]);
        case 'Lt':
          return value !== undefined && Number(value) < Number(values[0]);
        default:
          return false;
      }
    }),
  );
}
