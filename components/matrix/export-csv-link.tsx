'use client';

import { viewSearch, type ViewParams } from '@/lib/console/matrix-url';
import { useMatrixView } from './use-matrix-view';

/** The matrix's rows as CSV, with the filters and sort the URL holds now (the search box changes it without a reload). */
export function ExportCsvLink({ view: rendered }: { view: ViewParams }) {
  const view = useMatrixView(rendered);
  const search = new URLSearchParams(viewSearch({ ...view, page: undefined, pageSize: undefined }).slice(1));
  search.set('format', 'csv');
  return (
    <a
      href={`/api/v1/serviceaccounts?${search}`}
      className="rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-700 shadow-xs hover:bg-neutral-50"
    >
      Export CSV
    </a>
  );
}
