import 'server-only';
import { createHash } from 'node:crypto';
import { logger } from '@/lib/log/logger';

// The in-process feed of fleet changes (issue 17): whatever learns that part of the fleet changed (a refresh of the
// collected view today, informers and incremental AWS reads later) publishes which clusters and service accounts
// may now read differently; GET /api/v1/events turns that into rows for each open page, within the caller's scope.
// A change names what to re-read, never the data itself, so a publisher cannot leak past a subscriber's scope.

export interface ServiceAccountRef {
  cluster: string;
  namespace: string;
  name: string;
}

export interface FleetChange {
  /** When the change was seen (RFC 3339). */
  at: string;
  /** Clusters whose cluster-level facts (the /clusters row: agent, access entries, sources and their age) may have changed. */
  clusters: string[];
  /** Service accounts whose matrix row may have changed, appeared or disappeared. */
  serviceAccounts: ServiceAccountRef[];
}

export type FleetChangeListener = (change: FleetChange) => void;

interface FeedState {
  listeners: Set<FleetChangeListener>;
}

// On globalThis: Next compiles route handlers and pages into separate module graphs (and the dev server re-evaluates
// modules), and a publisher in one must reach subscribers in another.
const shared = globalThis as typeof globalThis & { __workloadIdentityFleetChanges?: FeedState };
const feed: FeedState = (shared.__workloadIdentityFleetChanges ??= { listeners: new Set() });

/** Tells every subscriber, synchronously; a listener that throws is logged and does not stop the others. */
export function publishFleetChange(change: FleetChange): void {
  if (change.clusters.length === 0 && change.serviceAccounts.length === 0) return;
  for (const listener of [...feed.listeners]) {
    try {
      listener(change);
    } catch (error) {
      logger().warn({ err: error }, 'fleet change listener failed');
    }
  }
}

/** Listens to every change from now on; returns the unsubscribe. */
export function subscribeFleetChanges(listener: FleetChangeListener): () => void {
  feed.listeners.add(listener);
  return () => {
    feed.listeners.delete(listener);
  };
}

/** Fingerprints of a view's rows, by key: a short hash of each row's JSON, so holding the previous view's costs ~50 bytes a row. */
export type Fingerprints = Map<string, string>;

// A row object is never changed once built, and a collection that finds nothing new keeps the rows it had: each
// object is hashed once.
const hashes = new WeakMap<object, string>();

function fingerprintOf(item: unknown): string {
  if (typeof item !== 'object' || item === null) return createHash('sha1').update(JSON.stringify(item)).digest('base64');
  let hash = hashes.get(item);
  if (hash === undefined) hashes.set(item, (hash = createHash('sha1').update(JSON.stringify(item)).digest('base64')));
  return hash;
}

export function fingerprintsOf<T>(items: readonly T[], keyOf: (item: T) => string): Fingerprints {
  const fingerprints: Fingerprints = new Map();
  for (const item of items) fingerprints.set(keyOf(item), fingerprintOf(item));
  return fingerprints;
}

/** fingerprintsOf, awaiting `pause()` after every `slice` items, so hashing 50,000 rows leaves room for requests. */
export async function fingerprintsInSlices<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  pause: () => Promise<void>,
  slice = 500,
): Promise<Fingerprints> {
  const fingerprints: Fingerprints = new Map();
  for (let start = 0; start < items.length; start += slice) {
    for (const [key, fingerprint] of fingerprintsOf(items.slice(start, start + slice), keyOf)) fingerprints.set(key, fingerprint);
    await pause();
  }
  return fingerprints;
}

/** Keys whose fingerprint differs between two views, including those only one of them has. */
export function changedKeys(previous: Fingerprints, next: Fingerprints): string[] {
  const changed: string[] = [];
  for (const [key, fingerprint] of next) if (previous.get(key) !== fingerprint) changed.push(key);
  for (const key of previous.keys()) if (!next.has(key)) changed.push(key);
  return changed;
}

/** The key of a service account in fingerprints and changes: names cannot hold a NUL, so it never joins two ambiguously. */
export function serviceAccountKey(ref: ServiceAccountRef): string {
  return `${ref.cluster}\0${ref.namespace}\0${ref.name}`;
}

export function serviceAccountRefOf(key: string): ServiceAccountRef {
  const [cluster, namespace, name] = key.split('\0');
  return { cluster, namespace, name };
}
