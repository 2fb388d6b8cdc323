import { AsyncLocalStorage } from 'node:async_hooks';

// The deadline of the call under way, as an AbortSignal that reaches the socket: the collector's cache starts
// each call inside `withCallSignal`, and the AWS SDK's HTTP handler and the Kubernetes client read it with
// `currentCallSignal()`, so a deadline really closes the connection instead of leaving it running unseen.

const storage = new AsyncLocalStorage<AbortSignal>();

export function withCallSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  return storage.run(signal, run);
}

export function currentCallSignal(): AbortSignal | undefined {
  return storage.getStore();
}

/** Both signals' aborts, either way (AbortSignal.any needs Node 20.3+, which the engines field guarantees). */
export function eitherSignal(first: AbortSignal | undefined, second: AbortSignal | undefined): AbortSignal | undefined {
  if (!first) return second;
  if (!second) return first;
  return AbortSignal.any([first, second]);
}
