import 'server-only';
import type { ConsoleConfig } from '@/lib/config/schema';
import type { Finding } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { collectCache, s3ReaderFactory } from '@/lib/collect';
import { sortFindings, worstSeverity } from '@/lib/identity';
import {
  linkSnapshotCauses,
  readSnapshotSources,
  serviceAccountKey,
  snapshotStateForServiceAccounts,
  type SnapshotSource,
} from '@/lib/snapshots';
import type { FleetView } from './queries';

// What the fleet view adds on top of the identity core: snapshot freshness (issue 6). Snapshot sources are read
// through the same cache and pool as every other AWS call; their findings join the writer's row, so the
// matrix's code and severity filters find a service account whose snapshots stopped.

export interface FleetViewWithSnapshots extends FleetView {
  snapshotSources: SnapshotSource[];
}

export async function applyFleetExtensions(view: FleetView, config: ConsoleConfig): Promise<FleetViewWithSnapshots> {
  const identityFindingsBySa = new Map<string, Finding[]>();
  for (const row of view.rows) identityFindingsBySa.set(serviceAccountKey(row.cluster, row.namespace, row.name), row.findings);

  const read = await readSnapshotSources(
    view.fleet,
    config.snapshots ?? {},
    s3ReaderFactory(view.targets, collectCache()),
    new Date(view.collectedAt),
  );
  const snapshotSources = linkSnapshotCauses(read, identityFindingsBySa);
  return { ...view, rows: withSnapshotState(view.rows, snapshotSources), snapshotSources };
}

/**
 * A row as the identity core judged it: without the snapshot state and findings withSnapshotState joined. A patch
 * after a Kubernetes change keeps the rows it did not touch as they were, joined already; joining them again must
 * not repeat their snapshot findings.
 */
function identityRowOf(row: ServiceAccountRow): ServiceAccountRow {
  const joined = row.findings.some((finding) => finding.subject.kind === 'snapshot-source');
  if (!joined && !row.snapshots) return row;
  const { snapshots: _snapshots, ...rest } = row;
  void _snapshots;
  const findings = joined ? row.findings.filter((finding) => finding.subject.kind !== 'snapshot-source') : row.findings;
  return { ...rest, findings, worstSeverity: worstSeverity(findings) };
}

/** Rows with their snapshot freshness and snapshot findings joined (also for rows re-evaluated after a Kubernetes change). */
export function withSnapshotState(rows: ServiceAccountRow[], snapshotSources: SnapshotSource[]): ServiceAccountRow[] {
  const identityRows = rows.map(identityRowOf);
  const stateBySa = snapshotStateForServiceAccounts(snapshotSources);
  const findingsBySa = new Map<string, Finding[]>();
  for (const source of snapshotSources) {
    if (!source.writer || source.findings.length === 0) continue;
    const key = serviceAccountKey(source.writer.cluster, source.writer.namespace, source.writer.serviceAccount);
    findingsBySa.set(key, [...(findingsBySa.get(key) ?? []), ...source.findings]);
  }

  return identityRows.map((row) => {
    const key = serviceAccountKey(row.cluster, row.namespace, row.name);
    const snapshots = stateBySa.get(key);
    const snapshotFindings = findingsBySa.get(key);
    if (!snapshots && !snapshotFindings) return row;
    const findings = snapshotFindings ? sortFindings([...row.findings, ...snapshotFindings]) : row.findings;
    return { ...row, ...(snapshots ? { snapshots } : {}), findings, worstSeverity: worstSeverity(findings) };
  });
}
