import type { ClusterState } from '@/lib/model/cluster-state';
import type { ConfigMap, Container, EnvVar, KubeObject, Workload } from '@/lib/model/kube-objects';
import { normalizeDestinationUrl } from './destination';
import { envNameFor, layerSnapshotConfig, SNAPSHOT_ENV_PREFIX, type RestateConfigFile, type ResolvedEnvVar } from './restate-config';
import type { RestateSnapshotSettings, SnapshotWriter, SourceOrigin, SourceProblem } from './types';

// Finds where each Restate deployment in a cluster writes partition snapshots (domain.md §2a):
// (a) RestateCluster CRs (restate-operator): TOML spec.config overridden by spec.compute.env; the operator runs
//     the cluster in a namespace named after the CR with the ServiceAccount `restate`;
// (b) StatefulSets and Deployments (e.g. the Helm chart) that set RESTATE_WORKER__SNAPSHOTS__* or point
//     RESTATE_CONFIG / --config-file at a file of a mounted ConfigMap.

export interface DiscoveredRestateWriter {
  cluster: string;
  origin: SourceOrigin[];
  writer: SnapshotWriter;
  settings: RestateSnapshotSettings;
  problems: SourceProblem[];
}

const RESTATE_CLUSTER_SA = 'restate';

// A cluster's state is never changed once built, and a collection asks about each one up to three times (the
// buckets to judge, the sources to read, the known needs of its rows), each a walk of every workload: ~90 ms a
// time over the fleet bench's 20 clusters. The answer is kept per state (callers only read it).
const discoveredByState = new WeakMap<ClusterState, readonly DiscoveredRestateWriter[]>();

export function discoverRestateWriters(cluster: ClusterState): readonly DiscoveredRestateWriter[] {
  let discovered = discoveredByState.get(cluster);
  if (!discovered) {
    discovered = discoverInCluster(cluster);
    discoveredByState.set(cluster, discovered);
  }
  return discovered;
}

function discoverInCluster(cluster: ClusterState): DiscoveredRestateWriter[] {
  const configMaps = cluster.kube.configMaps ?? [];
  const found: DiscoveredRestateWriter[] = [];

  for (const restateCluster of cluster.kube.restateClusters ?? []) {
    const discovered = fromRestateCluster(cluster.name, restateCluster, configMaps);
    if (discovered) found.push(discovered);
  }
  const operatorNamespaces = new Set((cluster.kube.restateClusters ?? []).map((restateCluster) => restateCluster.metadata.name));
  for (const workload of cluster.kube.workloads ?? []) {
    if (workload.kind !== 'StatefulSet' && workload.kind !== 'Deployment') continue;
    if (isOperatorStatefulSet(workload, operatorNamespaces)) continue;
    found.push(...fromWorkload(cluster.name, workload, configMaps));
  }
  return mergeSameWriter(found);
}

/**
 * The StatefulSet `restate` the operator creates for a RestateCluster carries the CR's settings; the CR is
 * read directly (its spec is the source of truth, and its ConfigMap may not be collected).
 */
function isOperatorStatefulSet(workload: Workload, operatorNamespaces: Set<string>): boolean {
  if (workload.metadata.ownerReferences?.some((owner) => owner.kind === 'RestateCluster')) return true;
  return (
    workload.kind === 'StatefulSet' && workload.metadata.name === 'restate' && operatorNamespaces.has(workload.metadata.namespace ?? '')
  );
}

function fromRestateCluster(clusterName: string, restateCluster: KubeObject, configMaps: ConfigMap[]): DiscoveredRestateWriter | null {
  const name = restateCluster.metadata.name;
  const spec = asRecord(restateCluster.spec);
  const namespace = name; // the operator's namespace is named after the RestateCluster
  const configText = typeof spec?.config === 'string' ? spec.config : null;
  const compute = asRecord(spec?.compute);
  const envList = Array.isArray(compute?.env) ? (compute.env as EnvVar[]) : [];
  const { env, unresolved } = resolveEnv(envList, [], namespace, configMaps, `RestateCluster ${name} spec.compute.env`);
  const file: RestateConfigFile | null = configText !== null ? { text: configText, from: `RestateCluster ${name} spec.config` } : null;
  const layered = layerSnapshotConfig(file, env);
  const problems = [...layered.problems, ...unresolvedProblems(unresolved.filter(valueMatters))];
  if (layered.silent && problems.length === 0) return null;
  return {
    cluster: clusterName,
    origin: [{ kind: 'RestateCluster', cluster: clusterName, name }],
    writer: { cluster: clusterName, namespace, serviceAccount: RESTATE_CLUSTER_SA },
    settings: withUnresolvedCredentials(layered.settings, unresolved),
    problems,
  };
}

function fromWorkload(clusterName: string, workload: Workload, configMaps: ConfigMap[]): DiscoveredRestateWriter[] {
  const namespace = workload.metadata.namespace ?? 'default';
  const podSpec = workload.spec?.template?.spec;
  if (!podSpec) return [];
  const serviceAccount = podSpec.serviceAccountName || (typeof podSpec.serviceAccount === 'string' && podSpec.serviceAccount) || 'default';
  const found: DiscoveredRestateWriter[] = [];
  for (const container of podSpec.containers ?? []) {
    const where = `${workload.kind} ${namespace}/${workload.metadata.name} container ${container.name}`;
    const { env, unresolved } = resolveEnv(container.env ?? [], container.envFrom ?? [], namespace, configMaps, where);
    const setsSnapshotEnv = [...env.keys(), ...unresolved].some((name) => name.startsWith(SNAPSHOT_ENV_PREFIX));
    const configPath = configFilePath(container, env);
    const problems: SourceProblem[] = unresolvedProblems(unresolved.filter(valueMatters));
    let file: RestateConfigFile | null = null;
    if (configPath) {
      const resolved = configFileFromConfigMap(configPath.path, container, podSpec.volumes ?? [], namespace, configMaps);
      if ('text' in resolved) file = resolved;
      else if (setsSnapshotEnv) {
        problems.push({
          reason: 'The Restate config file could not be read from a mounted ConfigMap; only the env settings are shown.',
          evidence: { path: configPath.path, setBy: configPath.from, why: resolved.why },
        });
      }
    }
    if (!file && !setsSnapshotEnv) continue;
    const layered = layerSnapshotConfig(file, env);
    if (layered.silent && problems.length === 0) continue;
    found.push({
      cluster: clusterName,
      origin: [
        {
          kind: workload.kind as 'StatefulSet' | 'Deployment',
          cluster: clusterName,
          namespace,
          name: workload.metadata.name,
          container: container.name,
        },
      ],
      writer: { cluster: clusterName, namespace, serviceAccount },
      settings: withUnresolvedCredentials(layered.settings, unresolved),
      problems: [...layered.problems, ...problems],
    });
  }
  return found;
}

/** The config file path: `--config-file` on the command line wins over RESTATE_CONFIG (domain.md §2a precedence). */
function configFilePath(container: Container, env: Map<string, ResolvedEnvVar>): { path: string; from: string } | null {
  const argv = [...stringList(container.command), ...stringList(container.args)];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg.startsWith('--config-file=')) return { path: arg.slice('--config-file='.length), from: 'command line --config-file' };
    if (arg === '--config-file' && argv[index + 1]) return { path: argv[index + 1], from: 'command line --config-file' };
  }
  const variable = env.get('RESTATE_CONFIG');
  return variable && variable.value !== '' ? { path: variable.value, from: variable.from } : null;
}

function configFileFromConfigMap(
  path: string,
  container: Container,
  volumes: { name: string; [extra: string]: unknown }[],
  namespace: string,
  configMaps: ConfigMap[],
): RestateConfigFile | { why: string } {
  for (const mount of container.volumeMounts ?? []) {
    const rawSubPath = (mount as { subPath?: unknown }).subPath;
    const subPath = typeof rawSubPath === 'string' ? rawSubPath : undefined;
    const mountPath = mount.mountPath.replace(/\/+$/, '');
    let relative: string | null = null;
    if (subPath !== undefined && subPath !== '') {
      if (path === mountPath) relative = subPath;
    } else if (path.startsWith(`${mountPath}/`)) {
      relative = path.slice(mountPath.length + 1);
    }
    if (relative === null) continue;
    const volume = volumes.find((candidate) => candidate.name === mount.name);
    const source = asRecord(volume?.configMap);
    if (!source || typeof source.name !== 'string')
      return { why: `volume "${mount.name}" mounted at ${mount.mountPath} is not a ConfigMap volume` };
    // With `items`, a file's path inside the volume maps back to a key; without, the file name is the key.
    const items = Array.isArray(source.items) ? (source.items as { key: string; path: string }[]) : null;
    const key = items ? items.find((item) => item.path === relative)?.key : relative;
    if (!key) return { why: `ConfigMap ${namespace}/${source.name} has no item projected to ${relative}` };
    const configMap = configMaps.find(
      (candidate) => candidate.metadata.name === source.name && (candidate.metadata.namespace ?? 'default') === namespace,
    );
    if (!configMap) return { why: `ConfigMap ${namespace}/${source.name} was not found (or could not be read)` };
    const text = configMap.data?.[key];
    if (text === undefined) return { why: `ConfigMap ${namespace}/${source.name} has no key ${key}` };
    return { text, from: `ConfigMap ${namespace}/${source.name} key ${key}` };
  }
  return { why: `no ConfigMap volume is mounted at a directory holding ${path}` };
}

/** The container's env as Kubernetes sets it: envFrom first, then env, later entries winning. */
function resolveEnv(
  env: EnvVar[],
  envFrom: NonNullable<Container['envFrom']>,
  namespace: string,
  configMaps: ConfigMap[],
  where: string,
): { env: Map<string, ResolvedEnvVar>; unresolved: string[] } {
  const resolved = new Map<string, ResolvedEnvVar>();
  const unresolved = new Set<string>();
  const findConfigMap = (name?: string) =>
    configMaps.find((candidate) => candidate.metadata.name === name && (candidate.metadata.namespace ?? 'default') === namespace);
  for (const source of envFrom) {
    if (!source.configMapRef?.name) continue;
    const configMap = findConfigMap(source.configMapRef.name);
    for (const [key, value] of Object.entries(configMap?.data ?? {})) {
      const name = `${source.prefix ?? ''}${key}`;
      resolved.set(name, { value, from: `${where} envFrom ConfigMap ${namespace}/${source.configMapRef.name} key ${key}` });
      unresolved.delete(name);
    }
  }
  for (const variable of env) {
    if (variable.value !== undefined) {
      resolved.set(variable.name, { value: variable.value, from: `${where} env ${variable.name}` });
      unresolved.delete(variable.name);
      continue;
    }
    const ref = variable.valueFrom?.configMapKeyRef;
    const value = ref ? findConfigMap(ref.name)?.data?.[ref.key] : undefined;
    if (ref && value !== undefined) {
      resolved.set(variable.name, { value, from: `${where} env ${variable.name} from ConfigMap ${namespace}/${ref.name} key ${ref.key}` });
      unresolved.delete(variable.name);
    } else if (variable.valueFrom) {
      // From a Secret (never read) or a missing ConfigMap key: the effective value is unknown.
      resolved.delete(variable.name);
      unresolved.add(variable.name);
    } else {
      resolved.set(variable.name, { value: '', from: `${where} env ${variable.name}` });
    }
  }
  return { env: resolved, unresolved: [...unresolved] };
}

/** A key or profile set from a Secret still means the writer does not use its service account's identity. */
function withUnresolvedCredentials(settings: RestateSnapshotSettings, unresolved: string[]): RestateSnapshotSettings {
  if (unresolved.some((name) => name === envNameFor('aws-access-key-id') || name === envNameFor('aws-secret-access-key'))) {
    return { ...settings, credentialSource: 'static-keys' };
  }
  if (settings.credentialSource === 'default-chain' && unresolved.includes(envNameFor('aws-profile')))
    return { ...settings, credentialSource: 'profile' };
  return settings;
}

/** Settings whose unknown value leaves the destination or schedule unknown (credentials only matter by presence). */
function valueMatters(name: string): boolean {
  if (name === 'RESTATE_CONFIG') return true;
  return (
    name.startsWith(SNAPSHOT_ENV_PREFIX) &&
    !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name.slice(SNAPSHOT_ENV_PREFIX.length))
  );
}

function unresolvedProblems(names: string[]): SourceProblem[] {
  return names.map((name) => ({
    reason: `${name} is set from a Secret or a ConfigMap key the console could not read; its value is unknown.`,
    evidence: { env: name },
  }));
}

/** One Restate deployment found twice (the operator's CR and the StatefulSet it creates) is one writer. */
function mergeSameWriter(found: DiscoveredRestateWriter[]): DiscoveredRestateWriter[] {
  const byKey = new Map<string, DiscoveredRestateWriter>();
  for (const writer of found) {
    const destination = writer.settings.destination ? normalizeDestinationUrl(writer.settings.destination.value) : '';
    const key = [writer.cluster, writer.writer.namespace, writer.writer.serviceAccount, destination].join('|');
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { ...writer, origin: [...writer.origin] });
    else existing.origin.push(...writer.origin);
  }
  return [...byKey.values()];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
