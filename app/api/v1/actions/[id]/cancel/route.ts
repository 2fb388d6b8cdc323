import { cancelAction } from '@/lib/actions/run-action';
import { apiRoute } from '@/lib/console/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/v1/actions/{id}/cancel: stops a running roll (202), 409 when it cannot be cancelled. */
export const POST = apiRoute<{ id: string }>({ csrf: true }, async ({ principal, params }) => cancelAction(principal, params.id));
