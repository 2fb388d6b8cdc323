import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import type { AuditFilters } from '@/lib/audit/audit-store';
import { auditQueryFrom } from '@/lib/audit/audit-query';
import type { Principal } from '@/lib/auth/principal';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { getActivity } from '@/lib/console/activity';
import { visibleClusterNames } from '@/lib/console/queries';
import { ActivityFilters } from '@/components/activity/activity-filters';
import { ActivityTimeline } from '@/components/activity/activity-timeline';
import { InvalidFilters } from '@/components/shell/invalid-filters';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { BlockSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Activity' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const FILTER_KEYS = ['actor', 'type', 'cluster', 'since', 'cursor'] as const;

async function ActivitySection({ filters, search, principal }: { filters: AuditFilters; search: URLSearchParams; principal: Principal }) {
  const page = await getActivity(filters, principal, scopeOf(principal));
  const older = new URLSearchParams(search);
  if (page.nextCursor) older.set('cursor', String(page.nextCursor));
  return (
    <div className="space-y-4">
      {page.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-10 text-center text-[13px] text-neutral-600">
          No activity matches these filters.
        </p>
      ) : (
        <ActivityTimeline items={page.items} />
      )}
      {page.nextCursor && (
        <Link href={`/activity?${older}`} className="inline-block text-[13px] font-medium text-sky-800 hover:underline">
          Older entries →
        </Link>
      )}
    </div>
  );
}

export default async function ActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (value && value.trim()) search.set(key, value);
  }
  const principal = await requirePrincipal(`/activity${search.size ? `?${search}` : ''}`);
  const filters = auditQueryFrom(search);
  const clusters = await visibleClusterNames(scopeOf(principal));
  return (
    <PageMain>
      <PageHeader
        title="Activity"
        description={`Every action, preview, refusal and sign-in, newest first${principal.isAdmin ? '' : ', for the namespaces in your scope and your own'}.`}
      >
        {principal.isAdmin && (
          <Link href="/sessions" className="text-[13px] font-medium text-sky-800 hover:underline">
            Sign-in sessions
          </Link>
        )}
      </PageHeader>
      <ActivityFilters view={Object.fromEntries([...search].filter(([key]) => key !== 'cursor'))} clusters={clusters} />
      {filters.success ? (
        <Suspense key={search.toString()} fallback={<BlockSkeleton lines={8} label="Reading the audit trail" />}>
          <ActivitySection filters={filters.data} search={search} principal={principal} />
        </Suspense>
      ) : (
        <InvalidFilters error={filters.error} resetHref="/activity" resetLabel="Show all activity" />
      )}
    </PageMain>
  );
}
