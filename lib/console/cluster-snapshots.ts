import type { Scope } from '@/lib/auth/scope';
import { sortFindings } from '@/lib/identity';
import type { ClusterRow, ClusterSnapshotHealth } from '@/lib/model/identity-row';
import type { SnapshotSource } from '@/lib/snapshots/types';
import { snapshotSourceVisible } from './snapshot-view';

/**
 * A cluster row with the health of its snapshot sources (etcd of that cluster, Restate writers running in it)
 * that the caller may see, so "OK" on the clusters pages never hides failing uploads (issue 14, problem 3).
 */
export function withSnapshotHealth(
  cluster: ClusterRow,
  sources: SnapshotSource[],
  scope: Pick<Scope, 'isAdmin' | 'canSeeCluster' | 'canSeeNamespace'>,
): ClusterRow {
  const own = sources.filter(
    (source) => (source.writer?.cluster ?? source.cluster) === cluster.name && snapshotSourceVisible(source, scope),
  );
  if (!own.length) return cluster;
  const health: ClusterSnapshotHealth = {
    sources: own.map((source) => {
      const bucket = source.kind === 'etcd' ? source.locations.find((location) => location.kind === 's3')?.s3?.bucket : undefined;
      return {
        kind: source.kind,
        source: source.source,
        state: source.state,
        ...(source.writer ? { writer: `${source.writer.namespace}/${source.writer.serviceAccount}` } : {}),
        ...(bucket ? { s3Bucket: bucket } : {}),
      };
    }),
    findings: sortFindings(own.flatMap((source) => source.findings)),
  };
  return { ...cluster, snapshots: health };
}
