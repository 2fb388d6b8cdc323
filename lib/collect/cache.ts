import { ConcurrencyPool } from './pool';

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
  now?: () => number;
}

export interface CacheStats {
  /** Loads actually started (each is one call to the source). */
  calls: number;
  /** Callers served a stored result. */
  hits: number;
  /** Callers that joined a load already under way. */
  joins: number;
  /** Loads started, per operation. */
  callsByOperation: Record<string, number>;
  /** The most pooled control-plane calls that ran at once. */
  peakConcurrency: number;
  /** The most pooled S3 calls that ran at once. */
  peakS3Concurrency: number;
}

interface Entry {
  operation: string;
  params: CacheParams;
  promise: Promise<unknown>;
  settled: boolean;
  expiresAt: number;
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
  private readonly now: () => number;
  private ttlMs: number;
  private errorTtlMs: number;
  private counters = { calls: 0, hits: 0, joins: 0 };
  private callsByOperation: Record<string, number> = {};

  constructor(options: CacheOptions) {
    this.ttlMs = options.ttlMs;
    this.errorTtlMs = options.errorTtlMs;
    this.pool = new ConcurrencyPool(options.concurrency);
    this.s3Pool = new ConcurrencyPool(options.s3Concurrency ?? options.concurrency);
    this.now = options.now ?? Date.now;
  }

  configure(options: Partial<Omit<CacheOptions, 'now'>>): void {
    if (options.ttlMs !== undefined) this.ttlMs = options.ttlMs;
    if (options.errorTtlMs !== undefined) this.errorTtlMs = options.errorTtlMs;
    if (options.concurrency !== undefined) this.pool.setLimit(options.concurrency);
    if (options.s3Concurrency !== undefined) this.s3Pool.setLimit(options.s3Concurrency);
  }

  /**
   * The cached result of `operation(params)`, loading it with `load` when absent or expired. `pooled` runs
   * the load inside the shared concurrency bound; composite reads (every page of a listing) must not be
   * pooled themselves, only their single calls, or they would hold a slot while waiting for one.
   */
  get<T>(operation: string, params: CacheParams, load: () => Promise<T>, options: { pooled?: boolean; ttlMs?: number } = {}): Promise<T> {
    const key = cacheKey(operation, params);
    const existing = this.entries.get(key);
    if (existing) {
      if (!existing.settled) {
        this.counters.joins++;
        return existing.promise as Promise<T>;
      }
      if (existing.expiresAt > this.now()) {
        this.counters.hits++;
        return existing.promise as Promise<T>;
      }
      this.entries.delete(key);
    }

    this.counters.calls++;
    this.callsByOperation[operation] = (this.callsByOperation[operation] ?? 0) + 1;
    const started = options.pooled ? this.poolFor(operation).run(load) : Promise.resolve().then(load);
    const entry: Entry = { operation, params, promise: started, settled: false, expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    const ttlMs = options.ttlMs ?? this.ttlMs;
    started.then(
      () => {
        entry.settled = true;
        entry.expiresAt = this.now() + ttlMs;
      },
      () => {
        entry.settled = true;
        entry.expiresAt = this.now() + Math.min(this.errorTtlMs, ttlMs);
        if (this.errorTtlMs <= 0 && this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return started;
  }

  /**
   * One call that is not cached on its own (a page of a listing whose whole is cached, or a write), counted
   * in the stats and run inside the shared concurrency bound.
   */
  call<T>(operation: string, task: () => Promise<T>): Promise<T> {
    this.counters.calls++;
    this.callsByOperation[operation] = (this.callsByOperation[operation] ?? 0) + 1;
    return this.poolFor(operation).run(task);
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
      this.entries.delete(key);
      dropped++;
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): CacheStats {
    return { ...this.counters, callsByOperation: { ...this.callsByOperation }, peakConcurrency: this.pool.peakRunning, peakS3Concurrency: this.s3Pool.peakRunning };
  }

  resetStats(): void {
    this.counters = { calls: 0, hits: 0, joins: 0 };
    this.callsByOperation = {};
    this.pool.resetPeak();
    this.s3Pool.resetPeak();
  }
}

export const DEFAULT_CACHE_OPTIONS: CacheOptions = { ttlMs: 30_000, errorTtlMs: 2_000, concurrency: 16, s3Concurrency: 32 };

// One cache per process, shared by every page and API route. Kept on globalThis so Next's dev server,
// which re-evaluates modules on change, does not start a second one.
const globalCache = globalThis as typeof globalThis & { __workloadIdentityCollectCache?: CollectCache };

export function collectCache(): CollectCache {
  globalCache.__workloadIdentityCollectCache ??= new CollectCache(DEFAULT_CACHE_OPTIONS);
  return globalCache.__workloadIdentityCollectCache;
}
