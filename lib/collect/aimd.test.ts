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

  it('paces starts once throttled: at 0.7 of the rate that got through, growing by one a second until the next throttle', async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new AimdLimiter({
      initial: 4,
      max: 4,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const call = () => limiter.run(async () => undefined);
    // Unthrottled, calls start at once, however many.
    for (let i = 0; i < 50; i++) await call();
    expect(slept).toEqual([]);
    expect(limiter.rate).toBe(Number.POSITIVE_INFINITY);

    // Ten calls a second get through, then the service throttles: paced at 7 a second from then on.
    for (let i = 0; i < 10; i++) {
      now += 100;
      limiter.succeeded();
    }
    limiter.throttled();
    expect(limiter.rate).toBeCloseTo(7);
    const start = now;
    for (let i = 0; i < 8; i++) await call();
    // 8 starts at 7 a second (growing meanwhile) take about a second, not the instant they took unpaced.
    expect(now - start).toBeGreaterThan(900);
    expect(now - start).toBeLessThan(1_100);

    // A retry of a throttled call waits only its own backoff, not its turn behind first attempts.
    const before = now;
    await limiter.run(async () => undefined, { paced: false });
    expect(now).toBe(before);

    // Three quiet seconds later the rate has grown back by three.
    const rate = limiter.rate;
    now += 3_000;
    expect(limiter.rate).toBeCloseTo(rate + 3);
  });
});
