// Adaptive concurrency for one account's one service (issue 17): additive increase, multiplicative decrease, as
// TCP's congestion control does (RFC 5681) and as the SDKs' own adaptive retry mode does for its send rate. EKS and
// IAM limit request rates per account (and region), not per client, so a fixed concurrency is either too timid
// for a quiet account or too much for a busy one: each success widens the window by 1/limit (about one more call
// per window's worth of successes), each throttle halves it (at most once per `decreaseIntervalMs`, so one burst of
// throttles from the same window counts once).
//
// A window alone cannot express a low rate: at 20 ms a call, one call at a time is 50 a second, five times EKS's
// DescribePodIdentityAssociation rate of 10 a second per account, so the calls were throttled, waited out their
// backoff and were throttled again (issue 17's bench described at 40 % of what the accounts allowed). So the limiter
// also paces starts: unpaced until the first throttle, then at a send rate that a throttle cuts to `rateDecrease` of
// the rate that succeeded over the last second (what the service let through), and that grows by `rateIncreasePerSecond` each second without
// one (the SDKs' adaptive mode does the same per client; this is per account and service, as the limits are).

export interface AimdOptions {
  initial: number;
  max: number;
  min?: number;
  /** Multiplier on a throttle (0.5: halve). */
  decrease?: number;
  decreaseIntervalMs?: number;
  /** Multiplier on the measured send rate at a throttle (default 0.7). */
  rateDecrease?: number;
  /** Calls per second added to the paced rate per second without a throttle (default 1). */
  rateIncreasePerSecond?: number;
  /** The paced rate never falls below this many calls a second (default 0.5). */
  minRate?: number;
  now?: () => number;
  /** Waits (a test's fake clock may answer at once). */
  sleep?: (ms: number) => Promise<void>;
}

/** Successes are kept this long to measure the rate the service lets through. */
const RATE_WINDOW_MS = 1_000;

export class AimdLimiter {
  private window: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private readonly min: number;
  private readonly decrease: number;
  private readonly decreaseIntervalMs: number;
  private readonly now: () => number;
  /** Throttles seen (each one a call that will be retried or reported). */
  throttles = 0;
  /** The narrowest the window has been: successes widen it again, so `limit` alone hides a past burst. */
  lowestLimit: number;
  /** Calls a second the starts are paced at; Infinity until the first throttle. */
  private paceRate = Number.POSITIVE_INFINITY;
  private paceGrownAt = 0;
  private nextStartAt = 0;
  private readonly successes: number[] = [];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AimdOptions) {
    this.min = options.min ?? 1;
    this.window = Math.max(this.min, Math.min(options.initial, options.max));
    this.decrease = options.decrease ?? 0.5;
    this.decreaseIntervalMs = options.decreaseIntervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.lowestLimit = this.limit;
  }

  /** The paced send rate in calls a second (Infinity: not paced). */
  get rate(): number {
    this.grow();
    return this.paceRate;
  }

  /** How many calls may run at once now. */
  get limit(): number {
    return Math.max(this.min, Math.floor(this.window));
  }

  /**
   * Runs `task` within the window, its start paced unless `paced` is false: a retry of a throttled call already
   * waits its own backoff, and pacing it too put it behind every first attempt, so a call failing past its retries
   * (a hard-throttled service) took many seconds longer to be reported.
   */
  async run<T>(task: () => Promise<T>, options: { paced?: boolean } = {}): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      if (options.paced !== false) await this.paced();
      return await task();
    } finally {
      this.active--;
      this.drain();
    }
  }

  succeeded(): void {
    const now = this.now();
    this.successes.push(now);
    while (this.successes.length > 0 && now - this.successes[0] >= RATE_WINDOW_MS) this.successes.shift();
    this.window = Math.min(this.options.max, this.window + 1 / this.limit);
    this.drain();
  }

  throttled(): void {
    this.throttles++;
    const now = this.now();
    if (now - this.lastDecrease < this.decreaseIntervalMs) return;
    this.lastDecrease = now;
    this.window = Math.max(this.min, this.window * this.decrease);
    this.lowestLimit = Math.min(this.lowestLimit, this.limit);
    this.grow();
    const measured = this.successes.filter((at) => now - at < RATE_WINDOW_MS).length / (RATE_WINDOW_MS / 1000);
    const base = Math.min(this.paceRate, Math.max(measured, 1));
    this.paceRate = Math.max(this.options.minRate ?? 0.5, base * (this.options.rateDecrease ?? 0.7));
    this.paceGrownAt = now;
  }

  /** Additive increase of the paced rate for the time since it last grew. */
  private grow(): void {
    if (!Number.isFinite(this.paceRate)) return;
    const now = this.now();
    const seconds = (now - this.paceGrownAt) / 1000;
    if (seconds <= 0) return;
    this.paceRate += seconds * (this.options.rateIncreasePerSecond ?? 1);
    this.paceGrownAt = now;
  }

  /** Waits for this call's turn at the paced rate. */
  private async paced(): Promise<void> {
    this.grow();
    if (!Number.isFinite(this.paceRate)) return;
    const now = this.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + 1000 / this.paceRate;
    if (startAt > now) await this.sleep(startAt - now);
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
