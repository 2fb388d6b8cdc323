import type { Severity } from '@/lib/model/finding';

// The finding codes of shared/docs/findings.md with their catalog severity and a short name, for the code
// filter and the legend. The title a finding carries (its own, specific sentence) always wins on display.

export interface FindingCatalogEntry {
  code: string;
  severity: Severity;
  name: string;
  group: 'Pod Identity' | 'IRSA' | 'Identity' | 'STS endpoint' | 'Cluster' | 'Snapshots';
}

export const FINDING_CATALOG: FindingCatalogEntry[] = [
  { code: 'PI001', severity: 'error', group: 'Pod Identity', name: "The association's role or target role does not exist" },
  {
    code: 'PI002',
    severity: 'error',
    group: 'Pod Identity',
    name: 'Trust policy does not let pods.eks.amazonaws.com AssumeRole and TagSession',
  },
  {
    code: 'PI003',
    severity: 'error',
    group: 'Pod Identity',
    name: 'A trust policy condition cannot match this cluster or service account',
  },
  { code: 'PI004', severity: 'error', group: 'Pod Identity', name: "No ready Pod Identity agent on the pods' nodes" },
  { code: 'PI005', severity: 'warning', group: 'Pod Identity', name: 'Pods admitted before the association lack the Pod Identity env' },
  {
    code: 'PI006',
    severity: 'error',
    group: 'Pod Identity',
    name: 'Pods run on Fargate or Windows nodes, where Pod Identity does not work',
  },
  {
    code: 'PI007',
    severity: 'info',
    group: 'Pod Identity',
    name: 'The association names a namespace or service account that does not exist',
  },
  { code: 'PI008', severity: 'info', group: 'Pod Identity', name: 'A role trusts Pod Identity but no association uses it' },
  { code: 'PI009', severity: 'warning', group: 'Pod Identity', name: 'An image ships an AWS SDK too old for Pod Identity' },
  { code: 'PI010', severity: 'warning', group: 'Pod Identity', name: 'Associations near the 1000 per-cluster limit' },
  { code: 'PI011', severity: 'info', group: 'Pod Identity', name: 'The association is owned by an EKS add-on' },
  { code: 'PI012', severity: 'warning', group: 'Pod Identity', name: "The target role does not trust the association's role" },
  { code: 'IR001', severity: 'error', group: 'IRSA', name: 'The role-arn annotation is not a valid IAM role ARN' },
  { code: 'IR002', severity: 'error', group: 'IRSA', name: 'The IRSA role does not exist' },
  { code: 'IR003', severity: 'error', group: 'IRSA', name: "The cluster's OIDC issuer is not registered as an IAM OIDC provider" },
  { code: 'IR004', severity: 'error', group: 'IRSA', name: "No web-identity trust statement for this cluster's OIDC provider" },
  { code: 'IR005', severity: 'error', group: 'IRSA', name: 'The web-identity trust conditions exclude this service account' },
  { code: 'IR006', severity: 'warning', group: 'IRSA', name: 'Pods admitted before the annotation lack the web-identity env' },
  { code: 'IR007', severity: 'warning', group: 'IRSA', name: 'token-expiration is not an integer in 600–86400' },
  { code: 'ID001', severity: 'warning', group: 'Identity', name: 'Both a Pod Identity association and an IRSA annotation' },
  { code: 'ID002', severity: 'error', group: 'Identity', name: 'Static AWS access keys in the pods’ env' },
  { code: 'ST001', severity: 'warning', group: 'STS endpoint', name: 'Running pods differ from the desired STS endpoint mode' },
  { code: 'ST002', severity: 'info', group: 'STS endpoint', name: 'The desired STS endpoint mode is not regional' },
  { code: 'CL001', severity: 'error', group: 'Cluster', name: 'Associations but no eks-pod-identity-agent add-on' },
  { code: 'CL002', severity: 'warning', group: 'Cluster', name: 'The agent DaemonSet has fewer ready pods than desired' },
  { code: 'CL003', severity: 'warning', group: 'Cluster', name: 'Platform version below the Pod Identity minimum' },
  { code: 'CL004', severity: 'warning', group: 'Cluster', name: 'A source could not be read' },
  { code: 'SN001', severity: 'error', group: 'Snapshots', name: "A Restate partition's newest snapshot is too old" },
  { code: 'SN002', severity: 'error', group: 'Snapshots', name: 'A Restate destination is missing latest.json' },
  { code: 'SN003', severity: 'error', group: 'Snapshots', name: 'The snapshot destination cannot be read' },
  { code: 'SN004', severity: 'error', group: 'Snapshots', name: 'An etcd snapshot failed in the last 24 h' },
  { code: 'SN005', severity: 'warning', group: 'Snapshots', name: 'The newest etcd snapshot is older than 1.5 × the schedule' },
  { code: 'SN006', severity: 'warning', group: 'Snapshots', name: "Snapshots fail and their writer's identity is broken" },
];

const BY_CODE = new Map(FINDING_CATALOG.map((entry) => [entry.code, entry]));

export function catalogEntry(code: string): FindingCatalogEntry | undefined {
  return BY_CODE.get(code);
}

/** Codes that can appear on a service-account row (the matrix's code filter). */
export const SERVICE_ACCOUNT_CODES = FINDING_CATALOG.filter(
  (entry) =>
    ['Pod Identity', 'IRSA', 'Identity', 'STS endpoint', 'Snapshots'].includes(entry.group) && !['PI008', 'PI010'].includes(entry.code),
);
