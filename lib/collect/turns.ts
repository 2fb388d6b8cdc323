// A collection's work must leave the event loop to requests now and then. Reads answered from the cache resolve as
// microtasks, and a fan-out over thousands of them ran as one uninterrupted stretch (0.5 s at the fleet bench's
// 10,000 associations, holding every request meanwhile); so do long synchronous loops. A turn of the event loop
// (setImmediate) lets waiting I/O in: requests, informer events.

/** Resolves on the event loop's next turn, after waiting I/O has run. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `start(item)` for every item, a turn of the event loop after each `perTurn` of them, then all their results in
 * order. The starts are not awaited one by one: uncached reads still run side by side, bounded by the pool.
 */
export async function startInTurns<T, R>(items: readonly T[], start: (item: T) => Promise<R>, perTurn = 50): Promise<R[]> {
  const started: Promise<R>[] = [];
  for (let index = 0; index < items.length; index++) {
    if (index > 0 && index % perTurn === 0) await nextTurn();
    const promise = start(items[index]);
    // Handled here too: one failing while a later turn is awaited is not an unhandled rejection.
    promise.catch(() => undefined);
    started.push(promise);
  }
  return Promise.all(started);
}
