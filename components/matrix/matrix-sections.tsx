import type { Scope } from '@/lib/auth/scope';
import { getKubernetesFirstMatrixPage, getMatrixFacets, getMatrixPage } from '@/lib/console/matrix-page';
import { isFleetViewReady } from '@/lib/console/queries';
import { parseMatrixView, type MatrixView } from '@/lib/console/row-filters';
import { viewSearch, DEFAULT_SORT, type ViewKey } from '@/lib/console/matrix-url';
import { LiveMatrix } from './live-matrix';
import { MatrixFilters } from './matrix-filters';
import { ServiceAccountTable } from './service-account-table';
import { TableSkeleton } from '@/components/shell/skeletons';

type ViewParams = Partial<Record<ViewKey, string>>;

// Async server components the matrix page streams under <Suspense>: each awaits its own data.

export async function MatrixFiltersSection({ view, scope }: { view: ViewParams; scope: Scope }) {
  const parsed = parseMatrixView(view);
  const facets = await getMatrixFacets(parsed.success ? parsed.data : {}, scope);
  return <MatrixFilters view={view} facets={facets} />;
}

export async function MatrixTableSection({ view, params, scope }: { view: MatrixView; params: ViewParams; scope: Scope }) {
  const page = await getMatrixPage(view, scope);
  return <LiveMatrix initial={page} view={params} />;
}

/**
 * What the matrix shows while AWS answers (issue 3: the Kubernetes part first): the same page of rows from the
 * clusters alone, not live, with the AWS-dependent cells unknown. The full table replaces it when it streams in.
 */
export async function KubernetesFirstTableSection({ view, params, scope }: { view: MatrixView; params: ViewParams; scope: Scope }) {
  // With the full view at hand the real table arrives at once; skip the Kubernetes-only pass.
  if (isFleetViewReady()) return <TableSkeleton label="Loading service accounts" />;
  const page = await getKubernetesFirstMatrixPage(view, scope);
  return (
    <div className="space-y-3" aria-busy="true">
      <p role="status" className="rounded-lg border border-sky-200 bg-sky-50 px-4 py-2 text-[13px] text-sky-900">
        Kubernetes read: {page.total} service account{page.total === 1 ? '' : 's'}. Checking AWS for associations, roles and trust policies…
      </p>
      <ServiceAccountTable
        rows={page.items}
        sort={params.sort ?? DEFAULT_SORT}
        hrefForSort={(sort) => `/${viewSearch({ ...params, sort, page: undefined })}`}
      />
    </div>
  );
}
