// Adaptive concurrency for one account's one service (issue 17): additive increase, multiplicative decrease, as
// TCP's congestion control does (RFC 5681) and as the SDKs' own adaptive retry mode does for its send rate. EKS and
// IAM limit request rates per account (and region), not per client, so a fixed concurrency is either too timid
// for a quiet account or too much for a busy one: each success widens the window by 1/limit (about one more call
// per window's worth of successes), each throttle halves it (at most once per `decreaseIntervalMs`, so one burst of
// throttles from the same window counts once).

export interface AimdOptions {
  initial: number;
  max: number;
  min?: number;
  /** Multiplier on a throttle (0.5: halve). */
  decrease?: number;
  decreaseIntervalMs?: number;
  now?: () => number;
}

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

  constructor(private readonly options: AimdOptions) {
    this.min = options.min ?? 1;
    this.window = Math.max(this.min, Math.min(options.initial, options.max));
    this.decrease = options.decrease ?? 0.5;
    this.decreaseIntervalMs = options.decreaseIntervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.lowestLimit = this.limit;
  }

  /** How many calls may run at once now. */
  get limit(): number {
    return Math.max(this.min, Math.floor(this.window));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.drain();
    }
  }

  succeeded(): void {
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
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
