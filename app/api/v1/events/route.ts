import { apiRoute } from '@/lib/console/api-route';
import { fleetEventStream } from '@/lib/console/fleet-events';
import { requireApiPrincipal } from '@/lib/auth/get-principal';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/events: Server-Sent Events for open pages (api.md "Live changes"): `rows` and `clusters` as the fleet
 * changes, within the caller's scope only; a comment every 15 s; the stream ends when the session does.
 */
export const GET = apiRoute({}, async ({ request, scope }) => {
  const body = fleetEventStream({
    scope,
    signal: request.signal,
    stillAllowed: async () => !((await requireApiPrincipal(request)) instanceof Response),
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: compression would hold events back until a buffer fills.
      'cache-control': 'no-store, no-transform',
      // nginx and similar proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    },
  });
});
