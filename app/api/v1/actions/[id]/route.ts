import { getAction } from '@/lib/actions/run-action';
import { apiRoute } from '@/lib/console/api-route';

export const dynamic = 'force-dynamic';

/** GET /api/v1/actions/{id}: status, progress, result or error of an applied action. */
export const GET = apiRoute<{ id: string }>({}, async ({ principal, params }) => getAction(principal, params.id));
