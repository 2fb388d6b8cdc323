import type { SimClock } from './clock';

// What the simulated AWS endpoint was asked, and the accounts' API rate limits. AWS meters each API per
// account (EKS and IAM answer past it with their own throttling errors), so a bucket belongs to one account and
// one operation, or to all of a service's operations when the limit names "*". Buckets refill on the sim clock.
// The calls are counted here so that a benchmark can compare what a client really sent with its ideal.

export type RateLimitedService = 'eks' | 'iam' | 'sts' | 's3';

export interface RateLimitSpec {
  /** The account whose calls are limited; without it, every account gets its own bucket at this rate. */
  account?: string;
  service: RateLimitedService;
  /** An operation name, or "*" for one bucket shared by all of the service's operations. */
  operation: string;
  perSecond: number;
  /** Bucket size: calls allowed at once after a quiet period (default: perSecond, at least 1). */
  burst?: number;
}

export interface CallCount {
  account: string;
  service: string;
  operation: string;
  calls: number;
  throttled: number;
}

export interface KubeCallCount {
  cluster: string;
  operation: string;
  calls: number;
}

export interface AwsTraffic {
  /** Counts one call and takes a token from every bucket that covers it; true when one of them was empty. */
  admit(account: string, service: string, operation: string): boolean;
  countKube(cluster: string, operation: string): void;
  calls(): { aws: CallCount[]; kube: KubeCallCount[] };
  reset(): void;
  rateLimits(): RateLimitSpec[];
}

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

export function createAwsTraffic(clock: SimClock, limits: RateLimitSpec[]): AwsTraffic {
  const buckets = new Map<string, Bucket>();
  let counts = new Map<string, CallCount>();
  let kubeCounts = new Map<string, KubeCallCount>();

  function take(key: string, limit: RateLimitSpec): boolean {
    const capacity = Math.max(1, limit.burst ?? limit.perSecond);
    const nowMs = clock.now().getTime();
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { tokens: capacity, refilledAtMs: nowMs }));
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.refilledAtMs) / 1000) * limit.perSecond);
    bucket.refilledAtMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  return {
    admit(account, service, operation) {
      const countKey = `${account} ${service} ${operation}`;
      let count = counts.get(countKey);
      if (!count) counts.set(countKey, (count = { account, service, operation, calls: 0, throttled: 0 }));
      count.calls += 1;
      let throttled = false;
      limits.forEach((limit, index) => {
        if (limit.service !== service || (limit.account !== undefined && limit.account !== account)) return;
        if (limit.operation !== '*' && limit.operation !== operation) return;
        if (!take(`${index} ${account}`, limit)) throttled = true;
      });
      if (throttled) count.throttled += 1;
      return throttled;
    },
    countKube(cluster, operation) {
      const key = `${cluster} ${operation}`;
      let count = kubeCounts.get(key);
      if (!count) kubeCounts.set(key, (count = { cluster, operation, calls: 0 }));
      count.calls += 1;
    },
    calls: () => ({ aws: [...counts.values()].map((c) => ({ ...c })), kube: [...kubeCounts.values()].map((c) => ({ ...c })) }),
    reset() {
      counts = new Map();
      kubeCounts = new Map();
    },
    rateLimits: () => limits.map((limit) => ({ ...limit })),
  };
}
