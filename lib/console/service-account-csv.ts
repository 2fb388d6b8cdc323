import type { ServiceAccountRow } from '@/lib/model/identity-row';

// GET /api/v1/serviceaccounts?format=csv: the same rows as the JSON, flattened to one line each (api.md "Lists").

const COLUMNS: [string, (row: ServiceAccountRow) => string | number | boolean | null | undefined][] = [
  ['cluster', (row) => row.cluster],
  ['namespace', (row) => row.namespace],
  ['name', (row) => row.name],
  ['exists', (row) => row.exists],
  ['mechanism', (row) => row.mechanism],
  ['podIdentityAssociationId', (row) => row.podIdentity?.associationId],
  ['podIdentityRoleArn', (row) => row.podIdentity?.roleArn],
  ['podIdentityTargetRoleArn', (row) => row.podIdentity?.targetRoleArn],
  ['podIdentityOwnerArn', (row) => row.podIdentity?.ownerArn],
  ['irsaRoleArn', (row) => row.irsa?.roleArn],
  ['irsaAudience', (row) => row.irsa?.audience],
  ['stsAnnotation', (row) => row.sts.annotation],
  ['stsDesired', (row) => row.sts.desired],
  ['stsRunningRegional', (row) => row.sts.running.regional],
  ['stsRunningLegacy', (row) => row.sts.running.legacy],
  ['stsRunningUnset', (row) => row.sts.running.unset],
  ['podsTotal', (row) => row.pods.total],
  ['podsStale', (row) => row.pods.stale],
  ['snapshotState', (row) => row.snapshots?.state],
  ['worstSeverity', (row) => row.worstSeverity],
  ['findingCodes', (row) => row.findings.map((finding) => finding.code).join(' ')],
];

/** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function serviceAccountRowsToCsv(rows: ServiceAccountRow[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, value]) => csvField(value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
