import { describe, expect, it } from 'vitest';
import { AimdLimiter } from './aimd';

describe('AimdLimiter', () => {
  it('halves on a throttle (once per interval), widens by about one per window of successes, within [1, max]', () => {
    let now = 0;
    const limiter = new AimdLimiter({ initial: 8, max: 8, now: () => now });
    limiter.throttled();
    limiter.throttled(); // the same burst: counted once
    expect(limiter.limit).toBe(4);
    for (let i = 0; i < 4; i++) limiter.succeeded();
    expect(limiter.limit).toBe(5);
    for (let i = 0; i < 5; i++) {
      now += 1_000;
      limiter.throttled();
    }
    expect(limiter.limit).toBe(1);
    for (let i = 0; i < 200; i++) limiter.succeeded();
    expect(limiter.limit).toBe(8);
    // Widened back to its max, it still tells how narrow the bursts made it.
    expect(limiter.lowestLimit).toBe(1);
    expect(limiter.throttles).toBe(7);
  });

  it('runs at most `limit` tasks at once', async () => {
    const limiter = new AimdLimiter({ initial: 2, max: 2 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.run(task)));
    expect(peak).toBe(2);
  });
});
