import { isThrottlingError } from '@/lib/aws/errors';
import { withCallSignal } from '@/lib/limits/call-signal';
import { ConcurrencyPool } from './pool';
import { AimdLimiter } from './aimd';

// The collector's cache (design.md "The cache"): every read is keyed by its operation and parameters, kept
// for a TTL, and single-flight — callers that ask while the same read is under way share its promise, so two
// pages loading at once make each AWS call once. Our own writes invalidate what they change by parameter
// (`{cluster}`, `{roleArn}`) or by key prefix, so the page after an action shows the new state.

export type CacheParams = Readonly<Record<string, string | number | boolean | undefined>>;

export interface CacheOptions {
  /** How long a successful result is served, in ms. */
  ttlMs: number;
  /** How long a failure is served to later callers, in ms: short, so a refresh retries soon. */
  errorTtlMs: number;
  /** The shared bound on concurrent calls made with `{ pooled: true }` (AWS calls). */
  concurrency: number;
  /** The bound for S3 operations ("s3:…"), kept apart from the control-plane calls; defaults to `concurrency`. */
  s3Concurrency?: number;
  /**
   * How long one pooled call (with the SDK's own retries) may take before the page stops waiting for it: it
   * then fails with TimeoutError and its operation backs off like a throttled one. Default 15 s.
   */
  callDeadlineMs?: number;
  /** Calls at once per account (its credentials) and service, to start with and at most; AIMD moves between 1 and this. */
  accountConcurrency?: number;
  /** A throttled call is retried this many times (after a jittered, doubling wait) before it is reported. */
  throttleRetries?: number;
  /** The first wait before retrying a throttled call; doubles per retry, each drawn uniformly below it. */
  throttleBackoffMs?: number;
  /** How long an association's Describe is kept: a rolling re-describe, each entry expiring at ±50 % of it. */
  redescribeMs?: number;
  /** How long an IAM read (role, policies) is kept, rolling like the describes; our own writes drop it at once. */
  iamRereadMs?: number;
  /** How long a cluster-level EKS read (the cluster, its add-ons and access entries) is kept, rolling likewise. */
  clusterRereadMs?: number;
  /** How long a listing (associations, roles, OIDC providers, clusters) is kept: how soon a change made elsewhere shows. */
  listMs?: number;
  /**
   * The most calls a minute, on average, the re-describes and IAM re-reads may make together: when the stored
   * reads outnumber what their periods allow at this rate, the periods stretch to fit. 0: no budget.
   */
  rereadCallsPerMinute?: number;
  now?: () => number;
  random?: () => number;
}

export interface CacheStats {
  /** Loads actually started (each is one call to the source). */
  calls: number;
  /** Callers served a stored result. */
  hits: number;
  /** Calls not made because their operation was just throttled past the retries (backing off). */
  skipped: number;
  /** Callers that joined a load already under way. */
  joins: number;
  /** Loads started, per operation. */
  callsByOperation: Record<string, number>;
  /** The most pooled control-plane calls that ran at once. */
  peakConcurrency: number;
  /** The most pooled S3 calls that ran at once. */
  peakS3Concurrency: number;
  /** Calls the service throttled (each was retried, or reported once past the retries). */
  throttled: number;
  /** The adaptive concurrency now, per service and credentials ("eks|…"). */
  accountLimits: Record<string, number>;
  /** The narrowest each of those windows has been since the cache started. */
  accountLimitLows: Record<string, number>;
}

/**
 * Reads kept on a rolling schedule: each entry expires on its own (its period × a factor drawn in 0.5–1.5), so
 * thousands of re-reads spread over the period instead of all expiring at once. `describe` and `iam` share the
 * re-read budget; `cluster` (a handful per cluster) does not.
 */
export type RollingKind = 'describe' | 'iam' | 'cluster';

interface Entry {
  operation: string;
  params: CacheParams;
  promise: Promise<unknown>;
  settled: boolean;
  expiresAt: number;
  /** When a successful load settled (ms): how old the result served is. */
  loadedAt?: number;
  /** The result of a successful load, for peek(). */
  value?: unknown;
  /** A rolling read: expires `jitter` × its kind's period after it loaded, the period being judged when asked. */
  rolling?: RollingKind;
  jitter?: number;
  /** Counted in `budgetedEntries` (a settled describe or IAM read still stored). */
  budgeted?: boolean;
}

/** Stable key: the operation, then the parameters sorted by name (undefined ones dropped). */
export function cacheKey(operation: string, params: CacheParams = {}): string {
  const parts = Object.keys(params)
    .filter((name) => params[name] !== undefined)
    .sort()
    .map((name) => `${name}=${JSON.stringify(params[name])}`);
  return parts.length > 0 ? `${operation}?${parts.join('&')}` : operation;
}

export class CollectCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pool: ConcurrencyPool;
  private readonly s3Pool: ConcurrencyPool;
  private readonly throttledUntil = new Map<string, number>();
  private callDeadlineMs: number;
  private readonly now: () => number;
  private ttlMs: number;
  private errorTtlMs: number;
  private counters = { calls: 0, hits: 0, joins: 0, skipped: 0, throttled: 0 };
  private callsByOperation: Record<string, number> = {};
  private readonly limiters = new Map<string, AimdLimiter>();
  private accountConcurrency: number;
  private throttleRetries: number;
  private throttleBackoffMs: number;
  private redescribeMs: number;
  private iamRereadMs: number;
  private clusterRereadMs: number;
  private listMs: number;
  private rereadCallsPerMinute: number;
  /** Stored describe and IAM reads: what one pass of re-reads costs, in calls. */
  private budgetedEntries = 0;
  private readonly random: () => number;

  constructor(options: CacheOptions) {
    this.ttlMs = options.ttlMs;
    this.errorTtlMs = options.errorTtlMs;
    this.pool = new ConcurrencyPool(options.concurrency);
    this.s3Pool = new ConcurrencyPool(options.s3Concurrency ?? options.concurrency);
    this.callDeadlineMs = options.callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
    this.accountConcurrency = options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
    this.throttleRetries = options.throttleRetries ?? DEFAULT_THROTTLE_RETRIES;
    this.throttleBackoffMs = options.throttleBackoffMs ?? DEFAULT_THROTTLE_BACKOFF_MS;
    this.redescribeMs = options.redescribeMs ?? options.ttlMs;
    this.iamRereadMs = options.iamRereadMs ?? options.ttlMs;
    this.clusterRereadMs = options.clusterRereadMs ?? options.ttlMs;
    this.listMs = options.listMs ?? options.ttlMs;
    this.rereadCallsPerMinute = options.rereadCallsPerMinute ?? 0;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  configure(options: Partial<Omit<CacheOptions, 'now' | 'random'>>): void {
    if (options.accountConcurrency !== undefined && options.accountConcurrency !== this.accountConcurrency) {
      this.accountConcurrency = options.accountConcurrency;
      this.limiters.clear();
    }
    if (options.throttleRetries !== undefined) this.throttleRetries = options.throttleRetries;
    if (options.throttleBackoffMs !== undefined) this.throttleBackoffMs = options.throttleBackoffMs;
    if (options.redescribeMs !== undefined) this.redescribeMs = options.redescribeMs;
    if (options.iamRereadMs !== undefined) this.iamRereadMs = options.iamRereadMs;
    if (options.clusterRereadMs !== undefined) this.clusterRereadMs = options.clusterRereadMs;
    if (options.listMs !== undefined) this.listMs = options.listMs;
    if (options.rereadCallsPerMinute !== undefined) this.rereadCallsPerMinute = options.rereadCallsPerMinute;
    if (options.ttlMs !== undefined) this.ttlMs = options.ttlMs;
    if (options.errorTtlMs !== undefined) this.errorTtlMs = options.errorTtlMs;
    if (options.concurrency !== undefined) this.pool.setLimit(options.concurrency);
    if (options.s3Concurrency !== undefined) this.s3Pool.setLimit(options.s3Concurrency);
    if (options.callDeadlineMs !== undefined) this.callDeadlineMs = options.callDeadlineMs;
  }

  /**
   * The cached result of `operation(params)`, loading it with `load` when absent or expired. `pooled` runs
   * the load inside the shared concurrency bound; composite reads (every page of a listing) must not be
   * pooled themselves, only their single calls, or they would hold a slot while waiting for one.
   */
  get<T>(
    operation: string,
    params: CacheParams,
    load: () => Promise<T>,
    options: { pooled?: boolean; ttlMs?: number; rolling?: RollingKind; list?: boolean } = {},
  ): Promise<T> {
    const key = cacheKey(operation, params);
    const existing = this.entries.get(key);
    if (existing) {
      if (!existing.settled) {
        this.counters.joins++;
        return existing.promise as Promise<T>;
      }
      if (this.isFresh(existing)) {
        this.counters.hits++;
        return existing.promise as Promise<T>;
      }
      this.remove(key, existing);
    }

    this.counters.calls++;
    this.callsByOperation[operation] = (this.callsByOperation[operation] ?? 0) + 1;
    const started = options.pooled ? this.guarded(operation, params, load)() : Promise.resolve().then(load);
    const entry: Entry = { operation, params, promise: started, settled: false, expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    const ttlMs = options.ttlMs ?? (options.list ? this.listMs : this.ttlMs);
    started.then(
      (value) => {
        entry.settled = true;
        entry.loadedAt = this.now();
        entry.value = value;
        entry.expiresAt = entry.loadedAt + ttlMs;
        if (options.rolling) {
          entry.rolling = options.rolling;
          entry.jitter = 0.5 + this.random();
          if (options.rolling !== 'cluster' && this.entries.get(key) === entry) {
            entry.budgeted = true;
            this.budgetedEntries++;
          }
        }
      },
      () => {
        entry.settled = true;
        entry.expiresAt = this.now() + Math.min(this.errorTtlMs, ttlMs);
        if (this.errorTtlMs <= 0 && this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return started;
  }

  /** Whether a settled entry may still be served: a rolling one against its kind's period as it stands now. */
  private isFresh(entry: Entry): boolean {
    const now = this.now();
    if (entry.rolling && entry.loadedAt !== undefined)
      return now - entry.loadedAt < this.rollingPeriodMs(entry.rolling) * (entry.jitter ?? 1);
    return entry.expiresAt > now;
  }

  private remove(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    if (entry.budgeted) this.budgetedEntries--;
  }

  /**
   * A rolling kind's period now: its configured one, stretched when the stored describe and IAM reads are more
   * than the re-read budget covers in that time (each is one call to re-read), so at 10,000 associations and
   * roles the re-reads cost `rereadCallsPerMinute` on average instead of thousands of calls a minute.
   */
  rollingPeriodMs(kind: RollingKind): number {
    const configured = kind === 'describe' ? this.redescribeMs : kind === 'iam' ? this.iamRereadMs : this.clusterRereadMs;
    if (kind === 'cluster' || this.rereadCallsPerMinute <= 0) return configured;
    return Math.max(configured, (this.budgetedEntries * 60_000) / this.rereadCallsPerMinute);
  }

  /** The stored result of a successful read and when it loaded, without loading or counting anything. */
  peek<T>(operation: string, params: CacheParams): { value: T; loadedAt: number } | undefined {
    const entry = this.entries.get(cacheKey(operation, params));
    if (!entry?.settled || entry.loadedAt === undefined) return undefined;
    return { value: entry.value as T, loadedAt: entry.loadedAt };
  }

  /** Drops one stored read (a listing showed it changed), so the next ask loads it again. */
  forget(operation: string, params: CacheParams): void {
    const key = cacheKey(operation, params);
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  /**
   * One call that is not cached on its own (a page of a listing whose whole is cached, or a write), counted
   * in the stats and run inside the shared concurrency bound.
   */
  call<T>(operation: string, task: () => Promise<T>): Promise<T> {
    this.counters.calls++;
    this.callsByOperation[operation] = (this.callsByOperation[operation] ?? 0) + 1;
    return this.guarded(operation, {}, task)();
  }

  /** One AIMD window per service and credentials (the account the service limits), e.g. "eks|us-east-1|role/…". */
  private limiterFor(operation: string, params: CacheParams): AimdLimiter {
    const service = operation.slice(0, operation.indexOf(':'));
    const key = [service, params.account ?? '', params.region ?? '', params.assumeRoleArn ?? '', params.profile ?? ''].join('|');
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new AimdLimiter({ initial: this.accountConcurrency, max: this.accountConcurrency, now: this.now });
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /**
   * Backs off an operation that was just throttled past the SDK's retries: for THROTTLE_BACKOFF_MS, further
   * calls of it with the same credentials fail at once with the same code instead of each waiting out its own
   * retries. A throttled service stays throttled for a while; hammering it only makes the page slower.
   */
  private guarded<T>(operation: string, params: CacheParams, load: () => Promise<T>): () => Promise<T> {
    const breakerKey = [operation, params.region ?? '', params.assumeRoleArn ?? '', params.profile ?? ''].join('|');
    const limiter = this.limiterFor(operation, params);
    return async () => {
      const until = this.throttledUntil.get(breakerKey);
      if (until !== undefined && until > this.now()) {
        this.counters.skipped++;
        // Not an AWS call after all: it does not count as one.
        this.counters.calls--;
        this.callsByOperation[operation] -= 1;
        throw Object.assign(
          new Error(
            `not called: ${operation.replace(/^[a-z0-9]+:/, '')} was throttled past the SDK's retries (or found no answer in time) moments ago, so the console backs off for ${THROTTLE_BACKOFF_MS / 1000} s`,
          ),
          { name: 'ThrottlingException' },
        );
      }
      // Throttled: the account's window narrows and the call waits its turn again, instead of failing the page.
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await limiter.run(() => this.poolFor(operation).run(() => this.withDeadline(load)), { paced: attempt === 0 });
          limiter.succeeded();
          return result;
        } catch (error) {
          const throttled = isThrottlingError(error);
          if (throttled) {
            this.counters.throttled++;
            limiter.throttled();
          }
          // Once another call of this operation gave up (the breaker is open), retrying would only wait longer.
          if (throttled && attempt < this.throttleRetries && !((this.throttledUntil.get(breakerKey) ?? 0) > this.now())) {
            const ceiling = this.throttleBackoffMs * 2 ** attempt;
            await new Promise((resolve) => setTimeout(resolve, Math.floor(this.random() * ceiling)));
            continue;
          }
          if (throttled || (error as { name?: string }).name === 'DeadlineExceeded')
            this.throttledUntil.set(breakerKey, this.now() + THROTTLE_BACKOFF_MS);
          throw error;
        }
      }
    };
  }

  /** One call with its deadline: past it the call is aborted (the signal reaches the SDK's HTTP handler). */
  private async withDeadline<T>(load: () => Promise<T>): Promise<T> {
    {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // A call the SDK keeps retrying may outlast its deadline; past the deadline the call is aborted: the
      // signal reaches the SDK's HTTP handler (lib/limits/call-signal), which closes the socket.
      const controller = new AbortController();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = Object.assign(
            new Error(
              `no answer within ${this.callDeadlineMs / 1000} s (throttled or unreachable); the call was aborted and the console backs off for ${THROTTLE_BACKOFF_MS / 1000} s`,
            ),
            { name: 'DeadlineExceeded' },
          );
          controller.abort(error);
          reject(error);
        }, this.callDeadlineMs);
      });
      try {
        return await Promise.race([withCallSignal(controller.signal, load), deadline]);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private poolFor(operation: string): ConcurrencyPool {
    return operation.startsWith('s3:') ? this.s3Pool : this.pool;
  }

  /**
   * Drops every entry whose parameters include all of `match` (e.g. `{cluster: 'prod'}`, `{roleArn}`), and
   * with `prefix`, every entry whose key starts with it. A load under way when it is invalidated still
   * answers its own callers but is not kept for later ones.
   */
  invalidate(match: CacheParams & { prefix?: string }): number {
    const { prefix, ...params } = match as CacheParams & { prefix?: string };
    const names = Object.keys(params).filter((name) => params[name] !== undefined);
    if (names.length === 0 && prefix === undefined) return 0;
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (prefix !== undefined && !key.startsWith(prefix)) continue;
      if (!names.every((name) => entry.params[name] === params[name])) continue;
      this.remove(key, entry);
      dropped++;
    }
    return dropped;
  }

  /**
   * When the oldest stored result of `operation` whose parameters pass `match` was loaded (ms), or undefined when
   * none is stored: how old what a page shows from those reads is.
   */
  oldestLoad(operation: string, match: (params: CacheParams) => boolean): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.entries.values()) {
      if (entry.operation !== operation || entry.loadedAt === undefined || !match(entry.params)) continue;
      if (oldest === undefined || entry.loadedAt < oldest) oldest = entry.loadedAt;
    }
    return oldest;
  }

  /** Forgets every read and every back-off: the next reads go to the sources (the Refresh button). */
  clear(): void {
    this.entries.clear();
    this.budgetedEntries = 0;
    this.throttledUntil.clear();
  }

  stats(): CacheStats {
    return {
      ...this.counters,
      callsByOperation: { ...this.callsByOperation },
      peakConcurrency: this.pool.peakRunning,
      peakS3Concurrency: this.s3Pool.peakRunning,
      accountLimits: Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.limit])),
      accountLimitLows: Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.lowestLimit])),
    };
  }

  resetStats(): void {
    this.counters = { calls: 0, hits: 0, joins: 0, skipped: 0, throttled: 0 };
    this.callsByOperation = {};
    this.pool.resetPeak();
    this.s3Pool.resetPeak();
  }
}

/** How long an operation throttled past the retries is not called again (same credentials). */
export const THROTTLE_BACKOFF_MS = 15_000;

export const DEFAULT_CALL_DEADLINE_MS = 15_000;

const DEFAULT_ACCOUNT_CONCURRENCY = 10;
const DEFAULT_THROTTLE_RETRIES = 4;
const DEFAULT_THROTTLE_BACKOFF_MS = 250;

export const DEFAULT_CACHE_OPTIONS: CacheOptions = { ttlMs: 30_000, errorTtlMs: 2_000, concurrency: 16, s3Concurrency: 32 };

// One cache per process, shared by every page and API route. Kept on globalThis so Next's dev server,
// which re-evaluates modules on change, does not start a second one.
const globalCache = globalThis as typeof globalThis & { __workloadIdentityCollectCache?: CollectCache };

export function collectCache(): CollectCache {
  globalCache.__workloadIdentityCollectCache ??= new CollectCache(DEFAULT_CACHE_OPTIONS);
  return globalCache.__workloadIdentityCollectCache;
}
