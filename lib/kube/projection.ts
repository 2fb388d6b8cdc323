import type { Container, KubeObject, Node, ObjectMeta, Pod, PodTemplate, Volume, Workload } from '@/lib/model/kube-objects';

// What an informer keeps of each object: the fields lib/model/kube-objects.ts types (the ones the rules read),
// nothing else. A pod's wire form is mostly managedFields, status detail and container specs the rules never
// look at; at 200,000 pods (issue 17) keeping whole objects would cost gigabytes. Pure, so a test can check
// that the rules judge a projected fleet exactly as the whole one.

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
  for (const key of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'labels', 'ownerReferences'] as const)
    if (metadata[key] !== undefined) (out as Record<string, unknown>)[key] = metadata[key];
  if (metadata.annotations) {
    out.annotations = Object.fromEntries(Object.entries(metadata.annotations).filter(([key]) => key !== LAST_APPLIED));
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
    ...pick(spec, ['serviceAccountName', 'nodeName', 'nodeSelector']),
    containers: (spec.containers ?? []).map(projectContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(projectContainer) } : {}),
    ...(spec.volumes ? { volumes: spec.volumes.map(projectVolume) } : {}),
  };
}

function base(object: KubeObject): KubeObject {
  return {
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.kind ? { kind: object.kind } : {}),
    metadata: projectMetadata(object.metadata),
  };
}

export function projectPod(object: KubeObject): Pod {
  const pod = object as Pod;
  const status = pod.status
    ? {
        ...pick(pod.status, ['phase', 'startTime', 'conditions', 'podIP']),
        ...(pod.status.containerStatuses
          ? {
              containerStatuses: pod.status.containerStatuses.map((s) => pick(s, ['name', 'ready', 'image', 'imageID', 'restartCount'])!),
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
