import { z } from 'zod';
import { commaList, commaListOf } from './url-lists';
import { MAX_PAGE_SIZE, MECHANISMS, MIGRATION_STATES, SEVERITY_FILTERS, SNAPSHOT_FILTERS, SORT_KEYS, VIEW_KEYS } from './matrix-url';

export { viewSearch } from './matrix-url';

// The matrix's filters, sorting and paging, parsed from URL search params. The same parser serves the page
// and GET /api/v1/serviceaccounts, so an on-call link and an API call with the same query see the same rows.

export const serviceAccountFiltersSchema = z.object({
  cluster: commaList,
  namespace: commaList,
  mechanism: commaListOf(MECHANISMS, 'mechanism'),
  migration: commaListOf(MIGRATION_STATES, 'migration state'),
  snapshot: commaListOf(SNAPSHOT_FILTERS, 'snapshot state'),
  severity: commaListOf(SEVERITY_FILTERS, 'severity'),
  code: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const codes = value
        .split(',')
        .map((part) => part.trim().toUpperCase())
        .filter(Boolean);
      const bad = codes.filter((code) => !/^[A-Z]{2}\d{3}$/.test(code));
      if (bad.length)
        ctx.addIssue({ code: 'custom', message: `"${bad.join(', ')}" is not a finding code (two letters and three digits, e.g. PI005)` });
      return codes;
    })
    .optional(),
  q: z.string().trim().max(200, 'at most 200 characters').optional(),
});

export type ServiceAccountFilters = z.output<typeof serviceAccountFiltersSchema>;

const sortSchema = z
  .string()
  .trim()
  .regex(
    new RegExp(`^-?(${SORT_KEYS.join('|')})$`),
    `expected one of ${SORT_KEYS.join(', ')}, optionally prefixed with "-" for descending`,
  );

export const matrixViewSchema = serviceAccountFiltersSchema.extend({
  sort: sortSchema.optional(),
  page: z.coerce.number({ error: 'expected a page number' }).int('expected a whole page number').min(1, 'pages start at 1').optional(),
  pageSize: z.coerce.number({ error: 'expected a number' }).int().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE}`).optional(),
});

export type MatrixView = z.output<typeof matrixViewSchema>;

/** Reads the known keys of URL search params (Next's searchParams object or a URLSearchParams); empty values count as absent. */
export function viewInputFrom(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of VIEW_KEYS) {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined && single !== null && single.trim() !== '') input[key] = single;
  }
  return input;
}

export function parseMatrixView(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  return matrixViewSchema.safeParse(viewInputFrom(params));
}

/**
 * Values a link names that cannot match anything: clusters the caller cannot see (or that do not exist; the two
 * read alike) and codes a service-account row never carries. The page names them instead of showing an empty table.
 */
export function unknownFilterValues(
  filters: ServiceAccountFilters,
  known: { clusters: readonly string[]; codes: readonly string[] },
): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const clusters = (filters.cluster ?? []).filter((cluster) => !known.clusters.includes(cluster));
  if (clusters.length)
    issues.push({
      path: ['cluster'],
      message: `no cluster you can see is named ${clusters.map((cluster) => `"${cluster}"`).join(', ')}`,
    });
  const codes = (filters.code ?? []).filter((code) => !known.codes.includes(code));
  if (codes.length)
    issues.push({
      path: ['code'],
      message: `${codes.join(', ')} ${codes.length === 1 ? 'is not a code' : 'are not codes'} a service account can have`,
    });
  return issues;
}
