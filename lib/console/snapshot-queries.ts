import { isSnapshotFinding } from '@/lib/identity/catalog';
import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import { worstSeverity } from '@/lib/identity';
import { serviceAccountKey } from '@/lib/snapshots';
import { currentFleetView, type ListResult, type SourceErrorSummary } from './queries';
import { SNAPSHOT_STATES, filterSnapshotSources, snapshotSourceVisible, type SnapshotFilters, type SnapshotItem } from './snapshot-view';
import type { SnapshotState } from '@/lib/model/identity-row';

export interface SnapshotList extends ListResult<SnapshotItem> {
  /** Sources per state among those every other filter lets through: what each state filter would show. */
  stateCounts: Record<SnapshotState, number>;
}

export async function getSnapshotSources(filters: SnapshotFilters, scope: Scope): Promise<SnapshotList> {
  const view = await currentFleetView();
  const rowsByKey = new Map(view.rows.map((row) => [serviceAccountKey(row.cluster, row.namespace, row.name), row]));
  const anyState = filterSnapshotSources(
    view.snapshotSources.filter((source) => snapshotSourceVisible(source, scope)),
    { ...filters, state: undefined },
  );
  const stateCounts = Object.fromEntries(
    SNAPSHOT_STATES.map((state) => [state, anyState.filter((source) => source.state === state).length]),
  ) as Record<SnapshotState, number>;
  const items = filterSnapshotSources(anyState, filters).map((source): SnapshotItem => {
    const row = source.writer
      ? rowsByKey.get(serviceAccountKey(source.writer.cluster, source.writer.namespace, source.writer.serviceAccount))
      : undefined;
    if (!row) return source;
    // The writer's identity findings, not its snapshot findings (those are this source's own).
    const identity = row.findings.filter((finding) => !isSnapshotFinding(finding.code));
    return { ...source, writerIdentity: { mechanism: row.mechanism, worstSeverity: worstSeverity(identity), findings: identity } };
  });
  const errors: SourceErrorSummary[] = view.errors
    .filter((error) => ['s3', 'kubernetes'].includes(error.source) && (!error.cluster || scope.canSeeCluster(error.cluster)))
    .filter(
      (error) => error.source === 's3' || /restateclusters|etcdsnapshotfiles|configmaps|statefulsets|deployments/.test(error.operation),
    )
    .map((error) => ({
      cluster: error.cluster,
      source: error.source,
      operation: error.operation,
      code: error.code,
      message: error.message,
      ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
    }));
  return { items, errors, collectedAt: view.collectedAt, stateCounts };
}
