import type { ClusterState, EksClusterFacts, FleetState, PodIdentityAssociation, RoleLookup } from '@/lib/model/cluster-state';
import {
  ANNOTATION_AUDIENCE,
  ANNOTATION_ROLE_ARN,
  ANNOTATION_STS_REGIONAL,
  ANNOTATION_TOKEN_EXPIRATION,
  DEFAULT_IRSA_AUDIENCE,
  IRSA_ENV,
  POD_IDENTITY_ENV,
  STATIC_KEY_ENV,
  STS_REGIONAL_ENV,
  containerEnvValue,
  controllerRef,
  workloadOf,
  type Node,
  type Pod,
  type ServiceAccount,
  type Workload,
} from '@/lib/model/kube-objects';
import type { PodDetail, PodMechanism, StsMode } from '@/lib/model/identity-row';
import { AGENT_ADDON_NAME, clusterStsDefault, parseGoBool } from './identity-facts';
import { describeEnvOrigin, displayableEnvValue } from './secret-env';
import { parseRoleArn, type RoleArnParts } from '@/lib/model/arn';

// Everything the rules read, indexed once per cluster: pods by namespace/SA, nodes by name, agent pods by
// node, associations by namespace/SA. Building it is O(objects); no rule scans all pods.

const CREDENTIAL_ENV = new Set([
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
]);

export type NodeKind = 'linux-ec2' | 'auto' | 'fargate' | 'windows' | 'hybrid' | 'unknown';

export interface StaticKeySource {
  container: string;
  name: string;
  source: 'value' | 'secret' | 'configmap' | 'envFrom';
  /** For secret/configmap sources: "kind/name" and key. */
  from?: string;
}

export interface PodFacts {
  pod: Pod;
  name: string;
  namespace: string;
  serviceAccount: string;
  nodeName: string | null;
  nodeKind: NodeKind;
  startTime: string | null;
  env: PodDetail['env'];
  hasPodIdentityEnv: boolean;
  hasIrsaEnv: boolean;
  staticKeys: StaticKeySource[];
  /** envFrom Secrets whose key names the console could not read: they may carry static keys. */
  unknownEnvFromSecrets: { container: string; secret: string }[];
  mechanism: PodMechanism;
  /** AWS_STS_REGIONAL_ENDPOINTS of the IRSA container; null when the pod has no IRSA env. */
  stsRunning: 'regional' | 'legacy' | 'unset' | null;
  images: { container: string; image: string }[];
  owner: { kind: string; name: string } | null;
}

export interface IrsaFacts {
  roleArn: string;
  roleArnParts: RoleArnParts | null;
  audience: string;
  tokenExpirationRaw: string | null;
  tokenExpiration: number | null;
}

export interface ClusterContext {
  fleet: FleetState;
  state: ClusterState;
  name: string;
  eks: EksClusterFacts | null;
  isEks: boolean;
  /** null = the association list could not be read; [] for non-EKS clusters. */
  associations: PodIdentityAssociation[] | null;
  associationsBySa: Map<string, PodIdentityAssociation>;
  serviceAccountsByKey: Map<string, ServiceAccount> | null;
  namespaces: Set<string> | null;
  /** Pods of each SA ("namespace/name"); null when pods could not be read. */
  podsBySa: Map<string, PodFacts[]> | null;
  nodesByName: Map<string, Node> | null;
  /** Nodes with a ready agent pod; null when agent pods could not be read. */
  agentReadyNodes: Set<string> | null;
  /** The agent add-on, null when absent; undefined when add-ons could not be read or the cluster is not EKS. */
  agentAddon: { name: string; version?: string; status?: string } | null | undefined;
  stsDefault: { mode: StsMode; reason: string };
}

export interface ServiceAccountContext {
  cluster: ClusterContext;
  fleet: FleetState;
  namespace: string;
  name: string;
  serviceAccount: ServiceAccount | null;
  /** false when the SA is known not to exist; null when SAs could not be read. */
  exists: boolean | null;
  association: PodIdentityAssociation | null;
  /** false when the cluster's associations could not be read (then `association` is null but may exist). */
  associationsKnown: boolean;
  irsa: IrsaFacts | null;
  stsAnnotation: string | null;
  pods: PodFacts[] | null;
}

export const saKey = (namespace: string, name: string): string => `${namespace}/${name}`;

export function lookupRole(fleet: FleetState, arn: string | undefined | null): RoleLookup | undefined {
  return arn ? fleet.roles[arn] : undefined;
}

/** "Pods of the SA" (findings.md): Running or Pending, not terminating. */
export function isLivePod(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return (phase === 'Running' || phase === 'Pending') && !pod.metadata.deletionTimestamp;
}

export function podServiceAccount(pod: Pod): string {
  return pod.spec.serviceAccountName || 'default';
}

function nodeKindOf(node: Node | undefined, known: boolean): NodeKind {
  if (!node) return known ? 'unknown' : 'unknown';
  const labels = node.metadata.labels ?? {};
  const computeType = labels['eks.amazonaws.com/compute-type'];
  if (computeType === 'fargate') return 'fargate';
  if (computeType === 'hybrid') return 'hybrid';
  // EKS Auto Mode nodes run the Pod Identity agent built in (AUG automode; findings.md PI004).
  if (computeType === 'auto') return 'auto';
  if (labels['kubernetes.io/os'] === 'windows' || labels['beta.kubernetes.io/os'] === 'windows') return 'windows';
  return 'linux-ec2';
}

function isPodReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata.deletionTimestamp &&
    (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

interface ClusterLookups {
  state: ClusterState;
  nodesByName: Map<string, Node> | null;
  workloadsByKey: Map<string, Workload> | null;
}

/** A ReplicaSet's owner is the Deployment the user knows; a Job's may be a CronJob. */
function resolveOwner(pod: Pod, lookups: ClusterLookups): { kind: string; name: string } | null {
  return workloadOf(pod, (ref) => {
    const owner = lookups.workloadsByKey?.get(`${ref.kind}/${pod.metadata.namespace}/${ref.name}`);
    return owner ? controllerRef(owner.metadata) : null;
  });
}

export function buildPodFacts(pod: Pod, lookups: ClusterLookups): PodFacts {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: PodDetail['env'] = [];
  const staticKeys: StaticKeySource[] = [];
  const unknownEnvFromSecrets: { container: string; secret: string }[] = [];
  let hasPodIdentityEnv = false;
  let hasIrsaEnv = false;
  let stsRunning: PodFacts['stsRunning'] = null;
  const secretKeyNames = lookups.state.kube.secretKeyNames;
  const configMaps = lookups.state.kube.configMaps;
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];

  for (const c of containers) {
    for (const e of c.env ?? []) {
      if (!CREDENTIAL_ENV.has(e.name)) continue;
      const vf = e.valueFrom;
      const source: PodDetail['env'][number]['source'] = vf?.secretKeyRef
        ? 'secret'
        : vf?.configMapKeyRef
          ? 'configmap'
          : vf?.fieldRef
            ? 'field'
            : 'value';
      // Credential values never leave the server (lib/identity/secret-env.ts): name and source only.
      const origin = vf?.secretKeyRef
        ? describeEnvOrigin({ kind: 'secret', name: vf.secretKeyRef.name ?? '', key: vf.secretKeyRef.key })
        : vf?.configMapKeyRef
          ? describeEnvOrigin({ kind: 'configmap', name: vf.configMapKeyRef.name ?? '', key: vf.configMapKeyRef.key })
          : source === 'value'
            ? describeEnvOrigin({ kind: 'literal' })
            : undefined;
      env.push({
        container: c.name,
        name: e.name,
        value: source === 'value' ? displayableEnvValue(e.name, e.value ?? '') : null,
        source,
        ...(origin ? { from: origin } : {}),
      });
      if ((STATIC_KEY_ENV as readonly string[]).includes(e.name)) {
        if (source === 'value' && e.value) staticKeys.push({ container: c.name, name: e.name, source: 'value' });
        else if (source === 'secret')
          staticKeys.push({
            container: c.name,
            name: e.name,
            source: 'secret',
            from: `secret/${vf!.secretKeyRef!.name ?? ''}:${vf!.secretKeyRef!.key}`,
          });
        else if (source === 'configmap')
          staticKeys.push({
            container: c.name,
            name: e.name,
            source: 'configmap',
            from: `configmap/${vf!.configMapKeyRef!.name ?? ''}:${vf!.configMapKeyRef!.key}`,
          });
      }
    }
    for (const ef of c.envFrom ?? []) {
      const prefix = ef.prefix ?? '';
      const couldCarry = STATIC_KEY_ENV.filter((k) => k.startsWith(prefix));
      if (ef.secretRef?.name) {
        const ref = `${namespace}/${ef.secretRef.name}`;
        const keys = secretKeyNames?.[ref];
        if (keys) {
          for (const k of keys) {
            const name = prefix + k;
            if (CREDENTIAL_ENV.has(name))
              env.push({
                container: c.name,
                name,
                value: null,
                source: 'envFrom',
                from: describeEnvOrigin({ kind: 'secret', name: ef.secretRef.name, key: k, viaEnvFrom: true }),
              });
            if ((STATIC_KEY_ENV as readonly string[]).includes(name))
              staticKeys.push({ container: c.name, name, source: 'envFrom', from: `secret/${ef.secretRef.name}` });
          }
        } else if (couldCarry.length > 0) {
          unknownEnvFromSecrets.push({ container: c.name, secret: ef.secretRef.name });
        }
      }
      if (ef.configMapRef?.name && configMaps) {
        const cm = configMaps.find((m) => m.metadata.namespace === namespace && m.metadata.name === ef.configMapRef!.name);
        for (const k of Object.keys(cm?.data ?? {})) {
          const name = prefix + k;
          if (CREDENTIAL_ENV.has(name))
            env.push({
              container: c.name,
              name,
              value: displayableEnvValue(name, cm!.data![k]),
              source: 'envFrom',
              from: describeEnvOrigin({ kind: 'configmap', name: ef.configMapRef.name, key: k, viaEnvFrom: true }),
            });
          if ((STATIC_KEY_ENV as readonly string[]).includes(name) && cm!.data![k])
            staticKeys.push({ container: c.name, name, source: 'envFrom', from: `configmap/${ef.configMapRef.name}` });
        }
      }
    }
    if (containerEnvValue(c, POD_IDENTITY_ENV).present) hasPodIdentityEnv = true;
    if (IRSA_ENV.every((n) => containerEnvValue(c, n).present)) {
      hasIrsaEnv = true;
      // The STS mode that matters is the one of the container holding the web-identity env.
      const sts = containerEnvValue(c, STS_REGIONAL_ENV);
      const mode = !sts.present ? 'unset' : sts.value === 'regional' ? 'regional' : sts.value === 'legacy' ? 'legacy' : 'unset';
      if (stsRunning === null || stsRunning === 'unset') stsRunning = mode;
    }
  }

  // The SDK chain: static keys first, then web identity (IRSA), then the container endpoint (domain.md §1).
  const mechanism: PodMechanism =
    staticKeys.length > 0
      ? 'static-keys'
      : hasIrsaEnv && hasPodIdentityEnv
        ? 'both'
        : hasIrsaEnv
          ? 'irsa'
          : hasPodIdentityEnv
            ? 'pod-identity'
            : 'none';
  const nodeName = pod.spec.nodeName ?? null;
  const node = nodeName && lookups.nodesByName ? lookups.nodesByName.get(nodeName) : undefined;
  return {
    pod,
    name: pod.metadata.name,
    namespace,
    serviceAccount: podServiceAccount(pod),
    nodeName,
    nodeKind: nodeName && lookups.nodesByName ? nodeKindOf(node, true) : 'unknown',
    startTime: pod.status?.startTime ?? pod.metadata.creationTimestamp ?? null,
    env,
    hasPodIdentityEnv,
    hasIrsaEnv,
    staticKeys,
    unknownEnvFromSecrets,
    mechanism,
    stsRunning,
    images: containers.filter((c) => c.image).map((c) => ({ container: c.name, image: c.image! })),
    owner: resolveOwner(pod, lookups),
  };
}

export function buildClusterContext(fleet: FleetState, state: ClusterState): ClusterContext {
  const kube = state.kube;
  const nodesByName = kube.nodes ? new Map(kube.nodes.map((n) => [n.metadata.name, n])) : null;
  const workloadsByKey = kube.workloads
    ? new Map(kube.workloads.map((w) => [`${w.kind}/${w.metadata.namespace}/${w.metadata.name}`, w]))
    : null;
  const lookups: ClusterLookups = { state, nodesByName, workloadsByKey };

  let podsBySa: Map<string, PodFacts[]> | null = null;
  if (kube.pods) {
    podsBySa = new Map();
    for (const pod of kube.pods) {
      if (!isLivePod(pod)) continue;
      const key = saKey(pod.metadata.namespace ?? 'default', podServiceAccount(pod));
      let list = podsBySa.get(key);
      if (!list) podsBySa.set(key, (list = []));
      list.push(buildPodFacts(pod, lookups));
    }
  }

  const isEks = state.kind === 'eks' || state.eks !== undefined;
  const associations = state.eks ? state.eks.associations : isEks ? null : [];
  const associationsBySa = new Map<string, PodIdentityAssociation>();
  for (const a of associations ?? []) {
    const key = saKey(a.namespace, a.serviceAccount);
    if (!associationsBySa.has(key)) associationsBySa.set(key, a);
  }

  let agentReadyNodes: Set<string> | null = null;
  if (kube.agentPods) {
    agentReadyNodes = new Set();
    for (const p of kube.agentPods) if (p.spec.nodeName && isPodReady(p)) agentReadyNodes.add(p.spec.nodeName);
  }

  const addons = state.eks?.addons;
  const agentAddon = addons === undefined || addons === null ? undefined : (addons.find((a) => a.name === AGENT_ADDON_NAME) ?? null);
  const eks = state.eks?.cluster ?? null;

  return {
    fleet,
    state,
    name: state.name,
    eks,
    isEks,
    associations,
    associationsBySa,
    serviceAccountsByKey: kube.serviceAccounts
      ? new Map(kube.serviceAccounts.map((s) => [saKey(s.metadata.namespace ?? 'default', s.metadata.name), s]))
      : null,
    namespaces: kube.namespaces ? new Set(kube.namespaces) : null,
    podsBySa,
    nodesByName,
    agentReadyNodes,
    agentAddon,
    stsDefault: isEks ? clusterStsDefault(eks) : { mode: 'sdk-default', reason: 'not an EKS cluster: no cluster default, the SDK decides' },
  };
}

export function irsaFactsOf(sa: ServiceAccount | null): IrsaFacts | null {
  const annotations = sa?.metadata.annotations ?? {};
  const roleArn = annotations[ANNOTATION_ROLE_ARN];
  if (roleArn === undefined) return null;
  const tokenExpirationRaw = annotations[ANNOTATION_TOKEN_EXPIRATION] ?? null;
  const parsed = tokenExpirationRaw !== null && /^\d+$/.test(tokenExpirationRaw.trim()) ? Number(tokenExpirationRaw.trim()) : null;
  return {
    roleArn,
    roleArnParts: parseRoleArn(roleArn),
    audience: annotations[ANNOTATION_AUDIENCE] || DEFAULT_IRSA_AUDIENCE,
    tokenExpirationRaw,
    tokenExpiration: parsed,
  };
}

export function buildServiceAccountContext(cluster: ClusterContext, namespace: string, name: string): ServiceAccountContext {
  const key = saKey(namespace, name);
  const serviceAccount = cluster.serviceAccountsByKey?.get(key) ?? null;
  let exists: boolean | null;
  if (cluster.serviceAccountsByKey) exists = serviceAccount !== null;
  else exists = null;
  return {
    cluster,
    fleet: cluster.fleet,
    namespace,
    name,
    serviceAccount,
    exists,
    association: cluster.associationsBySa.get(key) ?? null,
    associationsKnown: cluster.associations !== null,
    irsa: irsaFactsOf(serviceAccount),
    stsAnnotation: serviceAccount?.metadata.annotations?.[ANNOTATION_STS_REGIONAL] ?? null,
    pods: cluster.podsBySa ? (cluster.podsBySa.get(key) ?? []) : null,
  };
}

/** Every SA key of a cluster: existing SAs, SAs named by live pods when SAs are unreadable, and associations. */
export function serviceAccountKeys(cluster: ClusterContext): { namespace: string; name: string }[] {
  const seen = new Set<string>();
  const out: { namespace: string; name: string }[] = [];
  const add = (namespace: string, name: string) => {
    const k = saKey(namespace, name);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ namespace, name });
  };
  if (cluster.serviceAccountsByKey)
    for (const sa of cluster.serviceAccountsByKey.values()) add(sa.metadata.namespace ?? 'default', sa.metadata.name);
  else if (cluster.podsBySa) for (const k of cluster.podsBySa.keys()) add(k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1));
  for (const a of cluster.associations ?? []) add(a.namespace, a.serviceAccount);
  return out;
}

/** The desired STS mode of an IRSA SA (findings.md STS section). */
export function desiredStsMode(ctx: ServiceAccountContext): { mode: StsMode; reason: string } {
  if (ctx.stsAnnotation !== null) {
    const b = parseGoBool(ctx.stsAnnotation);
    if (b === true) return { mode: 'regional', reason: `annotation ${ANNOTATION_STS_REGIONAL}=${ctx.stsAnnotation}` };
    if (b === false)
      return {
        mode: 'sdk-default',
        reason: `annotation ${ANNOTATION_STS_REGIONAL}=${ctx.stsAnnotation}: the webhook injects nothing, the SDK decides`,
      };
    // The webhook ignores a value strconv.ParseBool rejects and falls back to the cluster default.
    const d = ctx.cluster.stsDefault;
    return { mode: d.mode, reason: `annotation value "${ctx.stsAnnotation}" is not a boolean; cluster default: ${d.reason}` };
  }
  return { mode: ctx.cluster.stsDefault.mode, reason: `no annotation; cluster default: ${ctx.cluster.stsDefault.reason}` };
}
