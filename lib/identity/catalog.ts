import type { Severity, SuggestedAction } from '@/lib/model/finding';

// The one catalog of findings (shared/docs/findings.md) as data: codes are an API, never renumber. Rules take
// their severity from here, the UI its code filter and legend, the snapshot sources their severities and the
// SN006 cause groups. `title` names the finding in a list (a finding's own title, specific to its subject, wins
// on display); `fires` is the catalog line, which rule tests quote.

export type FindingGroup = 'Pod Identity' | 'IRSA' | 'Identity' | 'STS endpoint' | 'Cluster' | 'Permissions' | 'Snapshots';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  group: FindingGroup;
  /** What a finding is about: a service account (its row), the cluster, or a snapshot source (its writer's row). */
  scope: 'service-account' | 'cluster' | 'snapshot-source';
  title: string;
  fires: string;
  action?: SuggestedAction['type'];
}

const entries: CatalogEntry[] = [
  {
    code: 'PI001',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "The association's role or target role does not exist",
    fires: "the association's role (or target role) does not exist (IAM NoSuchEntity)",
    action: 'update-association',
  },
  {
    code: 'PI002',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Trust policy does not let pods.eks.amazonaws.com AssumeRole and TagSession',
    fires:
      "the role's trust policy has no Allow statement for principal pods.eks.amazonaws.com granting both sts:AssumeRole and sts:TagSession",
    action: 'fix-trust-policy',
  },
  {
    code: 'PI003',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'A trust policy condition cannot match this cluster or service account',
    fires: 'that statement carries a condition that cannot match for this cluster/SA',
    action: 'fix-trust-policy',
  },
  {
    code: 'PI004',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "No ready Pod Identity agent on the pods' nodes",
    fires:
      'the cluster has no eks-pod-identity-agent add-on, or its DaemonSet has no ready pod on a Linux EC2 node that runs pods of this SA (EKS Auto Mode nodes have the agent built in)',
  },
  {
    code: 'PI005',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Pods admitted before the association lack the Pod Identity env',
    fires: 'some pods of the SA lack AWS_CONTAINER_CREDENTIALS_FULL_URI in any container (admitted before the association existed)',
    action: 'roll-pods',
  },
  {
    code: 'PI006',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Pods run on Fargate or Windows nodes, where Pod Identity does not work',
    fires: 'pods of the SA run on nodes where Pod Identity does not work: Fargate or Windows',
  },
  {
    code: 'PI007',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'The association names a namespace or service account that does not exist',
    fires: 'the association names a namespace or service account that does not exist',
    action: 'delete-association',
  },
  {
    code: 'PI008',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'cluster',
    title: 'A role trusts Pod Identity but no association uses it',
    fires: "an IAM role in the cluster's account trusts pods.eks.amazonaws.com but no association in any configured cluster uses it",
    action: 'create-association',
  },
  {
    code: 'PI009',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'An image ships an AWS SDK too old for Pod Identity',
    fires: "a container image of the SA's pods is known to ship an AWS SDK too old for Pod Identity",
  },
  {
    code: 'PI010',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'cluster',
    title: 'Associations near the per-cluster limit',
    fires: 'associations ≥ 90% of the per-cluster limit (5,000; configurable)',
  },
  {
    code: 'PI011',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'The association is owned by an EKS add-on',
    fires: 'the association is owned by an EKS add-on (ownerArn set): change it through the add-on',
  },
  {
    code: 'PI012',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "The target role does not trust the association's role",
    fires: "a target role (targetRoleArn) is set and its trust policy does not trust the association's role",
    action: 'fix-trust-policy',
  },
  {
    code: 'PI013',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'A proxy variable would send the credential request away from the agent',
    fires:
      'pods of the SA get Pod Identity env and set HTTP_PROXY or HTTPS_PROXY while NO_PROXY does not cover the agent address 169.254.170.23 (and fd00:ec2::23 on IPv6)',
  },
  {
    code: 'IR001',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The role-arn annotation is not a valid IAM role ARN',
    fires: 'the annotation is not a valid IAM role ARN',
  },
  {
    code: 'IR002',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The IRSA role does not exist',
    fires: 'the role does not exist',
  },
  {
    code: 'IR003',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: "The cluster's OIDC issuer is not registered as an IAM OIDC provider",
    fires: "the cluster's OIDC issuer is not registered as an IAM OIDC provider in the role's account",
  },
  {
    code: 'IR004',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: "No web-identity trust statement for this cluster's OIDC provider",
    fires:
      "the trust policy has no Allow statement for sts:AssumeRoleWithWebIdentity with Principal.Federated = this cluster's OIDC provider ARN",
  },
  {
    code: 'IR005',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The web-identity trust conditions exclude this service account',
    fires: 'such a statement exists but its conditions exclude this SA',
  },
  {
    code: 'IR006',
    severity: 'warning',
    group: 'IRSA',
    scope: 'service-account',
    title: 'Pods admitted before the annotation lack the web-identity env',
    fires: 'some pods of the SA lack AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE and the SA has no association',
    action: 'roll-pods',
  },
  {
    code: 'IR007',
    severity: 'warning',
    group: 'IRSA',
    scope: 'service-account',
    title: 'token-expiration is not an integer in 600–86400',
    fires: 'eks.amazonaws.com/token-expiration is not an integer in 600–86400',
  },
  {
    code: 'ID001',
    severity: 'warning',
    group: 'Identity',
    scope: 'service-account',
    title: 'Both a Pod Identity association and an IRSA annotation',
    fires: 'the SA has both an association and an IRSA annotation',
    action: 'remove-irsa-annotation',
  },
  {
    code: 'ID002',
    severity: 'error',
    group: 'Identity',
    scope: 'service-account',
    title: 'Static AWS access keys in the pods’ env',
    fires: "a container of the SA's pods sets static AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY",
  },
  {
    code: 'ST001',
    severity: 'warning',
    group: 'STS endpoint',
    scope: 'service-account',
    title: 'Running pods differ from the desired STS endpoint mode',
    fires: 'running pods differ from the desired mode',
    action: 'roll-pods',
  },
  {
    code: 'ST002',
    severity: 'info',
    group: 'STS endpoint',
    scope: 'service-account',
    title: 'The desired STS endpoint mode is not regional',
    fires: 'the desired mode is not regional: AWS recommends regional',
    action: 'set-sts-regional-endpoints',
  },
  {
    code: 'CL001',
    severity: 'error',
    group: 'Cluster',
    scope: 'cluster',
    title: 'Associations but no eks-pod-identity-agent add-on',
    fires: 'the cluster has associations but no eks-pod-identity-agent add-on, and it is not an EKS Auto Mode cluster',
  },
  {
    code: 'CL002',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'The agent DaemonSet has fewer ready pods than desired',
    fires: 'the agent DaemonSet has fewer ready pods than desired',
  },
  {
    code: 'CL003',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'Platform version below the Pod Identity minimum',
    fires: "the cluster's platform version is below the Pod Identity minimum for its Kubernetes version",
  },
  {
    code: 'CL004',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'A source could not be read',
    fires: 'a source could not be read (AccessDenied, throttled past retries, unreachable)',
  },
  {
    code: 'CL005',
    severity: 'error',
    group: 'Cluster',
    scope: 'cluster',
    title: "The console's access entry is missing or too narrow",
    fires: "the console's principal has no access entry, or one too narrow for what the console needs",
  },
  {
    code: 'PM001',
    severity: 'error',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The workload cannot do what it is known to need',
    fires:
      'a workload cannot do what it is known to need (a Restate snapshot writer: s3:PutObject/GetObject on its prefix, s3:ListBucket on its bucket)',
  },
  {
    code: 'PM002',
    severity: 'warning',
    group: 'Permissions',
    scope: 'service-account',
    title: 'A policy tests EKS session tags the association turns off',
    fires: 'an identity or session policy of the role tests EKS session tags while the association has disableSessionTags: true',
    action: 'update-association',
  },
  {
    code: 'PM003',
    severity: 'warning',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The pods can escalate to other identities',
    fires:
      'the effective permissions allow * on *, or iam:*, iam:PassRole, iam:CreateAccessKey, iam:PutRolePolicy, iam:AttachRolePolicy or sts:AssumeRole on Resource *',
  },
  {
    code: 'PM004',
    severity: 'info',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The association carries a session policy',
    fires: "the association carries a session policy: the pods get the intersection of the role's permissions and this policy",
  },
  {
    code: 'SN001',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: "A Restate partition's newest snapshot is too old",
    fires: "a Restate partition's newest snapshot is older than its threshold",
  },
  {
    code: 'SN002',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'A Restate destination is missing latest.json',
    fires: 'a Restate destination has a partition with no latest.json while others have one, or has none at all',
  },
  {
    code: 'SN003',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'The snapshot destination cannot be read',
    fires: 'the snapshot destination cannot be read by the console; freshness unknown',
  },
  {
    code: 'SN004',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'An etcd snapshot failed in the last 24 h',
    fires: 'a K3s/RKE2 ETCDSnapshotFile is readyToUse=false with status.error in the last 24 h',
  },
  {
    code: 'SN005',
    severity: 'warning',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'The newest etcd snapshot is older than 1.5 × the schedule',
    fires: 'the newest successful etcd snapshot of a storage location is older than 1.5 × the schedule interval',
  },
  {
    code: 'SN006',
    severity: 'warning',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: "Snapshots fail and their writer's identity is broken",
    fires: 'snapshots are stale/failing and the workload that writes them has an identity or permission finding of severity error',
    action: 'open-serviceaccount',
  },
];

export const FINDING_CATALOG: readonly CatalogEntry[] = entries;

const BY_CODE = new Map(entries.map((entry) => [entry.code, entry]));

/** A code's catalog entry (its title, group, severity), or undefined for a code the catalog does not know. */
export function catalogEntry(code: string): CatalogEntry | undefined {
  return BY_CODE.get(code);
}

export function severityOf(code: string): Severity {
  const entry = BY_CODE.get(code);
  if (!entry) throw new Error(`unknown finding code ${code}`);
  return entry.severity;
}

/** Codes that can appear on a service account's row (the matrix's code filter): snapshot codes join the writer's row. */
export const SERVICE_ACCOUNT_CODES = entries.filter((entry) => entry.scope !== 'cluster');

/** The groups whose errors can break a snapshot writer's credentials (SN006: "PI, IR, ID or PM codes"). */
const IDENTITY_GROUPS: ReadonlySet<FindingGroup> = new Set(['Pod Identity', 'IRSA', 'Identity', 'Permissions']);

export function isIdentityFinding(code: string): boolean {
  const group = BY_CODE.get(code)?.group;
  return group !== undefined && IDENTITY_GROUPS.has(group);
}

export function isSnapshotFinding(code: string): boolean {
  return BY_CODE.get(code)?.group === 'Snapshots';
}
