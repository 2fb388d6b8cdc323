import type { Severity, SuggestedAction } from '@/lib/model/finding';

// The one catalog of findings (shared/docs/findings.md) as data: codes are an API, never renumber. Rules take
// their severity from here, the UI its code filter and legend, the snapshot sources their severities and the
// SN006 cause groups. `title` names the finding in a list (a finding's own title, specific to its subject, wins
// on display); when each fires is findings.md's to say, not repeated here.

export type FindingGroup = 'Pod Identity' | 'IRSA' | 'Identity' | 'STS endpoint' | 'Cluster' | 'Permissions' | 'Snapshots';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  group: FindingGroup;
  /** What a finding is about: a service account (its row), the cluster, or a snapshot source (its writer's row). */
  scope: 'service-account' | 'cluster' | 'snapshot-source';
  title: string;
  action?: SuggestedAction['type'];
}

const entries: CatalogEntry[] = [
  {
    code: 'PI001',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "The association's role or target role does not exist",
    action: 'update-association',
  },
  {
    code: 'PI002',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Trust policy does not let pods.eks.amazonaws.com AssumeRole and TagSession',
    action: 'fix-trust-policy',
  },
  {
    code: 'PI003',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'A trust policy condition cannot match this cluster or service account',
    action: 'fix-trust-policy',
  },
  {
    code: 'PI004',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "No ready Pod Identity agent on the pods' nodes",
  },
  {
    code: 'PI005',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Pods admitted before the association lack the Pod Identity env',
    action: 'roll-pods',
  },
  {
    code: 'PI006',
    severity: 'error',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'Pods run on Fargate or Windows nodes, where Pod Identity does not work',
  },
  {
    code: 'PI007',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'The association names a namespace or service account that does not exist',
    action: 'delete-association',
  },
  {
    code: 'PI008',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'cluster',
    title: 'A role trusts Pod Identity but no association uses it',
    action: 'create-association',
  },
  {
    code: 'PI009',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'An image ships an AWS SDK too old for Pod Identity',
  },
  {
    code: 'PI010',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'cluster',
    title: 'Associations near the per-cluster limit',
  },
  {
    code: 'PI011',
    severity: 'info',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'The association is owned by an EKS add-on',
  },
  {
    code: 'PI012',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: "The target role does not trust the association's role",
    action: 'fix-trust-policy',
  },
  {
    code: 'PI013',
    severity: 'warning',
    group: 'Pod Identity',
    scope: 'service-account',
    title: 'A proxy variable would send the credential request away from the agent',
  },
  {
    code: 'IR001',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The role-arn annotation is not a valid IAM role ARN',
  },
  {
    code: 'IR002',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The IRSA role does not exist',
  },
  {
    code: 'IR003',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: "The cluster's OIDC issuer is not registered as an IAM OIDC provider",
  },
  {
    code: 'IR004',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: "No web-identity trust statement for this cluster's OIDC provider",
  },
  {
    code: 'IR005',
    severity: 'error',
    group: 'IRSA',
    scope: 'service-account',
    title: 'The web-identity trust conditions exclude this service account',
  },
  {
    code: 'IR006',
    severity: 'warning',
    group: 'IRSA',
    scope: 'service-account',
    title: 'Pods admitted before the annotation lack the web-identity env',
    action: 'roll-pods',
  },
  {
    code: 'IR007',
    severity: 'warning',
    group: 'IRSA',
    scope: 'service-account',
    title: 'token-expiration is not an integer in 600–86400',
  },
  {
    code: 'ID001',
    severity: 'warning',
    group: 'Identity',
    scope: 'service-account',
    title: 'Both a Pod Identity association and an IRSA annotation',
    action: 'remove-irsa-annotation',
  },
  {
    code: 'ID002',
    severity: 'error',
    group: 'Identity',
    scope: 'service-account',
    title: 'Static AWS access keys in the pods’ env',
  },
  {
    code: 'ST001',
    severity: 'warning',
    group: 'STS endpoint',
    scope: 'service-account',
    title: 'Running pods differ from the desired STS endpoint mode',
    action: 'roll-pods',
  },
  {
    code: 'ST002',
    severity: 'info',
    group: 'STS endpoint',
    scope: 'service-account',
    title: 'The desired STS endpoint mode is not regional',
    action: 'set-sts-regional-endpoints',
  },
  {
    code: 'CL001',
    severity: 'error',
    group: 'Cluster',
    scope: 'cluster',
    title: 'Associations but no eks-pod-identity-agent add-on',
  },
  {
    code: 'CL002',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'The agent DaemonSet has fewer ready pods than desired',
  },
  {
    code: 'CL003',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'Platform version below the Pod Identity minimum',
  },
  {
    code: 'CL004',
    severity: 'warning',
    group: 'Cluster',
    scope: 'cluster',
    title: 'A source could not be read',
  },
  {
    code: 'CL005',
    severity: 'error',
    group: 'Cluster',
    scope: 'cluster',
    title: "The console's access entry is missing or too narrow",
  },
  {
    code: 'PM001',
    severity: 'error',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The workload cannot do what it is known to need',
  },
  {
    code: 'PM002',
    severity: 'warning',
    group: 'Permissions',
    scope: 'service-account',
    title: 'A policy tests EKS session tags the association turns off',
    action: 'update-association',
  },
  {
    code: 'PM003',
    severity: 'warning',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The pods can escalate to other identities',
  },
  {
    code: 'PM004',
    severity: 'info',
    group: 'Permissions',
    scope: 'service-account',
    title: 'The association carries a session policy',
  },
  {
    code: 'SN001',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: "A Restate partition's newest snapshot is too old",
  },
  {
    code: 'SN002',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'A Restate destination is missing latest.json',
  },
  {
    code: 'SN003',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'The snapshot destination cannot be read',
  },
  {
    code: 'SN004',
    severity: 'error',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'An etcd snapshot failed in the last 24 h',
  },
  {
    code: 'SN005',
    severity: 'warning',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: 'The newest etcd snapshot is older than 1.5 × the schedule',
  },
  {
    code: 'SN006',
    severity: 'warning',
    group: 'Snapshots',
    scope: 'snapshot-source',
    title: "Snapshots fail and their writer's identity is broken",
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
