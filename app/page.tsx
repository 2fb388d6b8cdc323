import { Suspense } from 'react';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';
import { SERVICE_ACCOUNT_CODES } from '@/lib/identity/catalog';
import { visibleClusterNames } from '@/lib/console/queries';
import { parseMatrixView, unknownFilterValues, viewInputFrom, viewSearch } from '@/lib/console/row-filters';
import { KubernetesFirstTableSection, MatrixFiltersSection, MatrixTableSection } from '@/components/matrix/matrix-sections';
import { ExportCsvLink } from '@/components/matrix/export-csv-link';
import { InvalidFilters } from '@/components/shell/invalid-filters';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ServiceAccountsPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const params = viewInputFrom(raw);
  const principal = await requirePrincipal(`/${viewSearch(params)}`);
  const scope = scopeOf(principal);
  const view = parseMatrixView(raw);
  // Cluster names are read (discovery may ask AWS) only when the link names a cluster.
  const unknown = view.success
    ? unknownFilterValues(view.data, {
        clusters: view.data.cluster?.length ? await visibleClusterNames(scope) : [],
        codes: SERVICE_ACCOUNT_CODES.map((entry) => entry.code),
      })
    : [];
  return (
    <PageMain>
      <PageHeader
        title="Service accounts"
        description="Which AWS identity every service account's pods really get, and what is broken about it."
      >
        <ExportCsvLink view={params} />
      </PageHeader>
      <Suspense fallback={<div className="h-8" />}>
        <MatrixFiltersSection view={params} scope={scope} />
      </Suspense>
      {view.success && unknown.length > 0 ? (
        <InvalidFilters error={{ issues: unknown }} resetHref="/" resetLabel="Show all service accounts" />
      ) : view.success ? (
        // No key per view: a sort, page or filter change is a transition that keeps the table on screen (with a
        // pending mark) until the new page arrives, instead of blanking it to a skeleton.
        <Suspense
          fallback={
            <Suspense fallback={<TableSkeleton label="Loading service accounts" />}>
              <KubernetesFirstTableSection view={view.data} params={params} scope={scope} />
            </Suspense>
          }
        >
          <MatrixTableSection view={view.data} params={params} scope={scope} />
        </Suspense>
      ) : (
        <InvalidFilters error={view.error} resetHref="/" resetLabel="Show all service accounts" />
      )}
    </PageMain>
  );
}
