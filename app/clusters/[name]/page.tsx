import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { clusterPath } from '@/lib/console/format';
import { getClusterRow } from '@/lib/console/queries';
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
  const cluster = await getClusterRow(name, scope);
  if (!cluster) notFound();
  return (
    <PageMain>
      <PageHeader
        title={cluster.name}
        description="Posture and cluster-level findings."
        crumbs={[{ label: 'Clusters', href: '/clusters' }]}
      />
      <LiveCluster initial={cluster} />
    </PageMain>
  );
}
