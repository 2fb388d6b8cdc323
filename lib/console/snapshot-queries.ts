import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import { worstSeverity } from '@/lib/identity';
import { serviceAccountKey } from '@/lib/snapshots';
import { currentFleetView, type ListResult, type SourceErrorSummary } from './queries';
import { filterSnapshotSources, snapshotSourceVisible, type SnapshotFilters, type SnapshotItem } from './snapshot-view';

export async function getSnapshotSources(filters: SnapshotFilters, scope: Scope): Promise<ListResult<SnapshotItem>> {
  const view = await currentFleetView();
  const rowsByKey = new Map(view.rows.map((row) => [serviceAccountKey(row.cluster, row.namespace, row.name), row]));
  const items = filterSnapshotSources(
    view.snapshotSources.filter((source) => snapshotSourceVisible(source, scope)),
    filters,
  ).map((source): SnapshotItem => {
    const row = source.writer ? rowsByKey.get(serviceAccountKey(source.writer.cluster, source.writer.namespace, source.writer.serviceAccount)) : undefined;
    if (!row) return source;
    // The writer's identity findings, not its snapshot findings (those are this source's own).
    const identity = row.findings.filter((finding) => !finding.code.startsWith('SN'));
    return { ...source, writerIdentity: { mechanism: row.mechanism, worstSeverity: worstSeverity(identity), findings: identity } };
  });
  const errors: SourceErrorSummary[] = view.errors
    .filter((error) => ['s3', 'kubernetes'].includes(error.source) && (!error.cluster || scope.canSeeCluster(error.cluster)))
    .filter((error) => error.source === 's3' || /restateclusters|etcdsnapshotfiles|configmaps|statefulsets|deployments/.test(error.operation))
    .map((error) => ({ cluster: error.cluster, source: error.source, operation: error.operation, code: error.code, message: error.message, ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}) }));
  return { items, errors, collectedAt: view.collectedAt };
}
