import YAML from 'yaml';
import { generatedNamespaceName, generatedServiceAccountName } from '../build-world';
import { resolveRelativeTimesDeep } from '../clock';
import type { LoadedScenario } from '../scenario/load';
import type { ScenarioCluster } from '../scenario/schema';
import type { SimWorld } from '../world';
import { KubeCluster } from './cluster';
import { createKubeHandler } from './server';
import type { KubeObj } from './store';
import { KubeError } from './status';
import { bootstrapRbacObjects } from './rbac';

export { KubeCluster } from './cluster';

export interface KubeSim {
  handler: ReturnType<typeof createKubeHandler>;
  clusters: Map<string, KubeCluster>;
  kubeconfig(serverBaseUrl: string, certificateAuthorityData?: string): string;
  adminToken(cluster: string): string;
  stop(): void;
}

const AGENT = 'eks-pod-identity-agent';

/** Nodes of an EKS Auto Mode cluster: EC2 instances named by instance id, labelled compute-type=auto (AUG auto-mode). */
function autoModeNodes(cluster: ScenarioCluster): KubeObj[] {
  const zone = (i: number) => `${cluster.region}${'abc'[i % 3]}`;
  return [0, 1, 2].map((i) => {
    const name = `i-0${(0xa1b2c3d4e5f60 + i * 0x1111).toString(16)}`;
    const ip = `10.0.${i * 16 + 2}.${31 + i * 37}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'node.kubernetes.io/instance-type': 'c6a.large',
          'topology.kubernetes.io/zone': zone(i),
          'topology.kubernetes.io/region': cluster.region!,
          'eks.amazonaws.com/compute-type': 'auto',
          'eks.amazonaws.com/nodeclass': 'default',
          'karpenter.sh/nodepool': 'general-purpose',
          'karpenter.sh/capacity-type': 'on-demand',
        },
        creationTimestamp: '-2d',
      },
      spec: { providerID: `aws:///${zone(i)}/${name}` },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        nodeInfo: {
          kubeletVersion: `v${cluster.version}.4-eks-a1b2c3d`,
          osImage: 'Bottlerocket (EKS Auto, Standard) 2025.11.21 (aws-k8s-' + cluster.version + ')',
          kernelVersion: '6.12.55',
          containerRuntimeVersion: 'containerd://2.1.4+bottlerocket',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
      },
    };
  });
}

function defaultNodes(cluster: ScenarioCluster): KubeObj[] {
  if (cluster.kind === 'eks' && cluster.autoMode) return autoModeNodes(cluster);
  const zone = (i: number) => `${cluster.region ?? 'us-east-1'}${'abc'[i % 3]}`;
  return [0, 1, 2].map((i) => {
    const ip = `10.0.${i * 16 + 1}.${23 + i * 41}`;
    const name = cluster.kind === 'eks' ? `ip-${ip.replace(/\./g, '-')}.${cluster.region}.compute.internal` : `${cluster.name}-server-${i}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'node.kubernetes.io/instance-type': cluster.kind === 'eks' ? 'm6i.xlarge' : 'k3s',
          'topology.kubernetes.io/zone': zone(i),
          ...(cluster.kind === 'eks'
            ? { 'eks.amazonaws.com/nodegroup': 'general', 'topology.kubernetes.io/region': cluster.region! }
            : { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/etcd': 'true' }),
        },
        creationTimestamp: '-60d',
      },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        nodeInfo: {
          kubeletVersion: cluster.kind === 'k3s' ? `v${cluster.version}.4+k3s1` : `v${cluster.version}.4-eks-a1b2c3d`,
          osImage: cluster.kind === 'eks' ? 'Amazon Linux 2023.6.20241212' : 'Ubuntu 24.04.1 LTS',
          kernelVersion: cluster.kind === 'eks' ? '6.1.119-129.201.amzn2023.x86_64' : '6.8.0-49-generic',
          containerRuntimeVersion: cluster.kind === 'k3s' ? 'containerd://1.7.23-k3s2' : 'containerd://1.7.23',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
      },
    };
  });
}

/**
 * The add-on's DaemonSets: hostNetwork, Linux only. `eks-pod-identity-agent` never runs on Fargate, hybrid or Auto
 * Mode nodes (agent built in) (domain.md §1a; the add-on's node affinity); hybrid nodes get their own
 * `eks-pod-identity-agent-hybrid` (add-on v1.3.3+, AUG hybrid-nodes-add-ons; the name as aws/eks-hybrid's e2e
 * tests check it).
 */
function agentDaemonSets(): KubeObj[] {
  const daemonSet = (name: string, computeType: { operator: 'In' | 'NotIn'; values: string[] }): KubeObj => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': AGENT } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
                      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
                      { key: 'eks.amazonaws.com/compute-type', ...computeType },
                    ],
                  },
                ],
              },
            },
          },
          serviceAccountName: AGENT,
          containers: [
            {
              name: AGENT,
              image: '602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/eks-pod-identity-agent:v0.1.29',
              args: ['--port', '80', '--cluster-name', 'x'],
            },
          ],
        },
      },
    },
  });
  return [
    daemonSet(AGENT, { operator: 'NotIn', values: ['fargate', 'hybrid', 'auto'] }),
    daemonSet(`${AGENT}-hybrid`, { operator: 'In', values: ['hybrid'] }),
  ];
}

/** Creates the add-on's DaemonSets the cluster does not have yet (a scenario may give its own). */
function ensureAgentDaemonSets(cluster: KubeCluster): void {
  for (const daemonSet of agentDaemonSets())
    if (!cluster.store.get(cluster.type('apps', 'v1', 'daemonsets'), 'kube-system', daemonSet.metadata.name))
      cluster.store.create(cluster.type('apps', 'v1', 'daemonsets'), daemonSet);
}

function generatedObjects(spec: NonNullable<ScenarioCluster['generate']>): KubeObj[] {
  const objects: KubeObj[] = [];
  for (let n = 0; n < spec.namespaces; n++) {
    const namespace = generatedNamespaceName(n);
    for (let s = 0; s < spec.serviceAccountsPerNamespace; s++) {
      const name = generatedServiceAccountName(s);
      objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      if (spec.podsPerServiceAccount > 0) {
        objects.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace, labels: { app: name } },
          spec: {
            replicas: spec.podsPerServiceAccount,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: { labels: { app: name } },
              spec: { serviceAccountName: name, containers: [{ name: 'app', image: 'public.ecr.aws/docker/library/busybox:1.36' }] },
            },
          },
        });
      }
    }
  }
  return objects;
}

/** Loads one cluster's objects: CRDs first, then namespaces and nodes, then everything else; workloads come alive. */
function loadCluster(cluster: KubeCluster, spec: ScenarioCluster, objects: KubeObj[], where: (index: number) => string) {
  const now = cluster.clock.now();
  const resolved = objects.map((o) => resolveRelativeTimesDeep(o, now));
  const order = (o: KubeObj) =>
    o.kind === 'CustomResourceDefinition'
      ? 0
      : o.kind === 'Namespace'
        ? 1
        : o.kind === 'Node'
          ? 2
          : o.kind === 'ServiceAccount'
            ? 3
            : o.kind === 'Pod'
              ? 5
              : 4;
  const indexed = resolved.map((object, index) => ({ object, index })).sort((a, b) => order(a.object) - order(b.object));
  const namespaces = cluster.type('', 'v1', 'namespaces');
  const ensureNamespace = (name: string) => {
    if (cluster.store.get(namespaces, undefined, name)) return;
    cluster.store.create(namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    // The controller-manager gives every namespace a `default` service account.
    const serviceAccounts = cluster.type('', 'v1', 'serviceaccounts');
    if (
      !objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'default' && (o.metadata.namespace ?? 'default') === name)
    ) {
      cluster.store.create(serviceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
    }
  };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) ensureNamespace(name);
  for (const { object } of indexed) if (object.metadata.namespace) ensureNamespace(object.metadata.namespace);
  if (!resolved.some((o) => o.kind === 'Node'))
    for (const node of defaultNodes(spec)) cluster.store.create(cluster.type('', 'v1', 'nodes'), resolveRelativeTimesDeep(node, now));
  for (const { object, index } of indexed) {
    const [group, version] =
      object.apiVersion && String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
    const type = cluster.registry.byKind(group ? `${group}/${version}` : version, String(object.kind));
    if (!type)
      throw new Error(
        `${where(index)}: the simulator serves no ${object.apiVersion} ${object.kind} (declare its CustomResourceDefinition first)`,
      );
    if (type.namespaced) object.metadata.namespace ??= 'default';
    try {
      if (object.kind === 'Pod' && !object.status) {
        (object as Record<string, unknown>).status = cluster.runningStatus(object as never, true);
      }
      // Adopted: every loaded object is this cluster's own deep copy (createKubeSim clones them).
      cluster.store.create(type, object, { adopt: true });
    } catch (err) {
      if (err instanceof KubeError) throw new Error(`${where(index)}: ${err.message}`);
      throw err;
    }
  }
  if (cluster.eks?.addons.has(AGENT) && !cluster.store.get(cluster.type('apps', 'v1', 'daemonsets'), 'kube-system', AGENT)) {
    cluster.store.create(cluster.type('', 'v1', 'serviceaccounts'), {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: AGENT, namespace: 'kube-system' },
    });
  }
  if (cluster.eks?.addons.has(AGENT)) ensureAgentDaemonSets(cluster);
  // The API server's bootstrap roles (cluster-admin, system:discovery, system:basic-user, …) unless the scenario gives them.
  for (const object of bootstrapRbacObjects()) {
    const type = cluster.registry.byKind(String(object.apiVersion), String(object.kind))!;
    if (!cluster.store.get(type, undefined, object.metadata.name)) cluster.store.create(type, object);
  }
  cluster.fixUpLoadedOwners();
  cluster.completeLoadedPodStatus();
  cluster.finishLoading();
  // A freshly started API server has no history before its first state: watches start from a list made after load.
  cluster.store.compact();
}

export interface KubeSimOptions {
  rolloutReadyDelayMs?: number;
  watchHistory?: number;
  bookmarkIntervalMs?: number;
}

export function createKubeSim(world: SimWorld, loaded: LoadedScenario, options: KubeSimOptions = {}): KubeSim {
  const clusters = new Map<string, KubeCluster>();
  loaded.scenario.clusters.forEach((spec, clusterIndex) => {
    const cluster = new KubeCluster({
      name: spec.name,
      kind: spec.kind,
      version: spec.version,
      region: spec.region,
      world,
      rolloutReadyDelayMs: options.rolloutReadyDelayMs ?? 1000,
      watchHistory: options.watchHistory,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
    });
    const fromFiles = (loaded.objectFileDocuments.get(clusterIndex) ?? []).flatMap((doc) =>
      doc.objects.map((object, i) => ({
        object,
        where: `${loaded.file}: clusters[${clusterIndex}].objectFiles (${doc.file}, object ${i})`,
      })),
    );
    const inline = spec.objects.map((object, i) => ({ object, where: `${loaded.file}: clusters[${clusterIndex}].objects[${i}]` }));
    const generated = spec.generate
      ? generatedObjects(spec.generate).map((object) => ({ object, where: `${loaded.file}: clusters[${clusterIndex}].generate` }))
      : [];
    const all = [...inline, ...fromFiles, ...generated];
    loadCluster(
      cluster,
      spec,
      all.map((a) => structuredClone(a.object) as KubeObj),
      (i) => all[i].where,
    );
    clusters.set(spec.name, cluster);
  });
  // A new association or add-on changes what later admissions do; an add-on brings its DaemonSet.
  const unsubscribe = world.onEvent((event) => {
    if (event.type !== 'addon-changed') return;
    const cluster = clusters.get(event.cluster);
    if (event.addon === AGENT && cluster) ensureAgentDaemonSets(cluster);
  });

  const handler = createKubeHandler(world, clusters);
  const contextName = (cluster: KubeCluster) => world.eksClusters.get(cluster.name)?.arn ?? cluster.name;
  return {
    handler,
    clusters,
    adminToken: (name) => {
      const cluster = clusters.get(name);
      if (!cluster) throw new Error(`no cluster ${name}`);
      return cluster.token;
    },
    kubeconfig(serverBaseUrl: string, certificateAuthorityData?: string) {
      // EKS clusters are named by their ARN for cluster, context and user, as `aws eks update-kubeconfig` writes them.
      const list = [...clusters.values()];
      return YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        preferences: {},
        'current-context': list[0] ? contextName(list[0]) : '',
        clusters: list.map((c) => ({
          name: contextName(c),
          cluster: {
            server: `${serverBaseUrl}/clusters/${encodeURIComponent(c.name)}`,
            ...(certificateAuthorityData ? { 'certificate-authority-data': certificateAuthorityData } : {}),
          },
        })),
        contexts: list.map((c) => ({ name: contextName(c), context: { cluster: contextName(c), user: contextName(c) } })),
        users: list.map((c) => ({ name: contextName(c), user: { token: c.token } })),
      });
    },
    stop() {
      unsubscribe();
      for (const cluster of clusters.values()) cluster.stop();
    },
  };
}
