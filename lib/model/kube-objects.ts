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
