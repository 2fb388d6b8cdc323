import Link from 'next/link';
import type { ClusterRow } from '@/lib/model/identity-row';
import { clusterPath } from '@/lib/console/format';
import { FindingBadge } from '@/components/findings/finding-badge';
import { SeverityBadge } from '@/components/findings/severity-badge';
import { SEVERITY_RANK, type Severity } from '@/lib/model/finding';
import { AssociationLimitBar } from './association-limit-bar';
import { SnapshotHealthCell } from './snapshot-health';
import { SourceFreshnessLines } from './source-freshness';
import { AgentStatus, KindBadge, OidcProvider, StsDefault } from './posture-values';

/** One status per cluster: its own findings and its snapshot sources' (SN) findings together. */
export function clusterStatus(cluster: ClusterRow): Severity | 'ok' {
  return [...cluster.findings, ...(cluster.snapshots?.findings ?? [])].reduce<Severity | 'ok'>(
    (acc, f) => (acc === 'ok' || SEVERITY_RANK[f.severity] > SEVERITY_RANK[acc] ? f.severity : acc),
    'ok',
  );
}

export function ClusterTable({ clusters }: { clusters: ClusterRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white shadow-xs">
      <table className="w-full text-left text-[13px]" aria-label="Clusters">
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] font-medium tracking-wide text-neutral-500 uppercase">
          <tr>
            <th className="px-3 py-2">Cluster</th>
            <th className="px-3 py-2">Kind</th>
            <th className="px-3 py-2">Version</th>
            <th className="px-3 py-2">STS default</th>
            <th className="px-3 py-2">OIDC provider</th>
            <th className="px-3 py-2">Pod Identity agent</th>
            <th className="px-3 py-2">Associations</th>
            <th className="px-3 py-2">Snapshots</th>
            <th className="px-3 py-2">Findings</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {clusters.map((cluster) => (
            <tr key={cluster.name} data-testid="cluster-row" className="align-top hover:bg-neutral-50/80">
              <td className="px-3 py-2.5">
                <Link href={clusterPath(cluster.name)} className="font-medium text-neutral-900 hover:text-sky-700 hover:underline">
                  {cluster.name}
                </Link>
                {cluster.region && (
                  <div className="text-[11px] text-neutral-500">
                    {cluster.region} · <span className="font-mono">{cluster.account}</span>
                  </div>
                )}
                <SourceFreshnessLines cluster={cluster} />
              </td>
              <td className="px-3 py-2.5">
                <KindBadge kind={cluster.kind} />
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                {cluster.version ?? <span className="text-neutral-500 italic">unknown</span>}
                {cluster.platformVersion && <span className="text-neutral-500"> · {cluster.platformVersion}</span>}
              </td>
              <td className="px-3 py-2.5">
                <StsDefault cluster={cluster} />
              </td>
              <td className="px-3 py-2.5">
                <OidcProvider cluster={cluster} />
              </td>
              <td className="px-3 py-2.5">
                <AgentStatus cluster={cluster} />
              </td>
              <td className="px-3 py-2.5">
                {cluster.kind === 'eks' ? (
                  <AssociationLimitBar count={cluster.associationCount} limit={cluster.associationLimit} compact />
                ) : (
                  <span className="text-neutral-500">n/a</span>
                )}
              </td>
              <td className="px-3 py-2.5" data-label="Snapshots">
                <SnapshotHealthCell cluster={cluster} />
              </td>
              <td className="px-3 py-2.5">
                <div className="flex flex-wrap items-center gap-1">
                  <SeverityBadge severity={clusterStatus(cluster)} />
                  {[...cluster.findings, ...(cluster.snapshots?.findings ?? [])].map((finding, index) => (
                    <FindingBadge key={`${finding.code}-${index}`} finding={finding} />
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
