import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { serviceAccountPath, clusterPath } from '@/lib/console/format';
import { getServiceAccountPods, isConfiguredCluster } from '@/lib/console/queries';
import {
  AwsAccessFallback,
  AwsAccessSection,
  KubernetesFirstFallback,
  ServiceAccountDetailSection,
} from '@/components/serviceaccount/detail-sections';
import { PageHeader, PageMain } from '@/components/shell/page-header';

export const dynamic = 'force-dynamic';

type Params = Promise<{ cluster: string; namespace: string; name: string }>;

/** Route params arrive percent-encoded when the segment held reserved characters. */
function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function identityOf(params: Params) {
  const raw = await params;
  return { cluster: segment(raw.cluster), namespace: segment(raw.namespace), name: segment(raw.name) };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { namespace, name } = await identityOf(params);
  return { title: `${namespace}/${name}` };
}

export default async function ServiceAccountPage({ params }: { params: Params }) {
  const identity = await identityOf(params);
  const principal = await requirePrincipal(serviceAccountPath(identity.cluster, identity.namespace, identity.name));
  const scope = scopeOf(principal);
  // Out of scope or an unknown cluster is decided before any read, and looks exactly like an absent name.
  if (!scope.canSeeNamespace(identity.cluster, identity.namespace) || !(await isConfiguredCluster(identity.cluster))) notFound();
  // The Kubernetes half decides whether the page exists; the AWS half streams in under Suspense.
  const pods = await getServiceAccountPods(identity.cluster, identity.namespace, identity.name, scope);
  if (pods === null) notFound();
  const matrixFor = (search: Record<string, string>) => `/?${new URLSearchParams(search)}`;
  return (
    <PageMain>
      <PageHeader
        title={<span className="font-mono text-[19px]">{identity.name}</span>}
        description={
          <>
            Service account in namespace <strong className="font-medium text-neutral-700">{identity.namespace}</strong> of cluster{' '}
            <a href={clusterPath(identity.cluster)} className="font-medium text-neutral-700 hover:underline">
              {identity.cluster}
            </a>
          </>
        }
        crumbs={[
          { label: 'Service accounts', href: '/' },
          { label: identity.cluster, href: matrixFor({ cluster: identity.cluster }) },
          { label: identity.namespace, href: matrixFor({ cluster: identity.cluster, namespace: identity.namespace }) },
        ]}
      />
      <Suspense fallback={<KubernetesFirstFallback pods={pods} />}>
        <ServiceAccountDetailSection identity={identity} scope={scope} />
      </Suspense>
      <Suspense fallback={<AwsAccessFallback />}>
        <AwsAccessSection identity={identity} scope={scope} />
      </Suspense>
    </PageMain>
  );
}
