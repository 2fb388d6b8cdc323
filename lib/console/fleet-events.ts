import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import type { ClusterRow, ServiceAccountRow } from '@/lib/model/identity-row';
import { serviceAccountKey, subscribeFleetChanges, type FleetChange, type ServiceAccountRef } from '@/lib/collect/fleet-changes';
import { logger } from '@/lib/log/logger';
import { withSnapshotHealth } from './cluster-snapshots';
import { currentFleetView, keepFleetViewFresh, sourcesOf } from './queries';
import type { FleetViewWithSnapshots } from './fleet-extensions';

// GET /api/v1/events (api.md "Live changes"): the fleet changes of lib/collect/fleet-changes.ts, turned into rows
// for one caller. A change names service accounts and clusters; only those inside the caller's scope are looked up
// and sent, so an out-of-scope service account never reaches the stream, not even by name.

/** `event: rows`: changed rows in the exact GET /api/v1/serviceaccounts item shape, and rows gone. */
export interface RowsEvent {
  at: string;
  upserts: ServiceAccountRow[];
  removed: ServiceAccountRef[];
  /** More rows changed than one event carries (MAX_ROWS_PER_EVENT): re-read whatever is on screen instead. */
  resync?: true;
}

/** `event: clusters`: changed clusters in the GET /api/v1/clusters item shape, and clusters gone. */
export interface ClustersEvent {
  at: string;
  upserts: ClusterRow[];
  removed: string[];
}

/** A burst bigger than this (every row re-judged at once) is sent as one `resync` rather than as megabytes of rows. */
const MAX_ROWS_PER_EVENT = 500;
/** Comments that keep proxies from closing an idle stream, and that notice a client gone or a session ended. */
const HEARTBEAT_MS = 15_000;
/** What the browser waits before reconnecting after the stream ends (the SSE `retry:` field). */
const RETRY_MS = 3_000;
/** Bytes queued for one client that is not reading: past this it is dropped (it reconnects and re-reads). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

// An open page asks for live data: while any stream is open on this replica, the view is rebuilt when it is older
// than the cache TTL (currentFleetView), and the rebuild publishes what changed. This is demand, so it runs on any
// replica; the refreshes nobody asked for run only on the background lock's holder (background-refresh.ts).
const shared = globalThis as typeof globalThis & { __workloadIdentityLiveStreams?: { open: number; timer?: NodeJS.Timeout } };
const streams = (shared.__workloadIdentityLiveStreams ??= { open: 0 });
const FRESHNESS_TICK_MS = 5_000;

function streamOpened(): void {
  streams.open++;
  streams.timer ??= setInterval(keepFleetViewFresh, FRESHNESS_TICK_MS);
  streams.timer.unref?.();
}

function streamClosed(): void {
  streams.open = Math.max(0, streams.open - 1);
  if (streams.open === 0 && streams.timer) {
    clearInterval(streams.timer);
    streams.timer = undefined;
  }
}

// One lookup table per view, shared by every stream that reads it.
const rowIndexes = new WeakMap<readonly ServiceAccountRow[], Map<string, ServiceAccountRow>>();

function rowIndexOf(rows: readonly ServiceAccountRow[]): Map<string, ServiceAccountRow> {
  let index = rowIndexes.get(rows);
  if (!index) rowIndexes.set(rows, (index = new Map(rows.map((row) => [serviceAccountKey(row), row]))));
  return index;
}

/** The rows event for one caller, or null when nothing of the change is in their scope. */
export function rowsEventFor(view: FleetViewWithSnapshots, refs: Iterable<ServiceAccountRef>, scope: Scope, at: string): RowsEvent | null {
  const visible = [...refs].filter((ref) => scope.canSeeNamespace(ref.cluster, ref.namespace));
  if (visible.length === 0) return null;
  if (visible.length > MAX_ROWS_PER_EVENT) return { at, upserts: [], removed: [], resync: true };
  const index = rowIndexOf(view.rows);
  const upserts: ServiceAccountRow[] = [];
  const removed: ServiceAccountRef[] = [];
  for (const ref of visible) {
    const row = index.get(serviceAccountKey(ref));
    if (row) upserts.push(row);
    else removed.push({ cluster: ref.cluster, namespace: ref.namespace, name: ref.name });
  }
  return { at, upserts, removed };
}

/** The clusters event for one caller, or null when none of the changed clusters is in their scope. */
export function clustersEventFor(view: FleetViewWithSnapshots, names: Iterable<string>, scope: Scope, at: string): ClustersEvent | null {
  const visible = [...names].filter((name) => scope.canSeeCluster(name));
  if (visible.length === 0) return null;
  const upserts: ClusterRow[] = [];
  const removed: string[] = [];
  for (const name of visible) {
    const cluster = view.clusters.find((candidate) => candidate.name === name);
    if (cluster) upserts.push({ ...withSnapshotHealth(cluster, view.snapshotSources, scope), sources: sourcesOf(cluster, view) });
    else removed.push(name);
  }
  return { at, upserts, removed };
}

export interface FleetEventStreamOptions {
  scope: Scope;
  /** Aborted when the client goes away (request.signal). */
  signal: AbortSignal;
  /** Asked at each heartbeat: false once the caller's session or token is no longer valid, which ends the stream. */
  stillAllowed: () => Promise<boolean>;
}

/** The text/event-stream body for one caller. */
export function fleetEventStream({ scope, signal, stillAllowed }: FleetEventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pendingRows = new Map<string, ServiceAccountRef>();
  const pendingClusters = new Set<string>();
  let pendingAt = '';
  let flushing = false;
  let closed = false;
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;

  const close = (controller?: ReadableStreamDefaultController<Uint8Array>, reason?: Error) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    streamClosed();
    try {
      if (reason) controller?.error(reason);
      else controller?.close();
    } catch {
      // already closed by the other side
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const send = (text: string) => {
          if (closed) return;
          const bytes = encoder.encode(text);
          // desiredSize falls as bytes queue up unread: a client that stopped reading is dropped, never buffered for
          // (the queue holds at most MAX_BUFFERED_BYTES plus one event).
          if ((controller.desiredSize ?? 0) <= 0) {
            logger().info(
              { buffered: MAX_BUFFERED_BYTES - (controller.desiredSize ?? 0) },
              'live events: dropped a client that stopped reading',
            );
            close(controller, new Error('the client is not reading its event stream'));
            return;
          }
          controller.enqueue(bytes);
        };
        const sendEvent = (event: string, data: unknown) => send(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

        // Changes arriving while a flush awaits the view are merged into the next one.
        const flush = async () => {
          if (flushing || closed) return;
          flushing = true;
          try {
            while (!closed && (pendingRows.size > 0 || pendingClusters.size > 0)) {
              const refs = [...pendingRows.values()];
              const names = [...pendingClusters];
              const at = pendingAt;
              pendingRows.clear();
              pendingClusters.clear();
              const view = await currentFleetView();
              const clusters = clustersEventFor(view, names, scope, at);
              if (clusters) sendEvent('clusters', clusters);
              const rows = rowsEventFor(view, refs, scope, at);
              if (rows) sendEvent('rows', rows);
            }
          } catch (error) {
            logger().warn({ err: error }, 'live events: could not read the view for a change');
          } finally {
            flushing = false;
          }
        };

        const onChange = (change: FleetChange) => {
          for (const ref of change.serviceAccounts) pendingRows.set(serviceAccountKey(ref), ref);
          for (const name of change.clusters) pendingClusters.add(name);
          if (change.at > pendingAt) pendingAt = change.at;
          // After the publisher's own turn, so the view it just built is the one read.
          setTimeout(() => void flush(), 0);
        };

        unsubscribe = subscribeFleetChanges(onChange);
        streamOpened();
        signal.addEventListener('abort', () => close(controller), { once: true });
        heartbeat = setInterval(() => {
          void stillAllowed().then(
            (allowed) => (allowed ? send(`: ${new Date().toISOString()}\n\n`) : close(controller)),
            () => send(`: ${new Date().toISOString()}\n\n`),
          );
        }, HEARTBEAT_MS);
        heartbeat.unref?.();
        // The first bytes: the reconnect delay, and an event saying the stream is live (headers alone may be held by a proxy).
        send(`retry: ${RETRY_MS}\n\n`);
        sendEvent('ready', { at: new Date().toISOString() });
        if (signal.aborted) close(controller);
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: MAX_BUFFERED_BYTES, size: (chunk) => chunk.byteLength },
  );
}
