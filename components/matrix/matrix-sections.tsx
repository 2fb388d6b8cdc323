import type { Scope } from '@/lib/auth/scope';
import { getMatrixPage } from '@/lib/console/matrix-page';
import { getFilterOptions } from '@/lib/console/queries';
import { SERVICE_ACCOUNT_CODES } from '@/lib/console/finding-catalog';
import type { MatrixView } from '@/lib/console/row-filters';
import type { ViewKey } from '@/lib/console/matrix-url';
import { LiveMatrix } from './live-matrix';
import { MatrixFilters } from './matrix-filters';

type ViewParams = Partial<Record<ViewKey, string>>;

// Async server components the matrix page streams under <Suspense>: each awaits its own data.

export async function MatrixFiltersSection({ view, scope }: { view: ViewParams; scope: Scope }) {
  const options = await getFilterOptions(scope);
  return <MatrixFilters view={view} clusters={options.clusters} namespaces={options.namespaces} codes={SERVICE_ACCOUNT_CODES} />;
}

export async function MatrixTableSection({ view, params, scope }: { view: MatrixView; params: ViewParams; scope: Scope }) {
  const page = await getMatrixPage(view, scope);
  return <LiveMatrix initial={page} view={params} />;
}
