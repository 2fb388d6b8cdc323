import { memo } from 'react';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { CARD_TABLE, rowKeyOf, ServiceAccountRowView, TBODY_CLASS } from './service-account-row';
import { SortHeader } from './sort-header';
import { VirtualRows } from './virtual-rows';

/**
 * Pages longer than this render only the rows near the screen (TanStack Virtual), the default page of 100 too:
 * rendering all 100 rows after each search keystroke took 100-160 ms in Chromium at the fleet bench's size, about
 * three times the ~30 rows near the screen. A page that fits a screen or two stays whole in the DOM.
 */
export const VIRTUALIZE_FROM = 60;

/**
 * The rows, re-rendered only when they change: a search keystroke re-renders the table's links (they carry the
 * search) while the previous rows stay on screen, and re-rendering every row then cost hundreds of ms.
 */
const Rows = memo(function Rows({ rows, showSnapshots, virtual }: { rows: ServiceAccountRow[]; showSnapshots: boolean; virtual: boolean }) {
  return virtual ? (
    <VirtualRows rows={rows} showSnapshots={showSnapshots} columns={showSnapshots ? 11 : 10} />
  ) : (
    <tbody className={TBODY_CLASS}>
      {rows.map((row) => (
        <ServiceAccountRowView key={rowKeyOf(row)} row={row} showSnapshots={showSnapshots} />
      ))}
    </tbody>
  );
});

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
  const virtual = rows.length > VIRTUALIZE_FROM;
  const header = (key: string, label: string, className = '') => (
    <SortHeader sortKey={key} label={label} sort={sort} hrefForSort={hrefForSort} className={className} />
  );
  return (
    <div className="rounded-lg border border-neutral-200 bg-white shadow-xs max-md:border-0 max-md:bg-transparent max-md:shadow-none">
      <table
        className={`w-full text-left text-[13px] ${CARD_TABLE}`}
        aria-label="Service accounts"
        // With rows left out of the DOM, the count says how many there are (the header row is the first).
        aria-rowcount={virtual ? rows.length + 1 : undefined}
      >
        <thead className="sticky top-12 z-10 border-b border-neutral-200 bg-neutral-50 text-[11px] font-medium tracking-wide text-neutral-600 uppercase">
          <tr aria-rowindex={virtual ? 1 : undefined}>
            {header('cluster', 'Cluster')}
            {header('namespace', 'Namespace')}
            {header('name', 'Service account')}
            {header('severity', 'Findings', 'min-w-36')}
            {header('mechanism', 'Pods get')}
            <th scope="col" className="px-2 py-2">
              Pod Identity
            </th>
            <th scope="col" className="px-2 py-2">
              IRSA
            </th>
            <th scope="col" className="px-2 py-2">
              STS mode
            </th>
            {header('pods', 'Pods / stale', 'text-right')}
            <th scope="col" className="px-2 py-2">
              To Pod Identity
            </th>
            {showSnapshots && (
              <th scope="col" className="px-2 py-2">
                Snapshots
              </th>
            )}
          </tr>
        </thead>
        <Rows rows={rows} showSnapshots={showSnapshots} virtual={virtual} />
      </table>
    </div>
  );
}
