'use client';

import Link from 'next/link';
import type { SnapshotList } from '@/lib/console/snapshot-queries';
import { SNAPSHOT_KINDS, SNAPSHOT_STATES, snapshotAnchor } from '@/lib/console/snapshot-url';
import { FreshnessBar } from '@/components/shell/freshness-bar';
import { PartialDataBanner } from '@/components/shell/partial-data-banner';
import { Section } from '@/components/shell/page-header';
import { useLiveJson } from '@/components/shell/use-live-json';
import { ScrollToHash } from '@/components/shell/scroll-to-hash';
import { SnapshotSourceCard } from './snapshot-source-card';

function filterLink(search: URLSearchParams, key: string, value: string | null): string {
  const next = new URLSearchParams(search);
  if (value === null) next.delete(key);
  else next.set(key, value);
  const text = next.toString();
  return `/snapshots${text ? `?${text}` : ''}`;
}

/** Every snapshot source the user may see, kept fresh from GET /api/v1/snapshots, with state and kind filters in the URL. */
export function LiveSnapshots({ initial, search }: { initial: SnapshotList; search: string }) {
  const apiPath = `/api/v1/snapshots${search ? `?${search}` : ''}`;
  const query = useLiveJson<SnapshotList>(['snapshots', search], apiPath, initial, initial.collectedAt);
  const params = new URLSearchParams(search);
  const restate = query.data.items.filter((item) => item.kind === 'restate');
  const etcd = query.data.items.filter((item) => item.kind === 'etcd');
  const chip = (key: 'state' | 'kind', value: string | null, label: string) => {
    const active = (params.get(key) ?? null) === value;
    return (
      <Link
        key={`${key}-${value}`}
        href={filterLink(params, key, value)}
        aria-current={active ? 'page' : undefined}
        className={`rounded-full px-2.5 py-0.5 text-[12px] ring-1 ring-inset ${active ? 'bg-neutral-900 text-white ring-neutral-900' : 'bg-white text-neutral-700 ring-neutral-300 hover:bg-neutral-50'}`}
      >
        {label}
      </Link>
    );
  };
  const counts = query.data.stateCounts;
  return (
    <div className="space-y-5">
      <ScrollToHash ids={query.data.items.map((item) => snapshotAnchor(item.source))} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Snapshot filters" className="flex flex-wrap items-center gap-1.5">
          {chip('state', null, 'All states')}
          {SNAPSHOT_STATES.map((state) => chip('state', state, `${state} ${counts[state] ?? 0}`))}
          <span className="mx-1 h-4 w-px bg-neutral-300" aria-hidden="true" />
          {chip('kind', null, 'All kinds')}
          {SNAPSHOT_KINDS.map((kind) => chip('kind', kind, kind === 'restate' ? 'Restate' : 'K3s/RKE2 etcd'))}
        </nav>
        <FreshnessBar
          asOf={query.data.collectedAt}
          isFetching={query.isFetching}
          error={query.error}
          onRefresh={() => void query.refetch()}
        />
      </div>
      <PartialDataBanner errors={query.data.errors} />
      {query.data.items.length === 0 && (
        <p className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-10 text-center text-[13px] text-neutral-500">
          No snapshot source matches, or none is in your scope. Restate destinations are found in RestateCluster resources, in StatefulSets
          and Deployments that set RESTATE_WORKER__SNAPSHOTS__*, and in the console config; etcd snapshots in K3s/RKE2 clusters&apos;
          records.
        </p>
      )}
      {restate.length > 0 && (
        <Section title="Restate partition snapshots" description={`${restate.length} destination${restate.length === 1 ? '' : 's'}`}>
          <div className="space-y-3">
            {restate.map((item) => (
              <SnapshotSourceCard key={item.source} item={item} now={query.data.collectedAt} />
            ))}
          </div>
        </Section>
      )}
      {etcd.length > 0 && (
        <Section title="K3s/RKE2 etcd snapshots" description={`${etcd.length} storage location group${etcd.length === 1 ? '' : 's'}`}>
          <div className="space-y-3">
            {etcd.map((item) => (
              <SnapshotSourceCard key={item.source} item={item} now={query.data.collectedAt} />
            ))}
          </div>
        </Section>
      )}
    </div>
  );
}
