import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import type { KubeObject } from '@/lib/model/kube-objects';
import { KubeApiError, kubeListWithVersion, kubeWatch, type KubeWatchEvent } from './client';

// An informer (client-go's list-then-watch, tools/cache/reflector.go): list once, then watch from the list's
// resourceVersion with bookmarks, so the cache stays current with one open stream instead of a relist per page
// view. A 410 Gone (the watch's resourceVersion was compacted away) relists; any other failure retries the watch
// after an exponential backoff with full jitter (reflector's backoff manager, AWS Architecture Blog "Exponential
// Backoff And Jitter"). Only a projection of each object is kept: the fields the rules read.

export type InformerEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change to the cache: the object as it is now (for DELETED, as it was) and as it was before, when known. */
export interface InformerChange<P extends KubeObject> {
  type: InformerEventType;
  object: P;
  previous?: P;
}

export interface InformerTimings {
  /** First wait after a failure; doubles per failure up to backoffMaxMs, each wait drawn uniformly below it. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** How long the server keeps one watch open before the informer opens the next (timeoutSeconds). */
  watchTimeoutSeconds: number;
}

export const DEFAULT_INFORMER_TIMINGS: InformerTimings = { backoffInitialMs: 500, backoffMaxMs: 30_000, watchTimeoutSeconds: 300 };

export interface InformerOptions<P extends KubeObject> {
  target: ClusterTarget;
  /** The collection path, e.g. /api/v1/pods. */
  path: string;
  /** The object as the cache keeps it; must keep metadata.name, namespace and resourceVersion. */
  project: (object: KubeObject) => P;
  /** Called with the changes a list (initial or re-) or a batch of watch events made to the cache. */
  onChanges: (changes: InformerChange<P>[]) => void;
  timings?: Partial<InformerTimings>;
  random?: () => number;
}

/** What the informer knows about its own health: for the pages ("watch down for 40 s") and the SourceErrors. */
export interface InformerStatus {
  /** synced: listed and watching; down: serving its last state while it retries; pending: never listed yet. */
  state: 'pending' | 'synced' | 'down';
  /** When the cache was last known current (the last list, event or bookmark, or the watch still open), RFC 3339. */
  currentAt?: string;
  /** Why it is down (or why the last list failed). */
  error?: unknown;
  /** What failed: "list pods" or "watch pods". */
  failedOperation?: string;
  relists: number;
}

function keyOf(object: KubeObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** The wait before retry number `failures` (1-based): uniform in [0, min(max, initial·2^(failures-1))). */
export function backoffDelayMs(
  failures: number,
  timings: Pick<InformerTimings, 'backoffInitialMs' | 'backoffMaxMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(timings.backoffMaxMs, timings.backoffInitialMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

export class Informer<P extends KubeObject> {
  private readonly items = new Map<string, P>();
  private readonly timings: InformerTimings;
  private readonly random: () => number;
  private resourceVersion = '';
  private stopped = false;
  private failures = 0;
  private watchController: AbortController | undefined;
  private listController: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private listing: Promise<void> | undefined;
  private firstList: Promise<void>;
  private resolveFirstList!: () => void;
  private status: InformerStatus = { state: 'pending', relists: 0 };
  private everListed = false;
  /** Bumped whenever a watch is replaced, so events and endings of an older watch are ignored. */
  private generation = 0;

  constructor(private readonly options: InformerOptions<P>) {
    this.timings = { ...DEFAULT_INFORMER_TIMINGS, ...options.timings };
    this.random = options.random ?? Math.random;
    this.firstList = new Promise((resolve) => (this.resolveFirstList = resolve));
  }

  get operationResource(): string {
    return this.options.path.split('/').pop()!;
  }

  start(): void {
    if (this.stopped || this.listing) return;
    void this.relist();
  }

  /** Stops for good: aborts the list or watch under way (closing the socket) and any retry. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.watchController?.abort();
    this.listController?.abort();
    this.resolveFirstList();
  }

  /** Resolves once the first list answered (or failed): after that the cache (or its error) is what there is. */
  ready(): Promise<void> {
    return this.listing ?? this.firstList;
  }

  /** The objects as the cache has them now, or null when it never listed successfully. */
  list(): P[] | null {
    return this.everListed ? [...this.items.values()] : null;
  }

  getStatus(): InformerStatus {
    return { ...this.status };
  }

  /** Relists now (the Refresh button, or a 410): the list's answer replaces the cache, as changes. */
  relist(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.listing) return this.listing;
    clearTimeout(this.retryTimer);
    this.generation++;
    this.watchController?.abort();
    this.watchController = undefined;
    const generation = this.generation;
    this.listController = new AbortController();
    this.listing = kubeListWithVersion<KubeObject, P>(this.options.target, this.options.path, {}, this.listController.signal, (item) =>
      this.options.project(item),
    )
      .then(
        ({ items, resourceVersion }) => {
          if (this.stopped) return;
          this.replaceAll(items);
          this.resourceVersion = resourceVersion;
          this.everListed = true;
          this.failures = 0;
          const currentAt = new Date().toISOString();
          // A watch that failed stays reported until one opens: a Refresh relists, but the list alone does not
          // keep the cache live, and a refused watch (no `watch` verb) fails again a moment after every list.
          this.status = this.status.failedOperation?.startsWith('watch ')
            ? { ...this.status, currentAt, relists: this.status.relists + 1 }
            : { state: 'synced', currentAt, relists: this.status.relists + 1 };
          void this.watch(generation);
        },
        (error: unknown) => {
          if (this.stopped) return;
          this.status = {
            ...this.status,
            state: this.everListed ? 'down' : 'pending',
            error,
            failedOperation: `list ${this.operationResource}`,
          };
          this.scheduleRetry(() => void this.relist());
        },
      )
      .finally(() => {
        this.listing = undefined;
        this.resolveFirstList();
      });
    return this.listing;
  }

  private scheduleRetry(retry: () => void): void {
    this.failures++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(retry, backoffDelayMs(this.failures, this.timings, this.random));
    this.retryTimer.unref?.();
  }

  private async watch(generation: number): Promise<void> {
    if (this.stopped || generation !== this.generation) return;
    let pending: InformerChange<P>[] = [];
    let flushScheduled = false;
    // Events that arrive together (one chunk of the stream) are handed over as one batch.
    const flush = () => {
      flushScheduled = false;
      const changes = pending;
      pending = [];
      if (changes.length > 0 && generation === this.generation) this.options.onChanges(changes);
    };
    let gone = false;
    let failed: unknown;
    const onEvent = (event: KubeWatchEvent) => {
      if (generation !== this.generation) return;
      const object = event.object as unknown as KubeObject;
      if (event.type === 'ERROR') {
        const status = event.object as { code?: number; reason?: string; message?: string };
        if (status.code === 410) gone = true;
        else failed = new KubeApiError(status.code ?? 500, status.reason ?? 'Error', status.message ?? 'watch error', '');
        this.watchController?.abort();
        return;
      }
      const version = object?.metadata?.resourceVersion;
      if (version) this.resourceVersion = version;
      this.status = { ...this.status, state: 'synced', currentAt: new Date().toISOString(), error: undefined, failedOperation: undefined };
      this.failures = 0;
      if (event.type === 'BOOKMARK') return;
      const projected = this.options.project(object);
      const key = keyOf(projected);
      const previous = this.items.get(key);
      if (event.type === 'DELETED') {
        if (!this.items.delete(key)) return;
        pending.push({ type: 'DELETED', object: previous ?? projected });
      } else {
        this.items.set(key, projected);
        pending.push({ type: previous ? 'MODIFIED' : 'ADDED', object: projected, ...(previous ? { previous } : {}) });
      }
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    };
    const done = (error: unknown) => {
      if (this.stopped || generation !== this.generation) return;
      flush();
      this.watchController = undefined;
      if (gone || (error instanceof KubeApiError && error.status === 410)) {
        // The resourceVersion was compacted away: only a relist can say what changed meanwhile.
        void this.relist();
        return;
      }
      const cause = failed ?? error;
      if (!cause) {
        // The server closed the stream (timeoutSeconds): reopen from where it left off at once.
        void this.watch(generation);
        return;
      }
      this.status = { ...this.status, state: 'down', error: cause, failedOperation: `watch ${this.operationResource}` };
      this.scheduleRetry(() => void this.watch(generation));
    };
    try {
      const controller = await kubeWatch(
        this.options.target,
        this.options.path,
        {
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(this.timings.watchTimeoutSeconds),
        },
        onEvent,
        done,
      );
      if (this.stopped || generation !== this.generation) controller.abort();
      else {
        this.watchController = controller;
        // The API server accepted the watch (a refusal would have ended it already): the cache is live again.
        if (!controller.signal.aborted && this.status.failedOperation?.startsWith('watch '))
          this.status = { ...this.status, state: 'synced', error: undefined, failedOperation: undefined };
      }
    } catch (error) {
      // Setting up the connection failed (kubeconfig, EKS token): retry like a failed watch.
      done(error);
    }
  }

  /** Replaces the cache with a list's answer, telling what differs (by resourceVersion) as changes. */
  private replaceAll(objects: P[]): void {
    const changes: InformerChange<P>[] = [];
    const seen = new Set<string>();
    for (const object of objects) {
      const key = keyOf(object);
      seen.add(key);
      const previous = this.items.get(key);
      if (!previous) changes.push({ type: 'ADDED', object });
      else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion || !object.metadata.resourceVersion)
        changes.push({ type: 'MODIFIED', object, previous });
      this.items.set(key, object);
    }
    for (const [key, previous] of this.items)
      if (!seen.has(key)) {
        this.items.delete(key);
        changes.push({ type: 'DELETED', object: previous });
      }
    if (changes.length > 0) this.options.onChanges(changes);
  }
}
