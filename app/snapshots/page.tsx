import type { Metadata } from 'next';
import { Suspense } from 'react';
import type { Scope } from '@/lib/auth/scope';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { getSnapshotSources } from '@/lib/console/snapshot-queries';
import { snapshotFiltersSchema, type SnapshotFilters } from '@/lib/console/snapshot-view';
import { LiveSnapshots } from '@/components/snapshots/live-snapshots';
import { InvalidFilters } from '@/components/shell/invalid-filters';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Snapshots' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function SnapshotsSection({ filters, search, scope }: { filters: SnapshotFilters; search: string; scope: Scope }) {
  return <LiveSnapshots initial={await getSnapshotSources(filters, scope)} search={search} />;
}

export default async function SnapshotsPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const input: Record<string, string> = {};
  for (const key of ['cluster', 'state', 'kind'] as const) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (value && value.trim()) input[key] = value;
  }
  const search = new URLSearchParams(input).toString();
  const scope = scopeOf(await requirePrincipal(`/snapshots${search ? `?${search}` : ''}`));
  const filters = snapshotFiltersSchema.safeParse(input);
  return (
    <PageMain>
      <PageHeader
        title="Snapshots"
        description="Freshness of Restate partition snapshots and K3s/RKE2 etcd snapshots, next to the identity of what writes them."
      >
        <a
          href={`/api/v1/snapshots?${new URLSearchParams({ ...input, format: 'csv' })}`}
          className="rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-700 shadow-xs hover:bg-neutral-50"
        >
          Export CSV
        </a>
      </PageHeader>
      {filters.success ? (
        <Suspense key={search} fallback={<TableSkeleton rows={4} label="Reading snapshot destinations" />}>
          <SnapshotsSection filters={filters.data} search={search} scope={scope} />
        </Suspense>
      ) : (
        <InvalidFilters error={filters.error} resetHref="/snapshots" resetLabel="Show every source" />
      )}
    </PageMain>
  );
}
