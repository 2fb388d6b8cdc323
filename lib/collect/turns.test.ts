import { afterEach, describe, expect, it } from 'vitest';
import { startInTurns } from './turns';

describe('startInTurns', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    unhandled.length = 0;
  });

  it('lets waiting I/O run between turns of cached (already resolved) reads, and keeps the results in order', async () => {
    const order: string[] = [];
    // What a request arriving meanwhile looks like to the event loop.
    setImmediate(() => order.push('request'));
    const results = await startInTurns(
      Array.from({ length: 120 }, (_, index) => index),
      (index) => {
        order.push(`start ${index}`);
        return Promise.resolve(index * 2);
      },
      50,
    );
    expect(results).toEqual(Array.from({ length: 120 }, (_, index) => index * 2));
    // The request ran after the first turn's 50 starts, long before the last one.
    expect(order.indexOf('request')).toBe(50);
    expect(order.filter((entry) => entry.startsWith('start'))).toHaveLength(120);
  });

  it('starts every item without waiting for the ones before it to finish', async () => {
    let running = 0;
    let most = 0;
    await startInTurns(
      Array.from({ length: 30 }, (_, index) => index),
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
      10,
    );
    expect(most).toBe(30);
  });

  it('rejects with the first failure, and a failure while a later turn is awaited is no unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    const failing = startInTurns([1, 2, 3, 4], (n) => (n === 1 ? Promise.reject(new Error('read 1 failed')) : Promise.resolve(n)), 1);
    await expect(failing).rejects.toThrow('read 1 failed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
