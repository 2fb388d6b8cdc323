import { badRequest, KubeError } from './status';

// The three patch types kubectl and client-node send: JSON merge patch (RFC 7386), strategic merge patch
// (merge patch plus lists merged by their patch key, e.g. containers by name), and JSON patch (RFC 6902).

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Lists that strategic merge patch merges by a key instead of replacing (k8s.io/api struct tags). */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  tolerations: 'key',
  conditions: 'type',
  ownerReferences: 'uid',
};

export function strategicMergePatch(target: Json, patch: Json, field?: string): Json {
  if (Array.isArray(patch) && field && MERGE_KEYS[field] && Array.isArray(target)) {
    const key = MERGE_KEYS[field];
    const out = [...(target as Record<string, Json>[])];
    for (const item of patch as Record<string, Json>[]) {
      if (!isObject(item)) continue;
      const index = out.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
      if (item.$patch === 'delete') {
        if (index >= 0) out.splice(index, 1);
        continue;
      }
      if (index >= 0) out[index] = strategicMergePatch(out[index], item) as Record<string, Json>;
      else out.push(item);
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    void _ignored;
    return rest;
  }
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete out[key];
    else out[key] = strategicMergePatch(out[key], value, key);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`json patch: invalid path "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], path: string): [Record<string, Json> | Json[], string] {
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else node = undefined;
    if (node === undefined) throw new KubeError(422, 'Invalid', `json patch: path "${path}" does not exist`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new KubeError(422, 'Invalid', `json patch: path "${path}" does not exist`);
  return [node, parts[parts.length - 1]];
}

export function jsonPatch(document: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('json patch: the body must be an array of operations');
  let doc = structuredClone(document);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      throw badRequest('json patch: each operation needs op and path');
    const parts = pointer(raw.path);
    if (parts.length === 0) {
      if (raw.op === 'replace' || raw.op === 'add') doc = structuredClone(raw.value);
      continue;
    }
    const [parent, last] = parentOf(doc, parts, raw.path);
    const read = () => (Array.isArray(parent) ? parent[Number(last)] : parent[last]);
    switch (raw.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(raw.value));
        else parent[last] = structuredClone(raw.value);
        break;
      case 'replace':
        if (read() === undefined) throw new KubeError(422, 'Invalid', `json patch: replace of missing path "${raw.path}"`);
        if (Array.isArray(parent)) parent[Number(last)] = structuredClone(raw.value);
        else parent[last] = structuredClone(raw.value);
        break;
      case 'remove':
        if (read() === undefined) throw new KubeError(422, 'Invalid', `json patch: remove of missing path "${raw.path}"`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(read()) !== JSON.stringify(raw.value))
          throw new KubeError(422, 'Invalid', `json patch: test failed at "${raw.path}"`);
        break;
      default:
        throw badRequest(`json patch: unsupported op "${raw.op}"`);
    }
  }
  return doc;
}

export function applyPatch(contentType: string, target: Json, body: Json): Json {
  const type = contentType.split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(target, body);
  if (type === 'application/merge-patch+json') return mergePatch(target, body);
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, body);
  if (type === 'application/apply-patch+yaml')
    throw new KubeError(415, 'UnsupportedMediaType', 'server-side apply is not supported by the simulator; use kubectl annotate/patch');
  throw new KubeError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  );
}
