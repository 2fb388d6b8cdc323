// A bounded concurrency pool: at most `limit` tasks run at once, the rest wait in arrival order.
// Every AWS call of the console goes through one shared pool so a large fleet cannot open hundreds of
// requests at once and trip the services' throttling (design.md "The cache": bounded pool, default 16).

export class ConcurrencyPool {
  private active = 0;
  private peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  }

  setLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
    this.limit = limit;
    this.drain();
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** The most tasks that ever ran at once. */
  get peakRunning(): number {
    return this.peak;
  }

  resetPeak(): void {
    this.peak = this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    this.active--;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
