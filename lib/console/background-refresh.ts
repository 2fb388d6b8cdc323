import 'server-only';
import { loadConsoleConfig } from '@/lib/config/console-config';
import { holdsBackgroundLock } from '@/lib/store/job-supervisor';
import { keepFleetViewFresh } from './queries';

// Background refreshes (issue 16, README "Choosing a store"): the fleet is collected again every
// `aws.cacheTtlSeconds` even when nobody asks — association listings on their cadence, the rolling re-describes
// and IAM re-reads, the fleet gauges Prometheus scrapes — but only on the replica holding the store's
// `background` lock (lib/store/job-supervisor.ts; with SQLite, the one replica). The other replicas make no AWS
// call of their own accord: they answer from their own cache and collect only on demand, when a request or an
// open page needs a view older than the cache TTL. When the holder dies or drains, the lock passes to another
// replica, whose next tick here starts refreshing.

/** How often the loop looks; a view younger than the TTL is left alone (keepFleetViewFresh). */
export function backgroundTickMs(cacheTtlSeconds: number): number {
  if (cacheTtlSeconds <= 0) return 5_000;
  return Math.min(Math.max((cacheTtlSeconds * 1000) / 4, 250), 5_000);
}

const shared = globalThis as typeof globalThis & { __workloadIdentityBackgroundRefresh?: { timer?: NodeJS.Timeout } };
const loop = (shared.__workloadIdentityBackgroundRefresh ??= {});

function tick(): void {
  if (holdsBackgroundLock()) keepFleetViewFresh();
}

/** Starts the loop once per process (the server's instrumentation does). */
export function startBackgroundRefresh(): void {
  if (loop.timer) return;
  loop.timer = setInterval(tick, backgroundTickMs(loadConsoleConfig().aws.cacheTtlSeconds));
  loop.timer.unref();
}
