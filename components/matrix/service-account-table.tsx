import Link from 'next/link';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { clusterPath, serviceAccountPath } from '@/lib/console/format';
import { FindingsCell } from './findings-cell';
import { MigrationCell } from './migration-cell';
import { IrsaCell, PodIdentityCell } from './identity-cells';
import { PodCountsCell, PodMechanismsCell, SnapshotCell, StsCell } from './runtime-cells';
import { SortHeader } from './sort-header';

/** The identity matrix: one row per service account (and per association whose service account is missing). */
export function ServiceAccountTable({
  rows,
  sort,
  hrefForSort,
}: {
  rows: ServiceAccountRow[];
  sort: string;
  hrefForSort: (sort: string) => string;
}) {
  const showSnapshots = rows.some((row) => row.snapshots);
  const header = (key: string, label: string, className = '') => (
    <SortHeader sortKey={key} label={label} sort={sort} hrefForSort={hrefForSort} className={className} />
  );
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white shadow-xs">
      <table className="w-full text-left text-[13px]" aria-label="Service accounts">
        <thead className="sticky top-0 z-10 border-b border-neutral-200 bg-neutral-50 text-[11px] font-medium tracking-wide text-neutral-500 uppercase">
          <tr>
            {header('cluster', 'Cluster')}
            {header('namespace', 'Namespace')}
            {header('name', 'Service account')}
            <th scope="col" className="px-3 py-2">
              Pod Identity
            </th>
            <th scope="col" className="px-3 py-2">
              IRSA
            </th>
            {header('mechanism', 'Pods get')}
            <th scope="col" className="px-3 py-2">
              STS mode
            </th>
            {header('pods', 'Pods / stale', 'text-right')}
            <th scope="col" className="px-3 py-2">
              To Pod Identity
            </th>
            {showSnapshots && (
              <th scope="col" className="px-3 py-2">
                Snapshots
              </th>
            )}
            {header('severity', 'Findings', 'min-w-44')}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {rows.map((row) => (
            <tr key={`${row.cluster}/${row.namespace}/${row.name}`} data-testid="sa-row" className="align-top hover:bg-neutral-50/80">
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={clusterPath(row.cluster)} className="text-neutral-600 hover:text-neutral-900 hover:underline">
                  {row.cluster}
                </Link>
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-neutral-700">{row.namespace}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                <Link
                  href={serviceAccountPath(row.cluster, row.namespace, row.name)}
                  className="font-medium text-neutral-900 hover:text-sky-700 hover:underline"
                >
                  {row.name}
                </Link>
                {!row.exists && (
                  <span
                    className="ml-1.5 rounded bg-neutral-100 px-1 py-px text-[10.5px] font-medium text-neutral-600 ring-1 ring-neutral-300 ring-inset"
                    title="An association names this service account, but it does not exist"
                  >
                    SA missing
                  </span>
                )}
              </td>
              <td className="max-w-56 px-3 py-2">
                <PodIdentityCell podIdentity={row.podIdentity} />
              </td>
              <td className="max-w-56 px-3 py-2">
                <IrsaCell irsa={row.irsa} />
              </td>
              <td className="px-3 py-2">
                <PodMechanismsCell row={row} />
              </td>
              <td className="px-3 py-2">
                <StsCell row={row} />
              </td>
              <td className="px-3 py-2 text-right">
                <PodCountsCell pods={row.pods} />
              </td>
              <td className="px-3 py-2">
                <MigrationCell row={row} />
              </td>
              {showSnapshots && (
                <td className="px-3 py-2">
                  <SnapshotCell snapshots={row.snapshots} />
                </td>
              )}
              <td className="px-3 py-2">
                <FindingsCell row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
