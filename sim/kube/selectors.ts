import { badRequest } from './status';
import type { KubeObj } from './store';

// labelSelector (equality and set-based) and fieldSelector, as list and watch take them.

type Requirement = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(selector: string | null): Requirement {
  if (!selector) return () => true;
  const requirements: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  const terms = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  for (const raw of terms) {
    const term = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const [, key, op, list] = m;
      const values = list
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      requirements.push(op === 'in' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]));
    } else if ((m = /^([\w./-]+)\s*(==|!=|=)\s*([\w.-]*)$/.exec(term))) {
      const [, key, op, value] = m;
      requirements.push(op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if ((m = /^!([\w./-]+)$/.exec(term))) {
      const key = m[1];
      requirements.push((l) => !(key in l));
    } else if ((m = /^([\w./-]+)$/.exec(term))) {
      const key = m[1];
      requirements.push((l) => key in l);
    } else {
      throw badRequest(`unable to parse requirement: invalid label selector "${term}"`);
    }
  }
  return (labels) => requirements.every((r) => r(labels));
}

function fieldValue(object: KubeObj, path: string): string | undefined {
  let node: unknown = object;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  if (path === 'spec.serviceAccountName' && node === undefined) return 'default';
  return node === undefined || node === null ? '' : String(node);
}

const FIELDS = new Set([
  'metadata.name',
  'metadata.namespace',
  'spec.serviceAccountName',
  'spec.nodeName',
  'status.phase',
  'spec.schedulerName',
  'status.podIP',
  'involvedObject.name',
  'involvedObject.kind',
  'involvedObject.namespace',
  'type',
  'reason',
]);

export function parseFieldSelector(selector: string | null, kind: string): (object: KubeObj) => boolean {
  if (!selector) return () => true;
  const checks = selector.split(',').map((raw) => {
    const m = /^([\w.]+)\s*(==|!=|=)\s*(.*)$/.exec(raw.trim());
    if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${raw}'`);
    const [, field, op, value] = m;
    if (!FIELDS.has(field))
      throw badRequest(
        `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"${kind === 'Pod' ? ', "spec.serviceAccountName", "spec.nodeName", "status.phase"' : ''}`,
      );
    return (object: KubeObj) => (op === '!=' ? fieldValue(object, field) !== value : fieldValue(object, field) === value);
  });
  return (object) => checks.every((c) => c(object));
}
