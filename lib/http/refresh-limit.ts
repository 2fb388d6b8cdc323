import type { Principal } from '@/lib/auth/principal';

// `?refresh=1` makes the console re-read every source of the fleet: costly for AWS and the API servers, so each
// principal may force it only so often (issue 10). A token bucket per principal: a few refreshes in a row, then
// one per REFILL_MS; past that the answer is 429 with Retry-After, and the cached data is still a click away.

export const REFRESH_BURST = 5;
export const REFRESH_REFILL_MS = 12_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const shared = globalThis as typeof globalThis & { __wicRefreshBuckets?: Map<string, Bucket> };
const buckets = (shared.__wicRefreshBuckets ??= new Map<string, Bucket>());

function keyOf(principal: Principal): string {
  return `${principal.via}:${principal.subject}`;
}

/** Takes one forced refresh for the principal: undefined when allowed, else the seconds to wait. */
export function takeRefresh(principal: Principal, now = Date.now()): number | undefined {
  const key = keyOf(principal);
  const bucket = buckets.get(key) ?? { tokens: REFRESH_BURST, updatedAt: now };
  const refilled = Math.min(REFRESH_BURST, bucket.tokens + (now - bucket.updatedAt) / REFRESH_REFILL_MS);
  if (refilled < 1) {
    buckets.set(key, { tokens: refilled, updatedAt: now });
    return Math.max(1, Math.ceil(((1 - refilled) * REFRESH_REFILL_MS) / 1000));
  }
  buckets.set(key, { tokens: refilled - 1, updatedAt: now });
  if (buckets.size > 10_000) {
    // Old principals' full buckets carry no information: drop them.
    for (const [other, state] of buckets) if (now - state.updatedAt > REFRESH_BURST * REFRESH_REFILL_MS) buckets.delete(other);
  }
  return undefined;
}

export function refreshLimited(retryAfterSeconds: number): Response {
  return Response.json(
    {
      error: {
        code: 'rate-limited',
        message: `Refresh re-reads every cluster and AWS account, so it is limited to ${REFRESH_BURST} in a row and then one every ${REFRESH_REFILL_MS / 1000} s; try again in ${retryAfterSeconds} s. The data shown is at most the cache's age.`,
        details: { retryAfterSeconds },
      },
    },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' } },
  );
}
