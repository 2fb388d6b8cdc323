import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock';
import { KubeError, alreadyExists, conflict, notFound } from './status';
import type { ResourceType } from './resources';
import { groupVersion } from './resources';

// ONE generic object store per cluster (design.md "The simulator"): every resource type goes through the
// same create/get/list/watch/update/delete, with one resourceVersion sequence. Like the API server's watch
// cache, each resource keeps a bounded history of its events; a watch from a version older than that history,
// or older than the last compaction, is answered 410 Gone (k8s.io/apiserver storage/cacher/watch_cache.go).

export type KubeObj = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; namespace?: string } };

interface Stored {
  object: KubeObj;
  /** UTF-8 JSON, serialized once per version: lists of 50,000 pods stream these bytes instead of re-serializing. */
  json: Buffer;
}

/** An object as lists see it: its store key ("namespace/name", "/name" when cluster-scoped), object and bytes. */
export interface ListedObject {
  key: string;
  object: KubeObj;
  json: Buffer;
}

/** Index of the first listed object whose key sorts after `key` (lists are in key order). */
export function indexAfter(listed: ListedObject[], key: string): number {
  let low = 0;
  let high = listed.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (listed[mid].key <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}

function indexAtOrAfter(listed: ListedObject[], key: string): number {
  let low = 0;
  let high = listed.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (listed[mid].key < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  typeKey: string;
  resourceVersion: number;
  object: KubeObj;
  json: Buffer;
  /** The version before a MODIFIED event, so a selector watch can tell an object entering or leaving it. */
  previous?: KubeObj;
}

type Listener = (event: StoreEvent) => void;

/** Events kept per resource type (the watch cache's capacity; kube-apiserver sizes its own between 100 and 100 Ki). */
export const DEFAULT_HISTORY_LIMIT = 10_000;

interface History {
  events: StoreEvent[];
  /** resourceVersion of the newest event dropped from this history: a watch must start at or after it. */
  droppedThrough: number;
}

/**
 * UTF-8 bytes in a buffer of their own: `Buffer.from` slices small strings out of shared 8 KiB slabs, and one live
 * pod version kept a whole slab of dead ones alive (external memory was twice the JSON at 200,000 pods).
 */
function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

export function typeKeyOf(type: Pick<ResourceType, 'group' | 'version' | 'resource'>): string {
  return `${groupVersion(type)}/${type.resource}`;
}

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, Stored>>();
  private revision = 1;
  private readonly histories = new Map<string, History>();
  /** Versions at or below this were compacted away (`compact()`): continue tokens and watches from before it are 410. */
  private compactedThrough = 0;
  private readonly listeners = new Set<Listener>();
  /** typeKey|owner uid → keys of the objects it owns, so controllers never scan a whole namespace. */
  private readonly ownerIndex = new Map<string, Set<string>>();
  /** Sorted listing per type, rebuilt only after that type changes: paging 50,000 pods must not re-sort per page. */
  private readonly sortedCache = new Map<string, ListedObject[]>();

  constructor(
    private readonly clock: SimClock,
    private readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The version of the last compaction (0 before any). */
  get compactedRevision(): number {
    return this.compactedThrough;
  }

  /** The oldest resourceVersion a watch of this type can still start from. */
  oldestWatchable(typeKey: string): number {
    return Math.max(this.histories.get(typeKey)?.droppedThrough ?? 0, this.compactedThrough);
  }

  /**
   * Forgets every event up to now, as etcd compaction does: watches and continue tokens from an older version get
   * 410 Gone. Loading ends with one, so history starts where the scenario's state is complete.
   */
  compact(): number {
    this.histories.clear();
    this.compactedThrough = this.revision;
    return this.revision;
  }

  private bucket(typeKey: string): Map<string, Stored> {
    let bucket = this.objects.get(typeKey);
    if (!bucket) this.objects.set(typeKey, (bucket = new Map()));
    return bucket;
  }

  private static key(namespace: string | undefined, name: string) {
    return `${namespace ?? ''}/${name}`;
  }

  private static ownerUids(object: KubeObj | undefined): string[] {
    const refs = object?.metadata.ownerReferences as { uid?: string }[] | undefined;
    return (refs ?? []).map((r) => r.uid).filter((uid): uid is string => typeof uid === 'string');
  }

  private reindex(typeKey: string, key: string, before: KubeObj | undefined, after: KubeObj | undefined) {
    for (const uid of ObjectStore.ownerUids(before)) this.ownerIndex.get(`${typeKey}|${uid}`)?.delete(key);
    for (const uid of ObjectStore.ownerUids(after)) {
      const indexKey = `${typeKey}|${uid}`;
      let keys = this.ownerIndex.get(indexKey);
      if (!keys) this.ownerIndex.set(indexKey, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Objects of a type whose ownerReferences name this owner uid. */
  listOwnedBy(type: ResourceType, ownerUid: string): KubeObj[] {
    const typeKey = typeKeyOf(type);
    const keys = this.ownerIndex.get(`${typeKey}|${ownerUid}`);
    const bucket = this.objects.get(typeKey);
    if (!keys || !bucket) return [];
    const out: KubeObj[] = [];
    for (const key of keys) {
      const stored = bucket.get(key);
      if (stored) out.push(stored.object);
    }
    return out;
  }

  private record(type: WatchEventType, typeKey: string, stored: Stored, previous?: KubeObj) {
    this.sortedCache.delete(typeKey);
    const event: StoreEvent = {
      type,
      typeKey,
      resourceVersion: Number(stored.object.metadata.resourceVersion),
      object: stored.object,
      json: stored.json,
      ...(previous ? { previous } : {}),
    };
    let history = this.histories.get(typeKey);
    if (!history) this.histories.set(typeKey, (history = { events: [], droppedThrough: this.compactedThrough }));
    history.events.push(event);
    // Trimmed in batches: shifting a 10,000-entry array on every write would make loading quadratic.
    if (history.events.length > this.historyLimit + Math.ceil(this.historyLimit / 4)) {
      const dropped = history.events.splice(0, history.events.length - this.historyLimit);
      history.droppedThrough = dropped[dropped.length - 1].resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }

  private stamp(object: KubeObj): Stored {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    return { object, json: ownBytes(JSON.stringify(object)) };
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObj | undefined {
    return this.objects.get(typeKeyOf(type))?.get(ObjectStore.key(type.namespaced ? namespace : undefined, name))?.object;
  }

  mustGet(type: ResourceType, namespace: string | undefined, name: string): KubeObj {
    const object = this.get(type, namespace, name);
    if (!object) throw notFound(type.resource, name, type.group);
    return object;
  }

  getJson(type: ResourceType, namespace: string | undefined, name: string): Buffer | undefined {
    return this.objects.get(typeKeyOf(type))?.get(ObjectStore.key(type.namespaced ? namespace : undefined, name))?.json;
  }

  /** Objects with their serialized form, in name order (namespace, then name), as the API server lists them. */
  list(type: ResourceType, namespace?: string): ListedObject[] {
    const typeKey = typeKeyOf(type);
    let sorted = this.sortedCache.get(typeKey);
    if (!sorted) {
      const bucket = this.objects.get(typeKey);
      sorted = bucket
        ? [...bucket.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([key, stored]) => ({ key, object: stored.object, json: stored.json }))
        : [];
      this.sortedCache.set(typeKey, sorted);
    }
    if (!namespace || !type.namespaced) return sorted;
    // One namespace is a contiguous run of keys "namespace/…"; '0' is the code unit after '/'.
    return sorted.slice(indexAtOrAfter(sorted, `${namespace}/`), indexAtOrAfter(sorted, `${namespace}0`));
  }

  /**
   * `adopt`: the caller hands over an object it built for this call and keeps no reference into, so the
   * defensive deep copy is skipped (that copy was a third of loading 50,000 pods).
   */
  create(type: ResourceType, input: KubeObj, options: { dryRun?: boolean; adopt?: boolean } = {}): KubeObj {
    const object = options.adopt ? input : structuredClone(input);
    const meta = object.metadata;
    if (!meta.name && typeof meta.generateName === 'string')
      meta.name = `${meta.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
    if (!meta.name)
      throw new KubeError(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value: name or generateName is required`);
    if (!type.namespaced) delete meta.namespace;
    const bucket = this.bucket(typeKeyOf(type));
    const key = ObjectStore.key(meta.namespace, meta.name);
    if (bucket.has(key)) throw alreadyExists(type.resource, meta.name, type.group);
    object.apiVersion = groupVersion(type);
    object.kind = type.kind;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= this.clock.nowIso();
    if (object.spec !== undefined && meta.generation === undefined) meta.generation = 1;
    if (options.dryRun) return { ...object, metadata: { ...meta, resourceVersion: undefined } } as KubeObj;
    const stored = this.stamp(object);
    bucket.set(key, stored);
    this.reindex(typeKeyOf(type), key, undefined, object);
    this.record('ADDED', typeKeyOf(type), stored);
    return object;
  }

  /** Replace an object (PUT, patches, controllers). A stale metadata.resourceVersion is a 409 Conflict. */
  update(type: ResourceType, input: KubeObj, options: { dryRun?: boolean; subresource?: 'status'; adopt?: boolean } = {}): KubeObj {
    const meta = input.metadata;
    const bucket = this.bucket(typeKeyOf(type));
    const key = ObjectStore.key(type.namespaced ? meta.namespace : undefined, meta.name);
    const current = bucket.get(key);
    if (!current) throw notFound(type.resource, meta.name, type.group);
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== current.object.metadata.resourceVersion
    ) {
      throw conflict(type.resource, meta.name, type.group);
    }
    const object = options.adopt ? input : structuredClone(input);
    const previous = current.object;
    // Immutable identity fields come from the stored object.
    object.apiVersion = groupVersion(type);
    object.kind = type.kind;
    Object.assign(object.metadata, {
      uid: previous.metadata.uid,
      creationTimestamp: previous.metadata.creationTimestamp,
      namespace: previous.metadata.namespace,
    });
    if (options.subresource === 'status') {
      object.spec = previous.spec;
      object.metadata = { ...previous.metadata };
    } else if (previous.status !== undefined && type.subresources?.includes('status')) {
      object.status = previous.status;
    }
    if (object.spec !== previous.spec && JSON.stringify(object.spec) !== JSON.stringify(previous.spec))
      object.metadata.generation = Number(previous.metadata.generation ?? 0) + 1;
    else object.metadata.generation = previous.metadata.generation;
    if (object.metadata.generation === undefined) delete object.metadata.generation;
    if (options.dryRun) return object;
    const stored = this.stamp(object);
    bucket.set(key, stored);
    this.reindex(typeKeyOf(type), key, previous, object);
    this.record('MODIFIED', typeKeyOf(type), stored, previous);
    return object;
  }

  /** Controllers writing status: no optimistic-concurrency check, spec untouched. */
  writeStatus(type: ResourceType, namespace: string | undefined, name: string, status: unknown): KubeObj | undefined {
    const current = this.get(type, namespace, name);
    if (!current) return undefined;
    if (JSON.stringify(current.status) === JSON.stringify(status)) return current;
    // Adopted: the shallow copy's shared parts (spec, metadata maps) are replaced by the stored ones in update().
    return this.update(type, { ...current, status, metadata: { ...current.metadata, resourceVersion: undefined } } as KubeObj, {
      subresource: 'status',
      adopt: true,
    });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: { dryRun?: boolean } = {}): KubeObj {
    const bucket = this.bucket(typeKeyOf(type));
    const key = ObjectStore.key(type.namespaced ? namespace : undefined, name);
    const current = bucket.get(key);
    if (!current) throw notFound(type.resource, name, type.group);
    if (options.dryRun) return current.object;
    bucket.delete(key);
    this.reindex(typeKeyOf(type), key, current.object, undefined);
    this.revision += 1;
    const object = {
      ...current.object,
      metadata: { ...current.object.metadata, resourceVersion: String(this.revision), deletionTimestamp: this.clock.nowIso() },
    } as KubeObj;
    this.record('DELETED', typeKeyOf(type), { object, json: ownBytes(JSON.stringify(object)) });
    return object;
  }

  /** A type's events after `resourceVersion`, or null when some of them were dropped or compacted (410 Gone). */
  eventsSince(typeKey: string, resourceVersion: number): StoreEvent[] | null {
    if (resourceVersion < this.oldestWatchable(typeKey)) return null;
    const events = this.histories.get(typeKey)?.events ?? [];
    // Versions only grow along the history, so the first event to send is found by binary search.
    let low = 0;
    let high = events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (events[mid].resourceVersion <= resourceVersion) low = mid + 1;
      else high = mid;
    }
    return events.slice(low);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
