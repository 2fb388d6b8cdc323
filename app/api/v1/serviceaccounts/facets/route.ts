import { apiRoute } from '@/lib/console/api-route';
import { getMatrixFacets } from '@/lib/console/matrix-page';
import { parseMatrixView } from '@/lib/console/row-filters';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/serviceaccounts/facets: the matrix's filter pickers' choices under the same filters as
 * GET /api/v1/serviceaccounts, each narrowed by the others and with the row count choosing it would give:
 * `{clusters: [{value, count}], namespaces: [{value, count}], codes: [{value, count, name}]}`. The matrix re-reads
 * them when its search box changes the filters without a server render.
 */
export const GET = apiRoute({ query: parseMatrixView }, async ({ query: view, scope }) => getMatrixFacets(view, scope));
