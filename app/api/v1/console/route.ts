import { apiRoute } from '@/lib/console/api-route';
import { getConsoleIdentity } from '@/lib/console/console-identity';

export const dynamic = 'force-dynamic';

/** GET /api/v1/console: the console's own AWS and Kubernetes identity and rules (api.md "Operating the console"). */
export const GET = apiRoute({}, async ({ scope }) => getConsoleIdentity(scope));
