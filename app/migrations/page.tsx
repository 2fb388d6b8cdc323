import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import type { Scope } from '@/lib/auth/scope';
import { migrationChoices, migrationPlanForPage } from '@/lib/migration/plan-view';
import { MIGRATION_STATES } from '@/lib/migration/states';
import { MigrationPlanView } from '@/components/migrations/migration-plan-view';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Move to Pod Identity' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const DESCRIPTION = 'IRSA service accounts moved to EKS Pod Identity in verified, resumable and reversible batches.';

/** No choice yet: the namespaces in the caller's scope that have IRSA service accounts, by readiness. */
async function Choices({ scope }: { scope: Scope }) {
  const choices = await migrationChoices(scope);
  if (choices.length === 0)
    return <p className="text-[13px] text-neutral-600">No service account in your scope uses IRSA: there is nothing to move.</p>;
  return (
    <table className="w-full max-w-3xl text-left text-[13px]" aria-label="Namespaces with IRSA service accounts">
      <thead className="text-[11px] text-neutral-500 uppercase">
        <tr>
          <th className="px-2 py-1">Cluster / namespace</th>
          <th className="px-2 py-1">Service accounts on IRSA</th>
          <th className="px-2 py-1">You may</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-neutral-100">
        {choices.map((choice) => (
          <tr key={`${choice.cluster}/${choice.namespace}`}>
            <td className="px-2 py-1">
              <Link
                href={`/migrations?cluster=${encodeURIComponent(choice.cluster)}&namespace=${encodeURIComponent(choice.namespace)}`}
                className="font-medium text-blue-700 hover:underline"
              >
                {choice.cluster} / {choice.namespace}
              </Link>
            </td>
            <td className="px-2 py-1 text-neutral-700">
              {MIGRATION_STATES.filter((state) => choice.byState[state])
                .map((state) => `${choice.byState[state]} ${state}`)
                .join(', ')}
            </td>
            <td className="px-2 py-1 text-neutral-600">{choice.canAct ? 'plan and apply' : 'view the plan'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** IRSA → Pod Identity: choose a cluster and namespaces, read the plan, and (operators) apply it. */
export default async function MigrationsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const query = new URLSearchParams(
    Object.entries(search).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value] as [string, string]] : [])),
  ).toString();
  const principal = await requirePrincipal(`/migrations${query ? `?${query}` : ''}`);
  const scope = scopeOf(principal);
  const chosen = Boolean(search.cluster || search.namespace);
  const { plan, error, cluster, namespaces } = chosen
    ? await migrationPlanForPage(principal, search)
    : { plan: undefined, error: undefined, cluster: undefined, namespaces: [] as string[] };
  const canAct = Boolean(cluster) && namespaces.length > 0 && namespaces.every((namespace) => scope.canAct(cluster!, namespace));
  return (
    <PageMain>
      <PageHeader
        title="Move to Pod Identity"
        description={
          cluster ? `IRSA service accounts of ${cluster} / ${namespaces.join(', ')}: readiness, steps and Terraform.` : DESCRIPTION
        }
        crumbs={
          chosen ? [{ label: 'Move to Pod Identity', href: '/migrations' }, { label: `${cluster ?? ''} / ${namespaces.join(', ')}` }] : []
        }
      />
      {error && (
        <p role="alert" className="text-[13px] text-red-700">
          {error}
        </p>
      )}
      {!chosen && (
        <Suspense fallback={<TableSkeleton rows={4} label="Reading which service accounts use IRSA" />}>
          <Choices scope={scope} />
        </Suspense>
      )}
      {plan && cluster && (
        <MigrationPlanView
          plan={plan}
          namespaces={namespaces}
          canAct={canAct}
          whyNot={
            canAct ? undefined : `You can view ${namespaces.join(', ')} but not apply a migration there: that needs the operator role.`
          }
        />
      )}
    </PageMain>
  );
}
