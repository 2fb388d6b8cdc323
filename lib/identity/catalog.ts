import type { Severity, SuggestedAction } from '@/lib/model/finding';

// The finding catalog (shared/docs/findings.md) as data: codes are an API, never renumber.
// `fires` is the catalog line; rule tests quote it.

export interface CatalogEntry {
  code: string;
  severity: Severity;
  fires: string;
  action?: SuggestedAction['type'];
}

const entries: CatalogEntry[] = [
  {
    code: 'PI001',
    severity: 'error',
    fires: "the association's role (or target role) does not exist (IAM NoSuchEntity)",
    action: 'update-association',
  },
  {
    code: 'PI002',
    severity: 'error',
    fires:
      "the role's trust policy has no Allow statement for principal pods.eks.amazonaws.com granting both sts:AssumeRole and sts:TagSession",
    action: 'fix-trust-policy',
  },
  {
    code: 'PI003',
    severity: 'error',
    fires: 'that statement carries a condition that cannot match for this cluster/SA',
    action: 'fix-trust-policy',
  },
  {
    code: 'PI004',
    severity: 'error',
    fires:
      'the cluster has no eks-pod-identity-agent add-on, or its DaemonSet has no ready pod on a Linux EC2 node that runs pods of this SA (EKS Auto Mode nodes have the agent built in)',
  },
  {
    code: 'PI005',
    severity: 'warning',
    fires: 'some pods of the SA lack AWS_CONTAINER_CREDENTIALS_FULL_URI in any container (admitted before the association existed)',
    action: 'roll-pods',
  },
  { code: 'PI006', severity: 'error', fires: 'pods of the SA run on nodes where Pod Identity does not work: Fargate or Windows' },
  {
    code: 'PI007',
    severity: 'info',
    fires: 'the association names a namespace or service account that does not exist',
    action: 'delete-association',
  },
  {
    code: 'PI008',
    severity: 'info',
    fires: "an IAM role in the cluster's account trusts pods.eks.amazonaws.com but no association in any configured cluster uses it",
    action: 'create-association',
  },
  { code: 'PI009', severity: 'warning', fires: "a container image of the SA's pods is known to ship an AWS SDK too old for Pod Identity" },
  { code: 'PI010', severity: 'warning', fires: 'associations ≥ 90% of the per-cluster limit (5,000; configurable)' },
  { code: 'PI011', severity: 'info', fires: 'the association is owned by an EKS add-on (ownerArn set): change it through the add-on' },
  {
    code: 'PI012',
    severity: 'warning',
    fires: "a target role (targetRoleArn) is set and its trust policy does not trust the association's role",
    action: 'fix-trust-policy',
  },
  {
    code: 'PI013',
    severity: 'warning',
    fires:
      'pods of the SA get Pod Identity env and set HTTP_PROXY or HTTPS_PROXY while NO_PROXY does not cover the agent address 169.254.170.23 (and fd00:ec2::23 on IPv6)',
  },
  { code: 'IR001', severity: 'error', fires: 'the annotation is not a valid IAM role ARN' },
  { code: 'IR002', severity: 'error', fires: 'the role does not exist' },
  { code: 'IR003', severity: 'error', fires: "the cluster's OIDC issuer is not registered as an IAM OIDC provider in the role's account" },
  {
    code: 'IR004',
    severity: 'error',
    fires:
      "the trust policy has no Allow statement for sts:AssumeRoleWithWebIdentity with Principal.Federated = this cluster's OIDC provider ARN",
  },
  { code: 'IR005', severity: 'error', fires: 'such a statement exists but its conditions exclude this SA' },
  {
    code: 'IR006',
    severity: 'warning',
    fires: 'some pods of the SA lack AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE and the SA has no association',
    action: 'roll-pods',
  },
  { code: 'IR007', severity: 'warning', fires: 'eks.amazonaws.com/token-expiration is not an integer in 600–86400' },
  { code: 'ID001', severity: 'warning', fires: 'the SA has both an association and an IRSA annotation', action: 'remove-irsa-annotation' },
  { code: 'ID002', severity: 'error', fires: "a container of the SA's pods sets static AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY" },
  { code: 'ST001', severity: 'warning', fires: 'running pods differ from the desired mode', action: 'roll-pods' },
  {
    code: 'ST002',
    severity: 'info',
    fires: 'the desired mode is not regional: AWS recommends regional',
    action: 'set-sts-regional-endpoints',
  },
  {
    code: 'CL001',
    severity: 'error',
    fires: 'the cluster has associations but no eks-pod-identity-agent add-on, and it is not an EKS Auto Mode cluster',
  },
  { code: 'CL002', severity: 'warning', fires: 'the agent DaemonSet has fewer ready pods than desired' },
  {
    code: 'CL003',
    severity: 'warning',
    fires: "the cluster's platform version is below the Pod Identity minimum for its Kubernetes version",
  },
  { code: 'CL004', severity: 'warning', fires: 'a source could not be read (AccessDenied, throttled past retries, unreachable)' },
  {
    code: 'PM001',
    severity: 'error',
    fires:
      'a workload cannot do what it is known to need (a Restate snapshot writer: s3:PutObject/GetObject on its prefix, s3:ListBucket on its bucket)',
  },
  {
    code: 'PM002',
    severity: 'warning',
    fires: 'an identity or session policy of the role tests EKS session tags while the association has disableSessionTags: true',
    action: 'update-association',
  },
  {
    code: 'PM003',
    severity: 'warning',
    fires:
      'the effective permissions allow * on *, or iam:*, iam:PassRole, iam:CreateAccessKey, iam:PutRolePolicy, iam:AttachRolePolicy or sts:AssumeRole on Resource *',
  },
  {
    code: 'PM004',
    severity: 'info',
    fires: "the association carries a session policy: the pods get the intersection of the role's permissions and this policy",
  },
];

export const FINDING_CATALOG: Readonly<Record<string, CatalogEntry>> = Object.fromEntries(entries.map((e) => [e.code, e]));

export function severityOf(code: string): Severity {
  const entry = FINDING_CATALOG[code];
  if (!entry) throw new Error(`unknown finding code ${code}`);
  return entry.severity;
}
