'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { MECHANISMS, MIGRATION_STATES, SNAPSHOT_FILTERS, viewSearch, type ViewKey } from '@/lib/console/matrix-url';
import { MIGRATION_STATE_LABEL } from '@/lib/migration/states';
import type { FacetOption } from '@/lib/console/row-match';
import { MECHANISM_LABEL } from './mechanism-badge';

type ViewParams = Partial<Record<ViewKey, string>>;

const selectClass =
  'h-8 rounded-md border border-neutral-300 bg-white pr-7 pl-2 text-[13px] text-neutral-800 shadow-xs focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/20';

/** Filter controls; every change becomes a URL search param, so the view is a link an on-call engineer can share. */
export function MatrixFilters({
  view,
  clusters,
  namespaces,
  codes,
}: {
  view: ViewParams;
  clusters: FacetOption[];
  namespaces: FacetOption[];
  /** Codes that occur under the other filters, with their titles. */
  codes: (FacetOption & { name: string })[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(view.q ?? '');

  const navigate = (changes: ViewParams) => {
    // Any filter change starts again at page 1.
    const next = { ...view, ...changes, page: undefined };
    startTransition(() => router.push(`/${viewSearch(next)}`, { scroll: false }));
  };

  // Free text applies after a pause in typing, without a submit.
  useEffect(() => {
    if ((view.q ?? '') === q) return;
    const timer = setTimeout(() => navigate({ q: q.trim() || undefined }), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- navigate is rebuilt each render from the same view
  }, [q, view.q]);

  const select = (key: ViewKey, label: string, options: { value: string; label: string }[]) => (
    <label className="flex min-w-0 items-center gap-1.5 text-[12px] text-neutral-600">
      <span className="sr-only">{label}</span>
      <select
        aria-label={label}
        value={view[key] ?? ''}
        onChange={(event) => navigate({ [key]: event.target.value || undefined })}
        className={`${selectClass} max-w-52 max-md:w-full max-md:max-w-none`}
      >
        <option value="">{`All ${label.toLowerCase()}s`}</option>
        {/* A value from the URL that is not among the options (a comma list, a cluster out of scope) still shows. */}
        {view[key] && !options.some((option) => option.value === view[key]) && <option value={view[key]}>{view[key]}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );

  const active = (['cluster', 'namespace', 'mechanism', 'migration', 'severity', 'code', 'snapshot', 'q'] as const).some(
    (key) => view[key],
  );
  return (
    <form
      role="search"
      aria-label="Filter service accounts"
      onSubmit={(event) => {
        event.preventDefault();
        navigate({ q: q.trim() || undefined });
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
          onChange={(event) => setQ(event.target.value)}
          className="h-8 w-64 rounded-md max-md:w-full border border-neutral-300 bg-white pr-2 pl-8 text-[13px] shadow-xs placeholder:text-neutral-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/20"
        />
      </div>
      {select(
        'cluster',
        'Cluster',
        clusters.map((c) => ({ value: c.value, label: `${c.value} (${c.count})` })),
      )}
      {select(
        'namespace',
        'Namespace',
        namespaces.map((n) => ({ value: n.value, label: `${n.value} (${n.count})` })),
      )}
      {select(
        'mechanism',
        'Mechanism',
        MECHANISMS.map((m) => ({ value: m, label: MECHANISM_LABEL[m] })),
      )}
      {select(
        'migration',
        'Migration state',
        MIGRATION_STATES.map((state) => ({ value: state, label: MIGRATION_STATE_LABEL[state] })),
      )}
      {select(
        'snapshot',
        'Snapshot state',
        SNAPSHOT_FILTERS.map((state) => ({ value: state, label: state === 'none' ? 'writes no snapshots' : `snapshots ${state}` })),
      )}
      {select(
        'code',
        'Finding code',
        codes.map((c) => ({ value: c.value, label: `${c.value} · ${c.name} (${c.count})` })),
      )}
      {active && (
        <Link href="/" className="text-[12px] font-medium text-neutral-500 hover:text-neutral-900">
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
