import { MERGE_KEYS, strategicMergePatch } from './patch';
import { KubeError } from './status';

// Server-side apply (PATCH application/apply-patch+yaml), as the API server's field manager does it
// (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager, sigs.k8s.io/structured-merge-diff):
// - each manager owns the fields of the configuration it last applied (metadata.managedFields, FieldsV1);
// - a field the manager applied before and leaves out now is removed, unless another manager owns it too;
// - a field another applier owns with a different value is a conflict (409) unless force=true, which moves it.
// Lists merged by key (containers by name, …) are owned per item ("k:{"name":"app"}"), other lists whole.

type Json = unknown;
type Obj = Record<string, Json>;
const isObject = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields never owned: identity and server-set metadata (fieldmanager's stripMeta). */
const UNOWNED_TOP = new Set(['apiVersion', 'kind']);
const UNOWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
]);

/** A field path as FieldsV1 keys: ["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image"]. */
type FieldPath = string[];

function leafPaths(value: Json, field: string | undefined, prefix: FieldPath, out: FieldPath[], top = false, meta = false) {
  if (isObject(value)) {
    const keys = Object.keys(value).filter((key) => !(top && UNOWNED_TOP.has(key)) && !(meta && UNOWNED_META.has(key)));
    if (keys.length === 0 && !top) out.push(prefix);
    for (const key of keys) leafPaths(value[key], key, [...prefix, `f:${key}`], out, false, top && key === 'metadata');
    return;
  }
  const mergeKey = field ? MERGE_KEYS[field] : undefined;
  if (Array.isArray(value) && mergeKey && value.every((item) => isObject(item) && item[mergeKey] !== undefined)) {
    if (value.length === 0) out.push(prefix);
    for (const item of value as Obj[]) {
      const itemPath = [...prefix, `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`];
      leafPaths(item, undefined, itemPath, out);
    }
    return;
  }
  out.push(prefix);
}

export function ownedFieldPaths(config: Json): FieldPath[] {
  const out: FieldPath[] = [];
  leafPaths(config, undefined, [], out, true);
  return out;
}

function toFieldsV1(paths: FieldPath[]): Obj {
  const root: Obj = {};
  for (const path of paths) {
    let node = root;
    for (const part of path) node = (node[part] ??= {}) as Obj;
  }
  return root;
}

function fromFieldsV1(fields: Json, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (!isObject(fields)) return out;
  const keys = Object.keys(fields).filter((key) => key !== '.');
  if (keys.length === 0 && prefix.length) out.push(prefix);
  for (const key of keys) fromFieldsV1(fields[key], [...prefix, key], out);
  return out;
}

/** The value at a field path, or undefined. */
function valueAt(object: Json, path: FieldPath): Json {
  let node: Json = object;
  for (const part of path) {
    if (part.startsWith('f:') && isObject(node)) node = node[part.slice(2)];
    else if (part.startsWith('k:') && Array.isArray(node)) {
      const key = JSON.parse(part.slice(2)) as Obj;
      const [name, want] = Object.entries(key)[0];
      node = node.find((item) => isObject(item) && item[name] === want);
    } else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function removeAt(object: Json, path: FieldPath) {
  if (path.length === 0) return;
  const parent = valueAt(object, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const [name, want] = Object.entries(JSON.parse(last.slice(2)) as Obj)[0];
    const index = parent.findIndex((item) => isObject(item) && item[name] === want);
    if (index >= 0) parent.splice(index, 1);
  }
}

const key = (path: FieldPath) => path.join('\u0000');
const display = (path: FieldPath) =>
  path
    .map((part) =>
      part.startsWith('f:')
        ? `.${part.slice(2)}`
        : `[${part
            .slice(2)
            .replace(/^\{"?|"?\}$/g, '')
            .replace(/":"?/, '=')}]`,
    )
    .join('');

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Json;
  subresource?: string;
}

/**
 * The object after `manager` applies `config` to `live` (undefined when it does not exist yet). Throws 409
 * Conflict naming the fields other appliers own with other values, unless `force`.
 */
export function serverSideApply(
  live: Obj | undefined,
  config: Obj,
  options: { manager: string; force: boolean; apiVersion: string; now: string },
): Obj {
  const applied = ownedFieldPaths(config);
  const appliedKeys = new Set(applied.map(key));
  const entries = ((live?.metadata as Obj | undefined)?.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const others = entries.filter((entry) => entry.manager !== options.manager || entry.operation !== 'Apply');
  const previous = entries.find((entry) => entry.manager === options.manager && entry.operation === 'Apply');

  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  const kept: ManagedFieldsEntry[] = [];
  for (const entry of others) {
    const owned = fromFieldsV1(entry.fieldsV1);
    const remaining: FieldPath[] = [];
    for (const path of owned) {
      if (appliedKeys.has(key(path)) && JSON.stringify(valueAt(live, path)) !== JSON.stringify(valueAt(config, path))) {
        if (!options.force) conflicts.push({ manager: entry.manager ?? '', apiVersion: entry.apiVersion ?? '', path });
        // Forced: the field moves to this manager.
        else continue;
      }
      remaining.push(path);
    }
    if (remaining.length) kept.push({ ...entry, fieldsV1: toFieldsV1(remaining) });
  }
  if (conflicts.length) {
    const lines = conflicts.map(
      (c) => `conflict with ${JSON.stringify(c.manager)}${c.apiVersion ? ` using ${c.apiVersion}` : ''}: ${display(c.path)}`,
    );
    throw new KubeError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${lines.join('\n')}`,
      {
        causes: conflicts.map((c) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with ${JSON.stringify(c.manager)}`,
          field: display(c.path),
        })),
      },
    );
  }

  const base = structuredClone(live ?? {}) as Obj;
  if (previous) {
    const ownedByOthers = new Set(kept.flatMap((entry) => fromFieldsV1(entry.fieldsV1)).map(key));
    for (const path of fromFieldsV1(previous.fieldsV1))
      if (!appliedKeys.has(key(path)) && !ownedByOthers.has(key(path))) removeAt(base, path);
  }
  const { metadata: configMeta, ...configRest } = config;
  const merged = strategicMergePatch(base, configRest) as Obj;
  const meta = { ...((base.metadata as Obj) ?? {}) };
  const applyMeta = (configMeta as Obj | undefined) ?? {};
  for (const field of ['labels', 'annotations'] as const)
    if (applyMeta[field] !== undefined) meta[field] = { ...((meta[field] as Obj) ?? {}), ...(applyMeta[field] as Obj) };
  for (const [field, value] of Object.entries(applyMeta))
    if (!['labels', 'annotations', ...UNOWNED_META].includes(field)) meta[field] = value;
  for (const field of ['name', 'namespace'] as const)
    if (applyMeta[field] !== undefined && meta[field] === undefined) meta[field] = applyMeta[field];
  meta.managedFields = [
    ...kept,
    {
      manager: options.manager,
      operation: 'Apply',
      apiVersion: options.apiVersion,
      time: options.now,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(applied),
    },
  ];
  merged.metadata = meta;
  return merged;
}
