import { afterEach, describe, expect, it } from 'vitest';
import { nextTurn, startInTurns } from './turns';

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

  it('resumes concurrent fan-outs one turn at a time, with waiting I/O between each', async () => {
    const order: string[] = [];
    // Three fan-outs side by side (a collection's clusters), and requests arriving all along.
    let requests = 0;
    const arrive = () => {
      order.push('request');
      requests += 1;
      if (requests < 40) setImmediate(arrive);
    };
    setImmediate(arrive);
    await Promise.all(
      ['a', 'b', 'c'].map((fanOut) =>
        startInTurns(
          Array.from({ length: 30 }, (_, index) => index),
          (index) => {
            order.push(fanOut);
            return Promise.resolve(index);
          },
          10,
        ),
      ),
    );
    // Each run of starts between two requests is one fan-out's turn of 10, never two fan-outs' turns together.
    const runs = order
      .join(' ')
      .split('request')
      .map((run) => run.trim().split(' ').filter(Boolean))
      .filter((run) => run.length > 0);
    expect(runs.slice(1).every((run) => run.length <= 10 && new Set(run).size === 1)).toBe(true);
    expect(order.filter((entry) => entry !== 'request')).toHaveLength(90);
  });

  it('a turn resolves even when nothing else is waiting, and turns taken in order resume in order', async () => {
    const resumed: number[] = [];
    await Promise.all([0, 1, 2].map((n) => nextTurn().then(() => resumed.push(n))));
    expect(resumed).toEqual([0, 1, 2]);
  });
});
