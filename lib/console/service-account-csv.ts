import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { toCsv, type CsvValue } from './csv';

// GET /api/v1/serviceaccounts?format=csv: the same rows as the JSON, flattened to one line each (api.md "Lists").

const COLUMNS: [string, (row: ServiceAccountRow) => CsvValue][] = [
  ['cluster', (row) => row.cluster],
  ['namespace', (row) => row.namespace],
  ['name', (row) => row.name],
  ['exists', (row) => row.exists],
  ['mechanism', (row) => row.mechanism],
  ['podIdentityAssociationId', (row) => row.podIdentity?.associationId],
  ['podIdentityRoleArn', (row) => row.podIdentity?.roleArn],
  ['podIdentityTargetRoleArn', (row) => row.podIdentity?.targetRoleArn],
  ['podIdentityOwnerArn', (row) => row.podIdentity?.ownerArn],
  ['podIdentityDisableSessionTags', (row) => row.podIdentity?.disableSessionTags],
  // The association's session policy as EKS holds it (JSON text, quoted by toCsv).
  ['podIdentityPolicy', (row) => row.podIdentity?.policy],
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
  // Each finding's own title (specific to this row), in the order of the codes.
  ['findingTitles', (row) => row.findings.map((finding) => `${finding.code}: ${finding.title}`).join('; ')],
];

export function serviceAccountRowsToCsv(rows: ServiceAccountRow[]): string {
  return toCsv(
    COLUMNS.map(([name]) => name),
    rows.map((row) => COLUMNS.map(([, value]) => value(row))),
  );
}
