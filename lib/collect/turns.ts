// A collection's work must leave the event loop to requests now and then. Reads answered from the cache resolve as
// microtasks, and a fan-out over thousands of them ran as one uninterrupted stretch (0.5 s at the fleet bench's
// 10,000 associations, holding every request meanwhile); so do long synchronous loops. A turn of the event loop
// (setImmediate) lets waiting I/O in: requests, informer events.

//
// Turns are taken one at a time: Node runs every immediate queued before its check phase in one go, so twenty
// clusters' fan-outs each yielding with their own setImmediate resumed together, a 0.5 s stretch again (fleet bench,
// CPU profile). Waiting slices queue here instead, and one resumes per iteration of the event loop, I/O polled
// between each.

const waiting: (() => void)[] = [];
let resuming = false;

function resumeOne(): void {
  const next = waiting.shift();
  // Queued from within the check phase, the next resume runs in the loop's next iteration, after its poll.
  if (waiting.length > 0) setImmediate(resumeOne);
  else resuming = false;
  next?.();
}

/** Resolves on a later turn of the event loop, after waiting I/O has run and after slices that waited before. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (resuming) return;
    resuming = true;
    setImmediate(resumeOne);
  });
}

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
