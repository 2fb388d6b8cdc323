import type { SimClock } from './clock';

// The simulator's shared state model. The AWS half (sim/aws) owns accounts, buckets and the EKS control
// plane; the Kubernetes half (sim/kube) owns each cluster's object store and reads the EKS state at pod
// admission (associations, add-ons). Both go through `faults` before every handler, and both read `clock`.

export interface SimRole {
  name: string;
  path: string;
  arn: string;
  roleId: string;
  account: string;
  /** The decoded AssumeRolePolicyDocument (IAM returns it URL-encoded on the wire). */
  trustPolicy: Record<string, unknown>;
  tags: Record<string, string>;
  createdAt: string;
  description?: string;
}

export interface SimOidcProvider {
  /** https://oidc.eks.REGION.amazonaws.com/id/XYZ */
  url: string;
  arn: string;
  clientIds: string[];
  thumbprints: string[];
  createdAt: string;
}

export interface SimAccount {
  id: string;
  accessKeyId: string;
  secretAccessKey: string;
  roles: Map<string, SimRole>; // by role name
  oidcProviders: Map<string, SimOidcProvider>; // by ARN
}

export interface SimObject {
  key: string;
  body: Buffer;
  contentType: string;
  lastModified: string;
  etag: string;
}

export interface SimBucket {
  name: string;
  region: string;
  owner: string;
  deny: Set<string>;
  createdAt: string;
  objects: Map<string, SimObject>; // by key
}

export interface SimAssociation {
  associationId: string;
  associationArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags: boolean;
  ownerArn?: string;
  tags: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
}

export interface SimAddon {
  name: string;
  version: string;
  status: string;
  createdAt: string;
}

export interface SimEksCluster {
  name: string;
  arn: string;
  account: string;
  region: string;
  version: string;
  platformVersion: string;
  oidcIssuer: string;
  /** Cluster default when the SA has no sts-regional-endpoints annotation (domain.md §1c). */
  stsRegionalDefault: boolean;
  createdAt: string;
  addons: Map<string, SimAddon>; // by add-on name
  associations: Map<string, SimAssociation>; // by associationId
}

export type FaultService = 'eks' | 'iam' | 'sts' | 's3' | 'kube';

/** What the fault layer decided for one request. */
export interface FaultDecision {
  latencyMs?: number;
  error?: { status: number; code: string; message: string };
  /** Over the rate: answer with the service's real throttling error. */
  throttled?: boolean;
  /** Never answer (until the client gives up or the fault is cleared). */
  hang?: boolean;
}

export interface FaultSpec {
  id?: string;
  service: FaultService;
  /** AWS operation name, or for kube "<verb> <resource>", e.g. "list pods", "patch serviceaccounts". */
  operation: string;
  cluster?: string;
  latencyMs?: number;
  error?: { status: number; code: string; message: string };
  throttle?: { perSecond: number };
  hang?: boolean;
  probability: number;
}

export interface FaultLayer {
  evaluate(service: FaultService, operation: string, cluster?: string): FaultDecision | null;
  add(fault: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
  list(): FaultSpec[];
}

export type WorldEvent =
  | { type: 'association-changed'; cluster: string; associationId: string; change: 'created' | 'updated' | 'deleted' }
  | { type: 'addon-changed'; cluster: string; addon: string };

export interface SimWorld {
  clock: SimClock;
  accounts: Map<string, SimAccount>; // by account id
  buckets: Map<string, SimBucket>; // by name
  eksClusters: Map<string, SimEksCluster>; // by cluster name
  faults: FaultLayer;
  /** Listeners for EKS-side changes the Kubernetes half may react to. */
  onEvent(listener: (event: WorldEvent) => void): () => void;
  emit(event: WorldEvent): void;
}
