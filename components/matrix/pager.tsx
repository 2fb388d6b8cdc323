import Link from 'next/link';

export function Pager({
  page,
  pageCount,
  total,
  pageSize,
  hrefForPage,
}: {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  hrefForPage: (page: number) => string;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const button = 'rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-700 hover:bg-neutral-50';
  const disabled = 'rounded-md border border-neutral-200 px-2.5 py-1 text-[12px] font-medium text-neutral-300';
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 text-[12px] text-neutral-500">
      <span>
        <span className="tabular-nums">
          {first}–{last}
        </span>{' '}
        of <span className="tabular-nums">{total}</span> service account{total === 1 ? '' : 's'}
      </span>
      {pageCount > 1 && (
        <span className="flex items-center gap-1.5">
          {page > 1 ? (
            <Link href={hrefForPage(page - 1)} className={button} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span className={disabled}>← Previous</span>
          )}
          <span className="px-1 tabular-nums">
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? (
            <Link href={hrefForPage(page + 1)} className={button} rel="next">
              Next →
            </Link>
          ) : (
            <span className={disabled}>Next →</span>
          )}
        </span>
      )}
    </nav>
  );
}
