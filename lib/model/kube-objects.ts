// Kubernetes objects in their JSON wire form (as `kubectl get -o json` prints them): timestamps are
// RFC 3339 strings. The collector converts client-node's deserialized classes to this form so that the
// pure core, its fixtures and the cache all share one plain-data shape. Only the fields the console reads
// are typed; everything else passes through untyped.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [extra: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [extra: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name?: string; key: string; optional?: boolean };
    configMapKeyRef?: { name?: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    [extra: string]: unknown;
  };
}

export interface EnvFromSource {
  prefix?: string;
  secretRef?: { name?: string; optional?: boolean };
  configMapRef?: { name?: string; optional?: boolean };
}

export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  [extra: string]: unknown;
}

export interface Volume {
  name: string;
  projected?: {
    sources?: { serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string } }[];
    [extra: string]: unknown;
  };
  [extra: string]: unknown;
}

export interface PodSpec {
  serviceAccountName?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  [extra: string]: unknown;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    startTime?: string;
    conditions?: PodCondition[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      image?: string;
      imageID?: string;
      restartCount?: number;
      [extra: string]: unknown;
    }[];
    podIP?: string;
    [extra: string]: unknown;
  };
}

export interface ServiceAccount extends KubeObject {
  automountServiceAccountToken?: boolean;
}

export interface Node extends KubeObject {
  spec?: { taints?: { key: string; value?: string; effect: string }[]; [extra: string]: unknown };
  status?: {
    conditions?: { type: string; status: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string };
    [extra: string]: unknown;
  };
}

export interface PodTemplate {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export interface Workload extends KubeObject {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: PodTemplate; [extra: string]: unknown };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    [extra: string]: unknown;
  };
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

// What these objects mean to the console, in one place (in the manner of headlamp's per-kind classes): the
// service-account annotations the EKS Pod Identity webhook reads for IRSA, the credential env the webhooks
// inject into pods, and the workload a pod belongs to.

/** IRSA's service-account annotations (amazon-eks-pod-identity-webhook README, "Usage"). */
export const ANNOTATION_ROLE_ARN = 'eks.amazonaws.com/role-arn';
export const ANNOTATION_AUDIENCE = 'eks.amazonaws.com/audience';
export const ANNOTATION_STS_REGIONAL = 'eks.amazonaws.com/sts-regional-endpoints';
export const ANNOTATION_TOKEN_EXPIRATION = 'eks.amazonaws.com/token-expiration';
/** The token audience without ANNOTATION_AUDIENCE. */
export const DEFAULT_IRSA_AUDIENCE = 'sts.amazonaws.com';

/** The role a service account is annotated with for IRSA, trimmed; undefined without the annotation. */
export function irsaRoleArnOf(serviceAccount: ServiceAccount): string | undefined {
  return serviceAccount.metadata.annotations?.[ANNOTATION_ROLE_ARN]?.trim();
}

/** The env the Pod Identity webhook injects (EKS Pod Identity: the container credential provider). */
export const POD_IDENTITY_ENV = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
/** The env the IRSA webhook injects; a container has IRSA only with both. */
export const IRSA_ENV = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;
/** Set by the IRSA webhook to "regional" when the service account (or the cluster's default) asks for it. */
export const STS_REGIONAL_ENV = 'AWS_STS_REGIONAL_ENDPOINTS';
export const STATIC_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** One variable of a container's `env` (envFrom aside): whether it is declared, and its literal value. */
export function containerEnvValue(container: Container, name: string): { present: boolean; value: string | null } {
  const variable = container.env?.find((candidate) => candidate.name === name);
  if (!variable) return { present: false, value: null };
  return { present: true, value: variable.value ?? null };
}

/** A pod's env by name, as its (non-init) containers declare it: the first container's value wins. */
export function podEnv(pod: Pod): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  for (const container of pod.spec.containers ?? [])
    for (const variable of container.env ?? []) if (!env.has(variable.name)) env.set(variable.name, variable.value);
  return env;
}

/** The owner that controls an object: its controller reference, else its first owner; null for a bare object. */
export function controllerRef(metadata: ObjectMeta): OwnerReference | null {
  return metadata.ownerReferences?.find((ref) => ref.controller) ?? metadata.ownerReferences?.[0] ?? null;
}

/**
 * The workload a user knows a pod by: its controller, or, for a ReplicaSet or a Job, the owner `parentOf` finds
 * for that controller (a ReplicaSet's Deployment, a Job's CronJob) when it finds one.
 */
export function workloadOf(
  pod: Pod,
  parentOf: (controller: OwnerReference) => OwnerReference | null | undefined,
): { kind: string; name: string } | null {
  const ref = controllerRef(pod.metadata);
  if (!ref) return null;
  const parent = ref.kind === 'ReplicaSet' || ref.kind === 'Job' ? parentOf(ref) : null;
  return parent ? { kind: parent.kind, name: parent.name } : { kind: ref.kind, name: ref.name };
}
