import type { Metadata } from 'next';
import { Suspense } from 'react';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { getClusterRows } from '@/lib/console/queries';
import type { Scope } from '@/lib/auth/scope';
import { LiveClusters } from '@/components/clusters/live-clusters';
import { ConsoleIdentitySection } from '@/components/clusters/console-identity';
import { getConsoleIdentity } from '@/lib/console/console-identity';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Clusters' };

async function ClustersSection({ scope }: { scope: Scope }) {
  return <LiveClusters initial={await getClusterRows(scope)} />;
}

async function ConsoleSection({ scope }: { scope: Scope }) {
  return <ConsoleIdentitySection identity={await getConsoleIdentity(scope)} />;
}

export default async function ClustersPage() {
  const scope = scopeOf(await requirePrincipal('/clusters'));
  return (
    <PageMain>
      <PageHeader title="Clusters" description="Pod Identity and IRSA posture of every configured cluster." />
      <Suspense fallback={<TableSkeleton rows={5} label="Loading clusters" />}>
        <ClustersSection scope={scope} />
      </Suspense>
      <Suspense fallback={<TableSkeleton rows={2} label="Loading the console's identity" />}>
        <ConsoleSection scope={scope} />
      </Suspense>
    </PageMain>
  );
}
