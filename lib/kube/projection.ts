import { createHash } from 'node:crypto';
import type { Container, KubeObject, Node, ObjectMeta, Pod, PodCondition, PodTemplate, Volume, Workload } from '@/lib/model/kube-objects';

// What an informer keeps of each object: the fields lib/model/kube-objects.ts types (the ones the rules read),
// nothing else. A pod's wire form is mostly managedFields, status detail and container specs the rules never
// look at; at 200,000 pods (issue 17) keeping whole objects would cost gigabytes. Pure, so a test can check
// that the rules judge a projected fleet exactly as the whole one.

/**
 * One copy of each repeated string. JSON.parse gives every value its own copy, and the pods of one workload
 * repeat nearly all of theirs (env names and values, images, mount paths, labels, owner names, namespaces): at
 * 200,000 pods that was most of the console's memory (issue 17's bench). Bounded: past MAX_INTERNED distinct
 * strings the table starts again (objects keep the copies they have), so churn cannot grow it for ever.
 */
const interned = new Map<string, string>();
const MAX_INTERNED = 200_000;

function intern<S extends string>(value: S): S {
  const known = interned.get(value) as S | undefined;
  if (known !== undefined) return known;
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(value, value);
  return value;
}

/** A copy of plain JSON data with every string interned (keys are already shared by V8). */
function internAll<T>(value: T): T {
  if (typeof value === 'string') return intern(value) as T;
  if (Array.isArray(value)) return value.map(internAll) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = internAll(item);
    return out as T;
  }
  return value;
}

/**
 * One copy of each repeated part: the pods of a workload have the same containers, volumes, labels and owner,
 * so they share one object for each (found by its JSON). Projected objects are never changed in place (the
 * rules are pure), which is what makes sharing safe. Bounded like the strings.
 */
const sharedParts = new Map<string, unknown>();

function share<T>(value: T): T {
  // Keyed by a digest of the JSON, not the JSON itself: at 50,000 workloads the keys alone were ~100 MB.
  const key = createHash('sha256').update(JSON.stringify(value)).digest('base64');
  const known = sharedParts.get(key);
  if (known !== undefined) return known as T;
  if (sharedParts.size >= MAX_INTERNED) sharedParts.clear();
  const part = internAll(value);
  sharedParts.set(key, part);
  return part;
}

/** kubectl apply's copy of the whole object: large, and nothing reads it. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function pick<T extends object, K extends keyof T>(source: T | undefined, keys: readonly K[]): Pick<T, K> | undefined {
  if (!source) return undefined;
  const out = {} as Pick<T, K>;
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

export function projectMetadata(metadata: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { name: metadata.name };
  // Unique per object: kept as they are.
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp'] as const)
    if (metadata[key] !== undefined) out[key] = metadata[key];
  // Shared with other objects (a namespace, a workload's labels and owner): interned.
  if (metadata.namespace !== undefined) out.namespace = intern(metadata.namespace);
  for (const key of ['labels', 'ownerReferences'] as const)
    if (metadata[key] !== undefined) (out as Record<string, unknown>)[key] = share(metadata[key]);
  if (metadata.annotations) {
    out.annotations = share(Object.fromEntries(Object.entries(metadata.annotations).filter(([key]) => key !== LAST_APPLIED)));
  }
  return out;
}

function projectContainer(container: Container): Container {
  return { ...pick(container, ['image', 'env', 'envFrom', 'volumeMounts']), name: container.name };
}

/** A volume matters only when it projects a service account token (IRSA's and Pod Identity's token files). */
function projectVolume(volume: Volume): Volume {
  const sources = volume.projected?.sources?.filter((source) => source.serviceAccountToken);
  return sources && sources.length > 0 ? { name: volume.name, projected: { sources } } : { name: volume.name };
}

function projectPodSpec(spec: Pod['spec']): Pod['spec'] {
  return {
    ...internAll(pick(spec, ['serviceAccountName', 'nodeName', 'nodeSelector'])),
    containers: share((spec.containers ?? []).map(projectContainer)),
    ...(spec.initContainers ? { initContainers: share(spec.initContainers.map(projectContainer)) } : {}),
    ...(spec.volumes ? { volumes: share(spec.volumes.map(projectVolume)) } : {}),
  };
}

function base(object: KubeObject): KubeObject {
  return {
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.kind ? { kind: object.kind } : {}),
    metadata: projectMetadata(object.metadata),
  };
}

/** Only readiness is read of a pod's conditions (lib/identity/identity-context.ts), as type and status. */
const READY_CONDITIONS: readonly PodCondition[] = [
  { type: 'Ready', status: 'True' },
  { type: 'Ready', status: 'False' },
  { type: 'Ready', status: 'Unknown' },
];

export function projectPod(object: KubeObject): Pod {
  const pod = object as Pod;
  // The rules read a pod's phase, start time and readiness; its IP, container statuses and condition times
  // nothing does (a roll reads pods live).
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  const status = pod.status
    ? {
        ...(pod.status.phase !== undefined ? { phase: intern(pod.status.phase) } : {}),
        ...(pod.status.startTime !== undefined ? { startTime: pod.status.startTime } : {}),
        ...(ready
          ? {
              conditions: [
                READY_CONDITIONS.find((known) => known.status === ready.status) ?? { type: 'Ready', status: intern(ready.status) },
              ],
            }
          : {}),
      }
    : undefined;
  return { ...base(pod), spec: projectPodSpec(pod.spec ?? { containers: [] }), ...(status ? { status } : {}) };
}

export function projectServiceAccount(object: KubeObject): KubeObject {
  const automount = (object as { automountServiceAccountToken?: boolean }).automountServiceAccountToken;
  return { ...base(object), ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}) };
}

export function projectNode(object: KubeObject): Node {
  const node = object as Node;
  return {
    ...base(node),
    ...(node.spec?.taints ? { spec: { taints: node.spec.taints } } : {}),
    ...(node.status
      ? {
          status: {
            // Only the condition types and statuses: their heartbeat timestamps change every few minutes.
            ...(node.status.conditions ? { conditions: node.status.conditions.map(({ type, status }) => ({ type, status })) } : {}),
            ...(node.status.nodeInfo ? { nodeInfo: pick(node.status.nodeInfo, ['kubeletVersion', 'osImage']) } : {}),
          },
        }
      : {}),
  };
}

function projectTemplate(template: PodTemplate | undefined): PodTemplate | undefined {
  if (!template) return undefined;
  return { ...(template.metadata ? { metadata: template.metadata } : {}), spec: projectPodSpec(template.spec ?? { containers: [] }) };
}

export function projectWorkload(object: KubeObject): Workload {
  const workload = object as Workload;
  const spec = workload.spec as (Workload['spec'] & { jobTemplate?: { spec?: { template?: PodTemplate } } }) | undefined;
  const projectedSpec = spec
    ? {
        ...pick(spec, ['replicas', 'selector']),
        ...(spec.template ? { template: projectTemplate(spec.template) } : {}),
        ...(spec.jobTemplate?.spec?.template
          ? { jobTemplate: { spec: { template: projectTemplate(spec.jobTemplate.spec.template) } } }
          : {}),
      }
    : undefined;
  return {
    ...base(workload),
    kind: workload.kind,
    ...(projectedSpec ? { spec: projectedSpec } : {}),
    ...(workload.status ? { status: workload.status } : {}),
  } as Workload;
}

export function projectConfigMap(object: KubeObject): KubeObject {
  const data = (object as { data?: Record<string, string> }).data;
  return { ...base(object), ...(data ? { data } : {}) };
}

/** A namespace is only its name (and version, for relists). */
export function projectNamespace(object: KubeObject): KubeObject {
  return {
    metadata: {
      name: object.metadata.name,
      ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
    },
  };
}
