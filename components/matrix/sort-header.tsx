import Link from 'next/link';
import { LinkPendingMark } from '@/components/shell/link-pending-mark';

/** A column header that sorts by its key; a second click reverses. aria-sort tells assistive tech the order. */
export function SortHeader({
  sortKey,
  label,
  sort,
  hrefForSort,
  className = '',
}: {
  sortKey: string;
  label: string;
  sort: string;
  hrefForSort: (sort: string) => string;
  className?: string;
}) {
  const active = sort === sortKey || sort === `-${sortKey}`;
  const descending = sort === `-${sortKey}`;
  // Severity and counts read best worst/largest first; names read A to Z.
  const firstClick = ['severity', 'pods', 'stale', 'mechanism'].includes(sortKey) ? `-${sortKey}` : sortKey;
  const next = active ? (descending ? sortKey : `-${sortKey}`) : firstClick;
  return (
    <th scope="col" aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'} className={`px-2 py-2 ${className}`}>
      <Link
        prefetch={false}
        href={hrefForSort(next)}
        scroll={false}
        className={`inline-flex items-center gap-1 whitespace-nowrap hover:text-neutral-900 ${active ? 'text-neutral-900' : ''}`}
      >
        {label}
        <span aria-hidden="true" className={active ? '' : 'opacity-0'}>
          {descending ? '↓' : '↑'}
        </span>
        <LinkPendingMark label="Sorting…" />
      </Link>
    </th>
  );
}
