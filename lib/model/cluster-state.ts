import type { ConfigMap, KubeObject, Node, Pod, ServiceAccount, Workload } from './kube-objects';

// A ClusterState is plain data: everything the pure rules need about one cluster, collected once.
// A field that is `null` could not be read; the reason is in `sourceErrors`, and rules that need that
// input do not fire (findings.md: "A rule that cannot be evaluated because its input is missing ... does not fire").

export type ClusterKind = 'eks' | 'k3s' | 'rke2' | 'kubernetes';

export type SourceService = 'kubernetes' | 'eks' | 'iam' | 'sts' | 's3';

export interface SourceError {
  cluster?: string;
  source: SourceService;
  /** The API call, e.g. "DescribePodIdentityAssociation" or "list pods". */
  operation: string;
  /** The error code as the service gave it, e.g. "AccessDeniedException", "Forbidden", "ECONNREFUSED". */
  code: string;
  message: string;
  /** For AccessDenied: the IAM action (eks:DescribePodIdentityAssociation) or RBAC verb (list pods) the console lacks. */
  missingPermission?: string;
  /** What the failure leaves unknown, e.g. { associationId: "a-…" } or { roleArn: "…" }. */
  subject?: Record<string, string>;
}

export interface EksClusterFacts {
  name: string;
  arn: string;
  account: string;
  region: string;
  version?: string;
  platformVersion?: string;
  oidcIssuer?: string;
  status?: string;
  /** DescribeCluster computeConfig.enabled: EKS Auto Mode, whose nodes have the Pod Identity agent built in. */
  autoMode?: boolean;
  /** kubernetesNetworkConfig.ipFamily: "ipv4" or "ipv6" (PI013: which agent address NO_PROXY must cover). */
  serviceIpFamily?: string;
}

export interface EksAddon {
  name: string;
  version?: string;
  status?: string;
}

/** An access policy associated with an access entry (EKS API reference, AssociatedAccessPolicy). */
export interface EksAccessPolicyAssociation {
  /** arn:aws:eks::aws:cluster-access-policy/NAME */
  policyArn: string;
  accessScope: { type: 'cluster' } | { type: 'namespace'; namespaces: string[] };
}

/** An EKS access entry: an IAM principal's way into the cluster's Kubernetes API. */
export interface EksAccessEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups: string[];
  /** null = ListAssociatedAccessPolicies failed for this entry (the reason is a SourceError). */
  accessPolicies: EksAccessPolicyAssociation[] | null;
}

export interface PodIdentityAssociation {
  associationId: string;
  associationArn: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  /** Absent when DescribePodIdentityAssociation failed for it (the summary carries no role). */
  roleArn?: string;
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags?: boolean;
  ownerArn?: string;
  /** The association's session policy (JSON text as EKS returns it); the pods get role ∩ this policy. */
  policy?: string;
  createdAt?: string;
  modifiedAt?: string;
  tags?: Record<string, string>;
}

/** A trust or permission policy document, decoded from IAM's URL-encoded JSON. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

export type OneOrMany<T> = T | T[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: OneOrMany<string>; Service?: OneOrMany<string>; Federated?: OneOrMany<string> };
  NotPrincipal?: unknown;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: Record<string, Record<string, OneOrMany<string | boolean | number>>>;
}

export interface IamRole {
  arn: string;
  name: string;
  account: string;
  path?: string;
  createDate?: string;
  trustPolicy: PolicyDocument;
  tags?: Record<string, string>;
  /** GetRole PermissionsBoundary: a managed policy that caps the role's permissions. */
  permissionsBoundaryArn?: string;
}

/** A managed policy at its default version (GetPolicy → GetPolicyVersion). */
export interface ManagedPolicyVersion {
  arn: string;
  name: string;
  versionId: string;
  document: PolicyDocument;
}

/**
 * The permission policies of one role. null = could not be read (the reason is in `errors`); the verdicts
 * that need it say unknown.
 */
export interface RolePolicies {
  inline: { name: string; document: PolicyDocument }[] | null;
  managed: ManagedPolicyVersion[] | null;
  /** undefined: no boundary; null: a boundary the console could not read. */
  boundary?: ManagedPolicyVersion | null;
  errors: SourceError[];
}

/** GetBucketPolicy for a bucket the console judges: the policy (or none) and the owner's account when known. */
export type BucketPolicyLookup =
  { status: 'found'; policy: PolicyDocument | null; account: string | null } | { status: 'error'; error: SourceError };

/** What GetRole said about one role ARN. */
export type RoleLookup = { status: 'found'; role: IamRole } | { status: 'missing' } | { status: 'error'; error: SourceError };

export interface ClusterState {
  /** Display name: the EKS name, else the kubeconfig context name, else the config's name. */
  name: string;
  kind: ClusterKind;
  context?: string;
  /** The API server's gitVersion from /version (e.g. "v1.31.4+k3s1"), when it answered. */
  serverVersion?: string;
  /** When this cluster was collected (RFC 3339); rules measure ages against it, never against the wall clock. */
  collectedAt: string;
  eks?: {
    /** null = DescribeCluster failed. */
    cluster: EksClusterFacts | null;
    /** Cluster's STS regional default: from config or the version table; undefined = unknown. */
    addons: EksAddon[] | null;
    associations: PodIdentityAssociation[] | null;
    /** The per-cluster association limit from config; undefined = the documented default. */
    associationLimit?: number;
    /** The cluster's access entries; null = unreadable, undefined = not read (a state from before they were). */
    accessEntries?: EksAccessEntry[] | null;
  };
  /**
   * Set when the console reaches this cluster with its own EKS token (clusters[].arn or discover): the IAM
   * principal the cluster's access entries must admit (a role's ARN, not its session's), null when
   * sts:GetCallerIdentity failed. CL005 looks for its access entry.
   */
  consolePrincipalArn?: string | null;
  kube: {
    serviceAccounts: ServiceAccount[] | null;
    pods: Pod[] | null;
    nodes: Node[] | null;
    namespaces: string[] | null;
    /** Owners of pods (ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs). */
    workloads: Workload[] | null;
    /** kube-system/eks-pod-identity-agent; undefined = not looked up (non-EKS), null = absent or unreadable. */
    agentDaemonSet?: Workload | null;
    /** Pods of the agent DaemonSet, to tell which nodes have a ready agent. */
    agentPods?: Pod[] | null;
    /** Custom resources and config the snapshot rules read; null = unreadable, [] = none. */
    restateClusters?: KubeObject[] | null;
    etcdSnapshotFiles?: KubeObject[] | null;
    configMaps?: ConfigMap[] | null;
    /**
     * Key NAMES (never values) of the Secrets that pods reference with envFrom, by "namespace/name", so ID002
     * can tell whether `envFrom: secretRef` brings in AWS_ACCESS_KEY_ID. undefined/null = not read; a Secret
     * missing from the map = unknown.
     */
    secretKeyNames?: Record<string, string[]> | null;
  };
  sourceErrors: SourceError[];
}

/** The whole fleet: what fleet-scope rules (PI008) need beyond one cluster. */
export interface FleetState {
  clusters: ClusterState[];
  /** Every role the console looked up, by ARN (association roles, target roles, IRSA roles). */
  roles: Record<string, RoleLookup>;
  /** Per account: every role (ListRoles) for PI008, and registered OIDC provider URLs (host+path, no scheme). */
  accounts: Record<string, { roles: IamRole[] | null; oidcProviders: string[] | null }>;
  /** Permission policies of the roles workloads act as (the association's target role or role, IRSA roles). */
  policies?: Record<string, RolePolicies>;
  /** Bucket policies of buckets the console judges (snapshot destinations, resources asked about), by bucket name. */
  bucketPolicies?: Record<string, BucketPolicyLookup>;
  sourceErrors: SourceError[];
  collectedAt: string;
}
