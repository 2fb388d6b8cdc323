import { backgroundLockHeldSince } from '@/lib/store/job-supervisor';

export const dynamic = 'force-dynamic';

/**
 * Liveness: the process answers. `backgroundWork` says whether this replica holds the store's background lock
 * (it alone refreshes the fleet when nobody asks, and takes over the jobs of stopped replicas), and since when.
 */
export function GET() {
  const since = backgroundLockHeldSince();
  return Response.json({ status: 'ok', backgroundWork: since ? { held: true, since: since.toISOString() } : { held: false } });
}
