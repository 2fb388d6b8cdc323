import type { AwsTraffic } from './aws-traffic';
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
  /** Inline policies by name, decoded (IAM returns them URL-encoded). */
  inlinePolicies: Map<string, PolicyDocument>;
  /** ARNs of attached managed policies, in attachment order. */
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

export type PolicyDocument = Record<string, unknown>;

export interface SimPolicyVersion {
  versionId: string;
  document: PolicyDocument;
  createdAt: string;
}

/** A managed policy: customer managed (account = its id) or AWS managed (account = "aws"). */
export interface SimManagedPolicy {
  name: string;
  path: string;
  arn: string;
  policyId: string;
  account: string;
  description?: string;
  defaultVersionId: string;
  versions: Map<string, SimPolicyVersion>;
  createdAt: string;
  updatedAt: string;
}

export interface SimUser {
  name: string;
  path: string;
  arn: string;
  userId: string;
  account: string;
  accessKeyId: string;
  secretAccessKey: string;
  tags: Record<string, string>;
  createdAt: string;
  inlinePolicies: Map<string, PolicyDocument>;
  attachedPolicies: string[];
  permissionsBoundary?: string;
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
  users: Map<string, SimUser>; // by user name
  managedPolicies: Map<string, SimManagedPolicy>; // customer managed, by ARN
  oidcProviders: Map<string, SimOidcProvider>; // by ARN
}

export interface SimObject {
  key: string;
  body: Buffer;
  contentType: string;
  lastModified: string;
  etag: string;
  /** Simulator-only: this Restate partition's leader is stuck, so the simulated writer never snapshots it. */
  leaderStuck?: boolean;
}

export interface SimBucket {
  name: string;
  region: string;
  owner: string;
  deny: Set<string>;
  /** The bucket policy, decoded; undefined = none (GetBucketPolicy answers NoSuchBucketPolicy). */
  policy?: PolicyDocument;
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
  /** Session policy as EKS stores it: the JSON text the caller sent. */
  policy?: string;
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

/** An access policy associated with an access entry (EKS API reference, AssociatedAccessPolicy). */
export interface SimAccessPolicyAssociation {
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] };
  associatedAt: string;
  modifiedAt: string;
}

/** EKS API reference, AccessEntry.type; only STANDARD entries take access policies, groups and a username. */
export type SimAccessEntryType = 'STANDARD' | 'EC2_LINUX' | 'EC2_WINDOWS' | 'FARGATE_LINUX' | 'EC2' | 'HYBRID_LINUX' | 'HYPERPOD_LINUX';

/** An EKS access entry: an IAM principal's way into the cluster's Kubernetes API (EKS API reference, AccessEntry). */
export interface SimAccessEntry {
  principalArn: string;
  accessEntryArn: string;
  kubernetesGroups: string[];
  /** May contain {{SessionName}}, filled from the caller's role session. */
  username: string;
  type: SimAccessEntryType;
  tags: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  /** By policy ARN: each policy is associated at most once (EKS access-policies docs). */
  accessPolicies: Map<string, SimAccessPolicyAssociation>;
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
  /** EKS Auto Mode (DescribeCluster computeConfig.enabled). */
  autoMode: boolean;
  /** Most Pod Identity associations Create accepts (domain.md §1a: 5,000 by default). */
  associationLimit: number;
  accessEntries: Map<string, SimAccessEntry>; // by principal ARN
}

/** Where the simulator listens, known once its servers are up (DescribeCluster's endpoint, EKS token checks). */
export interface SimEndpoints {
  /** The AWS endpoint (AWS_ENDPOINT_URL), e.g. http://127.0.0.1:4566 */
  aws: string;
  /** The Kubernetes API server base; a cluster is served at <kube>/clusters/<name>. */
  kube: string;
  /** Base64 PEM of the API server's CA, as DescribeCluster's certificateAuthority.data carries it. */
  certificateAuthorityData: string;
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
  /** AWS managed policies the simulator knows (sim/data/aws-managed-policies.json), by ARN. */
  awsManagedPolicies: Map<string, SimManagedPolicy>;
  eksClusters: Map<string, SimEksCluster>; // by cluster name
  faults: FaultLayer;
  /** Calls counted per account and operation, and the accounts' API rate limits (scenario `rateLimits`). */
  traffic: AwsTraffic;
  /** Set by startSim once the servers listen. */
  endpoints?: SimEndpoints;
  /** Listeners for EKS-side changes the Kubernetes half may react to. */
  onEvent(listener: (event: WorldEvent) => void): () => void;
  emit(event: WorldEvent): void;
}
