'use client';

import { useSearchParams } from 'next/navigation';
import { viewParamsOf, viewSearch } from '@/lib/console/matrix-url';

/** The matrix's rows as CSV, with the filters and sort the URL holds now (the search box changes it without a reload). */
export function ExportCsvLink() {
  const view = viewParamsOf(useSearchParams());
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
