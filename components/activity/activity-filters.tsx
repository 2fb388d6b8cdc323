'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { AUDIT_ENTRY_TYPES } from '@/lib/audit/audit-query';

type ActivityView = Partial<Record<'actor' | 'type' | 'cluster' | 'since', string>>;

const TYPE_LABEL: Record<(typeof AUDIT_ENTRY_TYPES)[number], string> = {
  plan: 'Previews',
  'apply-intent': 'Actions started',
  'apply-result': 'Actions finished',
  progress: 'Action progress',
  refused: 'Refusals',
  'sign-in': 'Sign-ins',
  'sign-out': 'Sign-outs',
  cancel: 'Cancels',
  'session-revoked': 'Revoked sessions',
};

const fieldClass =
  'h-8 rounded-md border border-neutral-300 bg-white px-2 text-[13px] text-neutral-800 shadow-xs focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/20 max-md:w-full';

function activityHref(view: ActivityView): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(view)) if (value) params.set(key, value);
  const text = params.toString();
  return `/activity${text ? `?${text}` : ''}`;
}

/** Actor, entry type, cluster and a start day; each change becomes a URL search param, so the view is a link. */
export function ActivityFilters({ view, clusters }: { view: ActivityView; clusters: string[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [actor, setActor] = useState(view.actor ?? '');
  const navigate = (changes: ActivityView) => startTransition(() => router.push(activityHref({ ...view, ...changes }), { scroll: false }));
  // A date picker needs a day; a since= link with a full time still shows (and keeps) it.
  const sinceDay = view.since && /^\d{4}-\d{2}-\d{2}$/.test(view.since) ? view.since : undefined;
  const label = 'flex min-w-0 flex-col gap-0.5 text-[12px] text-neutral-700';
  return (
    <form
      role="search"
      aria-label="Filter activity"
      onSubmit={(event) => {
        event.preventDefault();
        navigate({ actor: actor.trim() || undefined });
      }}
      className="flex flex-wrap items-end gap-2 max-md:grid max-md:grid-cols-2"
      data-pending={pending || undefined}
    >
      <label className={label}>
        Who
        <input
          name="actor"
          value={actor}
          onChange={(event) => setActor(event.target.value)}
          onBlur={() => (actor.trim() || undefined) !== view.actor && navigate({ actor: actor.trim() || undefined })}
          placeholder="user name"
          className={`${fieldClass} w-40`}
        />
      </label>
      <label className={label}>
        What
        <select
          name="type"
          value={view.type ?? ''}
          onChange={(event) => navigate({ type: event.target.value || undefined })}
          className={`${fieldClass} pr-7`}
        >
          <option value="">Everything</option>
          {AUDIT_ENTRY_TYPES.map((type) => (
            <option key={type} value={type}>
              {TYPE_LABEL[type]}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Cluster
        <select
          name="cluster"
          value={view.cluster ?? ''}
          onChange={(event) => navigate({ cluster: event.target.value || undefined })}
          className={`${fieldClass} pr-7`}
        >
          <option value="">All clusters</option>
          {view.cluster && !clusters.includes(view.cluster) && <option value={view.cluster}>{view.cluster}</option>}
          {clusters.map((cluster) => (
            <option key={cluster} value={cluster}>
              {cluster}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Since (UTC day)
        <input
          type="date"
          name="since"
          value={sinceDay ?? ''}
          onChange={(event) => navigate({ since: event.target.value || undefined })}
          className={fieldClass}
        />
      </label>
      <button type="submit" className="sr-only">
        Apply filters
      </button>
      {(view.actor || view.type || view.cluster || view.since) && (
        <Link href="/activity" className="h-8 px-1 text-[13px] leading-8 font-medium text-sky-800 hover:underline">
          Clear filters
        </Link>
      )}
      {pending && (
        <span role="status" className="h-8 text-[12px] leading-8 text-neutral-600">
          Loading…
        </span>
      )}
    </form>
  );
}
