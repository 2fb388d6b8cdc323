import Link from 'next/link';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { clusterPath, serviceAccountPath } from '@/lib/console/format';
import { FindingsCell } from './findings-cell';
import { MigrationCell } from './migration-cell';
import { IrsaCell, PodIdentityCell } from './identity-cells';
import { PodCountsCell, PodMechanismsCell, SnapshotCell, StsCell } from './runtime-cells';

// Below the md breakpoint (a phone) the table turns into one card per row: each cell a block with its column
// name before it (data-label), the findings first. One DOM for both, so a row is the same element at every width.
export const CARD_TABLE = 'max-md:block max-md:[&_tbody]:block max-md:[&_thead]:hidden';
const CARD_ROW =
  'max-md:flex max-md:flex-col max-md:gap-1 max-md:rounded-lg max-md:border max-md:border-neutral-200 max-md:p-3 max-md:shadow-xs';
const CARD_CELL =
  'max-md:flex max-md:items-baseline max-md:gap-2 max-md:p-0 max-md:before:w-28 max-md:before:shrink-0 max-md:before:text-[11px] max-md:before:font-medium max-md:before:text-neutral-600 max-md:before:content-[attr(data-label)]';
export const TBODY_CLASS = 'divide-y divide-neutral-100 max-md:space-y-2 max-md:divide-y-0';

export function rowKeyOf(row: ServiceAccountRow): string {
  return `${row.cluster}/${row.namespace}/${row.name}`;
}

/** One service account's row of the matrix (a card on a phone). */
export function ServiceAccountRowView({
  row,
  showSnapshots,
  ...rowProps
}: {
  row: ServiceAccountRow;
  showSnapshots: boolean;
} & Omit<React.ComponentProps<'tr'>, 'children' | 'className'>) {
  const broken = row.worstSeverity === 'error';
  return (
    <tr
      {...rowProps}
      data-testid="sa-row"
      data-severity={row.worstSeverity ?? (row.findings.length ? undefined : 'ok')}
      className={`align-top hover:bg-neutral-50/80 ${CARD_ROW} ${broken ? 'bg-red-50/40 shadow-[inset_3px_0_0_var(--color-red-600)] max-md:border-red-300' : 'max-md:bg-white'}`}
    >
      <td data-label="Cluster" className={`px-2 py-2 break-words ${CARD_CELL}`}>
        {/* The matrix's links are not prefetched: every search keystroke shows new rows, and prefetching each row's
            links was a server render apiece, competing with the next keystroke's rows (fleet bench). */}
        <Link prefetch={false} href={clusterPath(row.cluster)} className="text-neutral-700 hover:text-neutral-900 hover:underline">
          {row.cluster}
        </Link>
      </td>
      <td data-label="Namespace" className={`px-2 py-2 break-words text-neutral-700 ${CARD_CELL}`}>
        {row.namespace}
      </td>
      <td data-label="Service account" className={`px-2 py-2 break-words max-md:-order-1 ${CARD_CELL}`}>
        <span>
          <Link
            prefetch={false}
            href={serviceAccountPath(row.cluster, row.namespace, row.name)}
            className="font-medium text-neutral-900 hover:text-sky-700 hover:underline max-md:text-[15px]"
          >
            {row.name}
          </Link>
          {!row.exists && (
            <span
              className="ml-1.5 rounded bg-neutral-100 px-1 py-px text-[10.5px] font-medium whitespace-nowrap text-neutral-700 ring-1 ring-neutral-300 ring-inset"
              title="An association names this service account, but it does not exist"
            >
              SA missing
            </span>
          )}
        </span>
      </td>
      <td data-label="Findings" className={`px-2 py-2 max-md:-order-2 ${CARD_CELL}`}>
        <FindingsCell row={row} />
      </td>
      <td data-label="Pods get" className={`px-2 py-2 ${CARD_CELL}`}>
        <PodMechanismsCell row={row} />
      </td>
      <td data-label="Pod Identity" className={`max-w-36 px-2 py-2 max-md:max-w-none ${CARD_CELL}`}>
        <PodIdentityCell podIdentity={row.podIdentity} />
      </td>
      <td data-label="IRSA" className={`max-w-36 px-2 py-2 max-md:max-w-none ${CARD_CELL}`}>
        <IrsaCell irsa={row.irsa} />
      </td>
      <td data-label="STS mode" className={`px-2 py-2 ${CARD_CELL}`}>
        <StsCell row={row} />
      </td>
      <td data-label="Pods / stale" className={`px-2 py-2 text-right max-md:text-left ${CARD_CELL}`}>
        <PodCountsCell pods={row.pods} />
      </td>
      <td data-label="To Pod Identity" className={`px-2 py-2 ${CARD_CELL}`}>
        <MigrationCell row={row} />
      </td>
      {showSnapshots && (
        <td data-label="Snapshots" className={`px-2 py-2 ${CARD_CELL}`}>
          <SnapshotCell snapshots={row.snapshots} />
        </td>
      )}
    </tr>
  );
}
