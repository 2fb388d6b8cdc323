'use client';

import { useQuery } from '@tanstack/react-query';
import { createContext, memo, useContext, useMemo, useState } from 'react';
import type { MatrixPage } from '@/lib/console/matrix-page';
import { matrixApiSearch, viewSearch, DEFAULT_SORT, PAGE_SIZE, type ViewParams } from '@/lib/console/matrix-url';
import { queryKeys } from '@/lib/console/query-keys';
import { PartialDataBanner } from '@/components/shell/partial-data-banner';
import { FreshnessBar } from '@/components/shell/freshness-bar';
import { fetchJson, useLiveJson } from '@/components/shell/use-live-json';
import { OutsideScopeNote } from './outside-scope-note';
import { LegendPopover, MatrixLegend } from './matrix-legend';
import { Pager } from './pager';
import { ServiceAccountTable } from './service-account-table';
import { SeverityChips } from './severity-chips';
import { useMatrixView } from './use-matrix-view';

/** A typed view whose rows the table does not show yet: still being read, or the read failed. */
interface TypedViewState {
  pending: boolean;
  error: Error | null;
}
const TypedView = createContext<TypedViewState>({ pending: false, error: null });

/**
 * The matrix kept fresh from GET /api/v1/serviceaccounts (same filters, sort and page) without a reload.
 *
 * The URL says which view: the search box changes it in the browser (history API) rather than through a server
 * render, and the rows follow from the API, the previous rows staying on screen until they arrive. `rendered` is
 * the view the server rendered `initial` for.
 */
export function LiveMatrix({ initial, view: rendered }: { initial: MatrixPage; view: ViewParams }) {
  const current = useMatrixView(rendered);
  const isRendered = viewSearch(current) === viewSearch(rendered);
  // A typed view's read (the search box started it) is watched here, and the table moves to the view once its rows
  // are in: a keystroke renders nothing of the table, and its answer renders it once. The table re-rendered the
  // previous rows for each keystroke before (a placeholder render, 10-30 ms of the page's main thread in the fleet
  // bench, as the answer arrived). A read that failed leaves the rows shown and says so; the view the server
  // rendered is shown at once.
  const apiSearch = matrixApiSearch(current);
  const typedRead = useQuery({
    queryKey: queryKeys.matrixPage(apiSearch),
    queryFn: ({ signal }) => fetchJson<MatrixPage>(`/api/v1/serviceaccounts?${apiSearch}`, signal),
    enabled: !isRendered,
    notifyOnChangeProps: ['status', 'error'],
  });
  const ready = isRendered || typedRead.status === 'success';
  const [shown, setShown] = useState(current);
  if (ready && viewSearch(shown) !== viewSearch(current)) setShown(current);
  const view = ready ? current : shown;
  const failed = !ready && typedRead.status === 'error';
  const pending = !ready && !failed;
  const typedView = useMemo(() => ({ pending, error: failed ? typedRead.error : null }), [pending, failed, typedRead.error]);
  return (
    <TypedView.Provider value={typedView}>
      {/* Busy while the rows shown are still the previous view's and the typed view's are on their way. */}
      <div aria-busy={pending || undefined}>
        <LiveMatrixView initial={initial} rendered={rendered} view={view} />
      </div>
    </TypedView.Provider>
  );
}

/**
 * The matrix's Refresh bar, saying so while a typed view's rows are read, or that the read failed. Not with the
 * Refresh button's spinning icon: its animation ran on the page's main thread every frame of the wait (fleet bench,
 * Chromium trace).
 */
function MatrixFreshnessBar(props: React.ComponentProps<typeof FreshnessBar>) {
  const typedView = useContext(TypedView);
  return (
    <div className="flex items-center gap-3">
      {typedView.pending && (
        <span data-testid="searching" className="text-xs text-neutral-500">
          Searching…
        </span>
      )}
      <FreshnessBar {...props} {...(typedView.error ? { error: typedView.error, errorLabel: 'Search failed' } : {})} />
    </div>
  );
}

const LiveMatrixView = memo(function LiveMatrixView({
  initial,
  rendered,
  view,
}: {
  initial: MatrixPage;
  rendered: ViewParams;
  view: ViewParams;
}) {
  const isRendered = viewSearch(view) === viewSearch(rendered);
  // The server's page number (it may have moved a page past the end back) keeps the render's own key.
  const apiSearch = isRendered ? matrixApiSearch(rendered, initial.page) : matrixApiSearch(view);
  const query = useLiveJson<MatrixPage>(
    queryKeys.matrixPage(apiSearch),
    `/api/v1/serviceaccounts?${apiSearch}`,
    initial,
    initial.collectedAt,
    {
      initialIsCurrent: isRendered,
    },
  );
  const data = query.data;
  const href = (changes: ViewParams) => `/${viewSearch({ ...view, ...changes })}`;
  const pager = (label: string) => (
    <Pager
      label={label}
      page={data.page}
      pageCount={data.pageCount}
      total={data.total}
      pageSize={data.pageSize}
      hrefForPage={(page) => href({ page: String(page) })}
      hrefForPageSize={(pageSize) => href({ pageSize: pageSize === PAGE_SIZE ? undefined : String(pageSize), page: undefined })}
    />
  );
  return (
    // Busy while the rows shown are still the previous view's.
    <div className="space-y-3" aria-busy={query.isPlaceholderData || undefined}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <SeverityChips
          counts={data.severityCounts}
          selected={view.severity ? view.severity.split(',') : []}
          hrefFor={(severities) => href({ severity: severities.join(',') || undefined, page: undefined })}
        />
        <MatrixFreshnessBar
          asOf={data.collectedAt}
          isFetching={query.isFetching}
          error={query.error}
          onRefresh={() => void query.refetch()}
        />
      </div>
      <PartialDataBanner errors={data.errors} />
      <OutsideScopeNote count={data.outsideScope} />
      {data.total === 0 ? (
        <div className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-12 text-center">
          <p className="text-[14px] font-medium text-neutral-800">
            {data.outsideScope ? 'No service accounts in your scope match these filters.' : 'No service accounts match these filters.'}
          </p>
          <p className="mt-1 text-[13px] text-neutral-600">Loosen a filter, or clear them all.</p>
        </div>
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-2">
            {pager('Pages (top)')}
            <LegendPopover />
          </div>
          <ServiceAccountTable rows={data.items} sort={view.sort ?? DEFAULT_SORT} hrefForSort={(sort) => href({ sort, page: undefined })} />
          {pager('Pages')}
          <MatrixLegend />
        </>
      )}
    </div>
  );
});
