import Link from 'next/link';
import { LinkPendingMark } from '@/components/shell/link-pending-mark';

export const PAGE_SIZE_CHOICES = [25, 50, 100, 250] as const;

/** Row count, page links and a page-size choice; shown above and below the table. */
export function Pager({
  page,
  pageCount,
  total,
  pageSize,
  hrefForPage,
  hrefForPageSize,
  label = 'Pages',
}: {
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  hrefForPage: (page: number) => string;
  hrefForPageSize?: (pageSize: number) => string;
  label?: string;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const button =
    'inline-flex items-center gap-1 rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-700 hover:bg-neutral-50';
  const disabled = 'rounded-md border border-neutral-200 px-2.5 py-1 text-[12px] font-medium text-neutral-500';
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 text-[12px] text-neutral-600">
      <span data-testid="row-count">
        <span className="tabular-nums">
          {first}–{last}
        </span>{' '}
        of <span className="tabular-nums">{total}</span> service account{total === 1 ? '' : 's'}
      </span>
      <span className="flex flex-wrap items-center gap-3">
        {hrefForPageSize && total > PAGE_SIZE_CHOICES[0] && (
          <span className="flex items-center gap-1">
            <span>Per page</span>
            {PAGE_SIZE_CHOICES.map((size) =>
              size === pageSize ? (
                <span key={size} aria-current="true" className="rounded bg-neutral-900 px-1.5 py-0.5 font-medium text-white tabular-nums">
                  {size}
                </span>
              ) : (
                <Link
                  prefetch={false}
                  key={size}
                  href={hrefForPageSize(size)}
                  scroll={false}
                  className="rounded px-1.5 py-0.5 tabular-nums hover:bg-neutral-200"
                >
                  {size}
                </Link>
              ),
            )}
          </span>
        )}
        {pageCount > 1 && (
          <span className="flex items-center gap-1.5">
            {page > 1 ? (
              <Link prefetch={false} href={hrefForPage(page - 1)} className={button} rel="prev" scroll={false}>
                ← Previous
                <LinkPendingMark />
              </Link>
            ) : (
              <span className={disabled} aria-disabled="true">
                ← Previous
              </span>
            )}
            <span className="px-1 tabular-nums">
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? (
              <Link prefetch={false} href={hrefForPage(page + 1)} className={button} rel="next" scroll={false}>
                Next →
                <LinkPendingMark />
              </Link>
            ) : (
              <span className={disabled} aria-disabled="true">
                Next →
              </span>
            )}
          </span>
        )}
      </span>
    </nav>
  );
}
