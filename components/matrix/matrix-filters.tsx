'use client';

import { keepPreviousData, useIsFetching, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import type { MatrixFacets } from '@/lib/console/matrix-page';
import {
  filterSearch,
  matrixApiSearch,
  MECHANISMS,
  MIGRATION_STATES,
  SNAPSHOT_FILTERS,
  viewSearch,
  type ViewKey,
  type ViewParams,
} from '@/lib/console/matrix-url';
import { queryKeys } from '@/lib/console/query-keys';
import { MIGRATION_STATE_LABEL } from '@/lib/migration/states';
import { fetchJson } from '@/components/shell/use-live-json';
import { MECHANISM_LABEL } from './mechanism-badge';
import { locationView, showView, useMatrixView, writeShownView } from './use-matrix-view';

const selectClass =
  'h-8 rounded-md border border-neutral-300 bg-white pr-7 pl-2 text-[13px] text-neutral-800 shadow-xs focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/20';

interface FilterOption {
  value: string;
  label: string;
}

const MECHANISM_OPTIONS: readonly FilterOption[] = MECHANISMS.map((m) => ({ value: m, label: MECHANISM_LABEL[m] }));
const MIGRATION_OPTIONS: readonly FilterOption[] = MIGRATION_STATES.map((state) => ({ value: state, label: MIGRATION_STATE_LABEL[state] }));
const SNAPSHOT_OPTIONS: readonly FilterOption[] = SNAPSHOT_FILTERS.map((state) => ({
  value: state,
  label: state === 'none' ? 'writes no snapshots' : `snapshots ${state}`,
}));

/** One picker; re-rendered only when its value or options change. */
const FilterSelect = memo(function FilterSelect({
  viewKey,
  label,
  value,
  options,
  onPick,
}: {
  viewKey: ViewKey;
  label: string;
  value: string | undefined;
  options: readonly FilterOption[];
  onPick: (key: ViewKey, value: string | undefined) => void;
}) {
  return (
    <label className="flex min-w-0 items-center gap-1.5 text-[12px] text-neutral-600">
      <span className="sr-only">{label}</span>
      <select
        aria-label={label}
        value={value ?? ''}
        onChange={(event) => onPick(viewKey, event.target.value || undefined)}
        className={`${selectClass} max-w-52 max-md:w-full max-md:max-w-none`}
      >
        <option value="">{`All ${label.toLowerCase()}s`}</option>
        {/* A value from the URL that is not among the options (a comma list, a cluster out of scope) still shows. */}
        {value && !options.some((option) => option.value === value) && <option value={value}>{value}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
});

/**
 * Filter controls; every change becomes a URL search param, so the view is a link an on-call engineer can share.
 *
 * The search box shows each keystroke's `q` at once, the table re-reading its rows from the API without a server
 * render of the page, and writes it to the URL in the browser (history API) once typing pauses. A picker, a chip or a link still navigates. `view` and `facets` are what the server rendered; while the URL's filters differ from
 * it, the pickers' choices are re-read from GET /api/v1/serviceaccounts/facets once the rows have arrived.
 */
export function MatrixFilters({ view: rendered, facets: renderedFacets }: { view: ViewParams; facets: MatrixFacets }) {
  const router = useRouter();
  const view = useMatrixView(rendered);
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(view.q ?? '');
  // Whether the history entry on top is this search's own: its first keystroke adds one (Back returns to the view
  // before the search), the rest replace it.
  const searchEntry = useRef(false);

  const queryClient = useQueryClient();
  const typedRead = useRef<readonly unknown[] | null>(null);
  const search = (text: string) => {
    setQ(text);
    const current = locationView();
    const next = text.trim() || undefined;
    if ((current.q?.trim() || undefined) === next) return;
    const nextView = { ...current, q: next, page: undefined };
    // The rows are asked for here, before the table re-renders (which took hundreds of ms in the fleet bench); the
    // table's query (same key and URL) takes this read over. A read for text typed over is given up.
    const apiSearch = matrixApiSearch(nextView);
    const queryKey = queryKeys.matrixPage(apiSearch);
    if (typedRead.current) void queryClient.cancelQueries({ queryKey: typedRead.current, exact: true });
    typedRead.current = queryKey;
    void queryClient.prefetchQuery({
      queryKey,
      queryFn: ({ signal }) => fetchJson<unknown>(`/api/v1/serviceaccounts?${apiSearch}`, signal),
    });
    showView(nextView, searchEntry.current ? 'replace' : 'push');
    searchEntry.current = true;
  };

  // Back, Forward or a link changed the URL's q: the box shows it.
  const urlQ = view.q?.trim() ?? '';
  useEffect(() => {
    if (urlQ === q.trim()) return;
    searchEntry.current = false;
    // The address bar is outside React: the box follows it when Back, Forward or a link moves it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setQ(urlQ);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of the URL's q moves the box
  }, [urlQ]);

  // The pickers' choices under the URL's filters: the server's while they are the rendered ones, else re-read once
  // the filters have held still for 600 ms and no rows are being read; until then the last ones stay. Counting them
  // over the whole fleet took the server 200-350 ms at 12,650 service accounts, time the next keystroke's rows,
  // which the user is waiting for, would have waited behind.
  const filters = filterSearch(view);
  const [settled, setSettled] = useState(filters);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(filters), 600);
    return () => clearTimeout(timer);
  }, [filters]);
  const readingRows = useIsFetching({ queryKey: queryKeys.matrixPages() }) > 0;
  const facetsQuery = useQuery({
    queryKey: queryKeys.matrixFacets(settled),
    queryFn: ({ signal }) => fetchJson<MatrixFacets>(`/api/v1/serviceaccounts/facets${settled}`, signal),
    enabled: settled !== filterSearch(rendered) && !readingRows,
    placeholderData: keepPreviousData,
  });
  const { clusters, namespaces, codes } = filters === filterSearch(rendered) ? renderedFacets : (facetsQuery.data ?? renderedFacets);

  const clusterOptions = useMemo(() => clusters.map((c) => ({ value: c.value, label: `${c.value} (${c.count})` })), [clusters]);
  const namespaceOptions = useMemo(() => namespaces.map((n) => ({ value: n.value, label: `${n.value} (${n.count})` })), [namespaces]);
  const codeOptions = useMemo(() => codes.map((c) => ({ value: c.value, label: `${c.value} · ${c.name} (${c.count})` })), [codes]);
  // The pickers' props hold still while typing (their change reads the view shown at that moment, the search box's
  // included), so a keystroke does not re-render hundreds of namespace <option>s (fleet bench).
  const pick = useCallback(
    (key: ViewKey, value: string | undefined) => {
      const next = { ...locationView(), [key]: value, page: undefined };
      searchEntry.current = false;
      startTransition(() => router.push(`/${viewSearch(next)}`, { scroll: false }));
    },
    [router],
  );
  const select = (key: ViewKey, label: string, options: readonly FilterOption[]) => (
    <FilterSelect viewKey={key} label={label} value={view[key]} options={options} onPick={pick} />
  );

  const active =
    q.trim() !== '' ||
    (['cluster', 'namespace', 'mechanism', 'migration', 'severity', 'code', 'snapshot', 'q'] as const).some((key) => view[key]);
  return (
    <form
      role="search"
      aria-label="Filter service accounts"
      onSubmit={(event) => {
        // Enter: the search is applied already; the next keystroke starts a new history entry.
        event.preventDefault();
        search(q);
        writeShownView();
        searchEntry.current = false;
      }}
      className="flex flex-wrap items-center gap-2 max-md:grid max-md:grid-cols-2"
      data-pending={pending || undefined}
    >
      <div className="relative max-md:col-span-2">
        <svg viewBox="0 0 16 16" className="pointer-events-none absolute top-2 left-2.5 size-4 text-neutral-500" aria-hidden="true">
          <path
            fill="currentColor"
            d="M7 1.5a5.5 5.5 0 0 1 4.4 8.8l3.2 3.2-1.1 1.1-3.2-3.2A5.5 5.5 0 1 1 7 1.5M7 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8"
          />
        </svg>
        <input
          type="search"
          aria-label="Search"
          placeholder="Search names, roles, codes…"
          value={q}
          onChange={(event) => search(event.target.value)}
          onBlur={() => {
            // Leaving the box (for a link, a picker) writes the search to the address bar first.
            writeShownView();
            searchEntry.current = false;
          }}
          className="h-8 w-64 rounded-md max-md:w-full border border-neutral-300 bg-white pr-2 pl-8 text-[13px] shadow-xs placeholder:text-neutral-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/20"
        />
      </div>
      {select('cluster', 'Cluster', clusterOptions)}
      {select('namespace', 'Namespace', namespaceOptions)}
      {select('mechanism', 'Mechanism', MECHANISM_OPTIONS)}
      {select('migration', 'Migration state', MIGRATION_OPTIONS)}
      {select('snapshot', 'Snapshot state', SNAPSHOT_OPTIONS)}
      {select('code', 'Finding code', codeOptions)}
      {active && (
        <Link prefetch={false} href="/" className="text-[12px] font-medium text-neutral-500 hover:text-neutral-900">
          Clear filters
        </Link>
      )}
      {pending && (
        <span className="text-[12px] text-neutral-500" aria-live="polite">
          Loading…
        </span>
      )}
    </form>
  );
}
