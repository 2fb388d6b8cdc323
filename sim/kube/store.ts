import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock';
import { KubeError, alreadyExists, conflict, notFound } from './status';
import type { ResourceType } from './resources';
import { groupVersion } from './resources';

// ONE generic object store per cluster (design.md "The simulator"): every resource type goes through the
// same create/get/list/watch/update/delete, with one resourceVersion sequence and one event log.

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
}

type Listener = (event: StoreEvent) => void;

const EVENT_LOG_LIMIT = 20_000;
/** The log is trimmed in batches: shifting a 20,000-entry array on every write made loading quadratic. */
const EVENT_LOG_SLACK = 5_000;

export function typeKeyOf(type: Pick<ResourceType, 'group' | 'version' | 'resource'>): string {
  return `${groupVersion(type)}/${type.resource}`;
}

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, Stored>>();
  private revision = 1;
  private readonly log: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** typeKey|owner uid → keys of the objects it owns, so controllers never scan a whole namespace. */
  private readonly ownerIndex = new Map<string, Set<string>>();
  /** Sorted listing per type, rebuilt only after that type changes: paging 50,000 pods must not re-sort per page. */
  private readonly sortedCache = new Map<string, ListedObject[]>();

  constructor(private readonly clock: SimClock) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestWatchable(): number {
    return this.log[0]?.resourceVersion ?? this.revision;
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

  private record(type: WatchEventType, typeKey: string, stored: Stored) {
    this.sortedCache.delete(typeKey);
    const event: StoreEvent = {
      type,
      typeKey,
      resourceVersion: Number(stored.object.metadata.resourceVersion),
      object: stored.object,
      json: stored.json,
    };
    this.log.push(event);
    if (this.log.length > EVENT_LOG_LIMIT + EVENT_LOG_SLACK) this.log.splice(0, this.log.length - EVENT_LOG_LIMIT);
    for (const listener of this.listeners) listener(event);
  }

  private stamp(object: KubeObj): Stored {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    return { object, json: Buffer.from(JSON.stringify(object)) };
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
    this.record('MODIFIED', typeKeyOf(type), stored);
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
    this.record('DELETED', typeKeyOf(type), { object, json: Buffer.from(JSON.stringify(object)) });
    return object;
  }

  /** Events after `resourceVersion`, or null when that version is no longer in the log (410 Gone). */
  eventsSince(resourceVersion: number): StoreEvent[] | null {
    if (resourceVersion < this.oldestWatchable - 1 && this.log.length >= EVENT_LOG_LIMIT) return null;
    return this.log.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
