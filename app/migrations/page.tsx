import { requirePrincipal } from '@/lib/auth/get-principal';
import { migrationPlanForPage } from '@/lib/migration/plan-view';
import { PageHeader, PageMain } from '@/components/shell/page-header';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** IRSA → Pod Identity: the plan for a cluster's namespaces (apply through POST /api/v1/migrations). */
export default async function MigrationsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const principal = await requirePrincipal('/migrations');
  const { plan, error, cluster, namespaces } = await migrationPlanForPage(principal, search);
  return (
    <PageMain>
      <PageHeader
        title="Move to Pod Identity"
        description={`IRSA service accounts of ${cluster ?? 'a cluster'}${namespaces.length ? ` / ${namespaces.join(', ')}` : ''}: readiness, steps and Terraform.`}
      />
      {error && (
        <p role="alert" className="text-[13px] text-red-700">
          {error}
        </p>
      )}
      {plan && (
        <div className="space-y-4">
          <p className="text-[13px] text-neutral-700">
            {plan.summary.runnable} of {plan.summary.total} service account(s) can move; {plan.summary.skipped} are listed and left
            untouched.
          </p>
          <table className="w-full text-left text-[13px]" aria-label="Migration plan">
            <thead className="text-[11px] text-neutral-500 uppercase">
              <tr>
                <th className="px-2 py-1">Service account</th>
                <th className="px-2 py-1">Readiness</th>
                <th className="px-2 py-1">Steps / reasons</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {plan.items.map((item) => (
                <tr key={`${item.namespace}/${item.name}`} data-testid="migration-item" className="align-top">
                  <td className="px-2 py-1 font-medium">
                    {item.namespace}/{item.name}
                  </td>
                  <td className="px-2 py-1">{item.state}</td>
                  <td className="px-2 py-1">
                    <ul className="space-y-1">
                      {item.reasons.map((reason) => (
                        <li key={reason.code}>
                          <span className="font-mono">{reason.code}</span> {reason.message}
                        </li>
                      ))}
                      {item.steps.map((step) => (
                        <li key={step.step}>
                          {step.description}
                          <pre className="mt-0.5 overflow-x-auto rounded bg-neutral-50 p-1 text-[11px]">{step.cli}</pre>
                        </li>
                      ))}
                      {item.iacWarnings.map((warning) => (
                        <li key={warning} className="text-amber-800">
                          {warning}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.terraform && (
            <section aria-label="Terraform">
              <h2 className="text-[13px] font-medium">Terraform for the end state</h2>
              <pre className="overflow-x-auto rounded bg-neutral-50 p-2 text-[11px]">{plan.terraform}</pre>
            </section>
          )}
        </div>
      )}
    </PageMain>
  );
}
