import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { clusterPath } from '@/lib/console/format';
import { Suspense } from 'react';
import type { Scope } from '@/lib/auth/scope';
import { getClusterRow, isConfiguredCluster } from '@/lib/console/queries';
import { BlockSkeleton } from '@/components/shell/skeletons';
import { LiveCluster } from '@/components/clusters/live-clusters';
import { PageHeader, PageMain } from '@/components/shell/page-header';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

async function nameOf(params: Params): Promise<string> {
  const { name } = await params;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: await nameOf(params) };
}

export default async function ClusterPage({ params }: { params: Params }) {
  const name = await nameOf(params);
  const scope = scopeOf(await requirePrincipal(clusterPath(name)));
  // Decided before anything streams, so an unknown or out-of-scope cluster answers HTTP 404.
  if (!scope.canSeeCluster(name) || !(await isConfiguredCluster(name))) notFound();
  return (
    <PageMain>
      <PageHeader
        title={name}
        description="Posture, cluster-level findings and snapshot health."
        crumbs={[{ label: 'Clusters', href: '/clusters' }]}
      />
      <Suspense fallback={<BlockSkeleton lines={6} label="Loading the cluster" />}>
        <ClusterSection name={name} scope={scope} />
      </Suspense>
    </PageMain>
  );
}

async function ClusterSection({ name, scope }: { name: string; scope: Scope }) {
  const cluster = await getClusterRow(name, scope);
  if (!cluster) return <p className="text-[13px] text-neutral-700">This cluster could not be read.</p>;
  return <LiveCluster initial={cluster} />;
}
