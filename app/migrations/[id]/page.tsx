import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { formatTimestamp } from '@/lib/console/format';
import { migrationForPage } from '@/lib/migration/run-migration';
import { MigrationProgress } from '@/components/migrations/migration-progress';
import { PageHeader, PageMain } from '@/components/shell/page-header';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Migration ${(await params).id}` };
}

/** One migration batch: live progress per service account, its controls, and the verified result. */
export default async function MigrationPage({ params }: { params: Params }) {
  const { id } = await params;
  const principal = await requirePrincipal(`/migrations/${encodeURIComponent(id)}`);
  const record = await migrationForPage(principal, id);
  if (!record) notFound();
  const scope = scopeOf(principal);
  const namespaces = [...new Set(record.items.map((item) => item.namespace))];
  const canAct = namespaces.every((namespace) => scope.canAct(record.cluster, namespace));
  return (
    <PageMain>
      <PageHeader
        title={`Migration of ${record.cluster} / ${namespaces.join(', ')}`}
        description={`Started by ${record.actor} at ${formatTimestamp(record.startedAt)}; every step is verified before the next.`}
        crumbs={[
          { label: 'Move to Pod Identity', href: '/migrations' },
          {
            label: `${record.cluster} / ${namespaces.join(', ')}`,
            href: `/migrations?cluster=${encodeURIComponent(record.cluster)}&namespace=${encodeURIComponent(namespaces.join(','))}`,
          },
          { label: id },
        ]}
      />
      <MigrationProgress initial={record} canAct={canAct} />
    </PageMain>
  );
}
