import { catalogEntry } from '@/lib/identity/catalog';
import type { ThresholdReason } from '@/lib/snapshots/types';
import { formatAge, formatTimestamp } from './format';

// Evidence in plain words (issue 14, problem 4): every evidence field a rule writes has one formatter here,
// chosen by its name, so "thresholdSeconds: 7200" reads "Threshold 2 h" wherever evidence is shown. What has
// no plain form (a policy document, a request context) stays exact, behind a "raw" toggle. Pure: the server
// renders it and the tests call it.

/** How one evidence field is shown. `raw` is the exact value, offered behind a toggle when the text summarizes it. */
export type EvidenceDisplay =
  | { kind: 'text'; text: string; raw?: unknown }
  | { kind: 'none'; text: string }
  | { kind: 'time'; iso: string; text: string }
  | { kind: 'arn'; arn: string }
  | { kind: 'link'; href: string }
  | { kind: 'code'; text: string }
  | { kind: 'findings'; codes: { code: string; title: string }[] }
  | { kind: 'list'; items: string[]; raw?: unknown }
  | { kind: 'raw'; summary: string; raw: unknown };

export interface EvidenceField {
  key: string;
  label: string;
  display: EvidenceDisplay;
}

export const THRESHOLD_REASON_WORDS: Record<ThresholdReason, string> = {
  override: 'set in the console config',
  '2x-snapshot-interval': 'twice the snapshot interval',
  'max-age': 'the configured max age',
  'default-24h': 'the default; no snapshot interval is set',
};

/** Labels for fields whose name does not read well split into words. */
const LABELS: Record<string, string> = {
  thresholdSeconds: 'Threshold',
  thresholdReason: 'Threshold from',
  oldestAgeSeconds: 'Oldest snapshot',
  ageSeconds: 'Age',
  intervalSeconds: 'Interval',
  limitSeconds: 'Limit',
  snapshotInterval: 'Snapshot interval',
  snapshotIntervalNumRecords: 'Snapshot every N records',
  roleArn: 'Role',
  targetRoleArn: 'Target role',
  associationRoleArn: 'Association role',
  associationId: 'Association',
  associationCreatedAt: 'Association created',
  findings: 'Findings',
  missingEnv: 'Missing variable',
  newPodsGet: 'New pods get',
  s3: 'S3 destination',
  latestFailure: 'Latest failure',
  newestSuccess: 'Newest success',
  oldestPartition: 'Oldest partition',
  stalePartitions: 'Stale partitions',
  missingActions: 'Missing actions',
  iamError: 'IAM error',
  desiredBecause: 'Because',
  agentAddresses: 'Agent addresses',
  adminEquivalent: 'Administrator-equivalent',
  disableSessionTags: 'Session tags disabled',
  writer: 'Writer',
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FINDING_CODE = /^[A-Z]{2}\d{3}$/;

/** "thresholdSeconds" -> "Threshold seconds"; literal annotation and condition keys stay as they are. */
export function evidenceLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  if (/[./:]/.test(key)) return key;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/ (Arn|Id)$/, (_, word: string) => (word === 'Arn' ? '' : ' id'))
    .toLowerCase()
    .trim();
  return words.replace(/^./, (c) => c.toUpperCase());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findingsDisplay(codes: string[]): EvidenceDisplay {
  if (!codes.length) return { kind: 'none', text: 'none' };
  return { kind: 'findings', codes: codes.map((code) => ({ code, title: catalogEntry(code)?.title ?? code })) };
}

function nameAndTime(value: Record<string, unknown>): string | undefined {
  if (typeof value.time !== 'string') return undefined;
  const when = formatTimestamp(value.time);
  return typeof value.name === 'string' ? `${when} (${value.name})` : when;
}

/** Known shapes of nested evidence, summarized in words; the exact value stays behind the raw toggle. */
function summarize(key: string, value: Record<string, unknown>): string | undefined {
  if (key === 'snapshotInterval' && typeof value.seconds === 'number')
    return `${formatAge(value.seconds)}${typeof value.from === 'string' ? `, from ${value.from}` : ''}`;
  if (key === 'snapshotIntervalNumRecords' && value.value !== undefined)
    return `${String(value.value)} records${typeof value.from === 'string' ? `, from ${value.from}` : ''}`;
  if (typeof value.time === 'string') return nameAndTime(value);
  if (key === 'writer' && typeof value.namespace === 'string' && typeof value.serviceAccount === 'string')
    return `${value.namespace}/${value.serviceAccount}${typeof value.cluster === 'string' ? ` on ${value.cluster}` : ''}`;
  if (key === 's3' && typeof value.bucket === 'string') {
    const where = [value.region, value.endpoint].filter((part) => typeof part === 'string' && part).join(', ');
    return `s3://${value.bucket}${typeof value.prefix === 'string' && value.prefix ? `/${value.prefix}` : ''}${where ? ` (${where})` : ''}`;
  }
  if (key === 'oldestPartition' && value.id !== undefined) {
    const parts = [`partition ${String(value.id)}`];
    if (typeof value.createdAt === 'string') parts.push(`snapshot taken ${formatTimestamp(value.createdAt)}`);
    if (typeof value.nodeName === 'string') parts.push(`by ${value.nodeName}`);
    return parts.join(', ');
  }
  return undefined;
}

function listItem(item: unknown): string | undefined {
  if (typeof item === 'string') return RFC3339.test(item) ? formatTimestamp(item) : item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (isRecord(item)) {
    // A stale partition, a failure, a pod: the few facts that name it.
    if (item.id !== undefined && typeof item.ageSeconds === 'number')
      return `partition ${String(item.id)}, ${formatAge(item.ageSeconds)} old`;
    if (typeof item.time === 'string') return nameAndTime(item);
    if (typeof item.pod === 'string') return typeof item.node === 'string' ? `${item.pod} on ${item.node}` : item.pod;
  }
  return undefined;
}

/** The display of one evidence field, by its name and value. */
export function formatEvidenceField(key: string, value: unknown): EvidenceDisplay {
  if (value === null || value === undefined) return { kind: 'none', text: key === 'snapshotIntervalNumRecords' ? 'not set' : 'none' };
  if (key === 'findings' && Array.isArray(value) && value.every((code) => typeof code === 'string'))
    return findingsDisplay(value as string[]);
  if (typeof value === 'number' && /AgeSeconds$|^ageSeconds$/.test(key)) return { kind: 'text', text: `${formatAge(value)} ago` };
  if (typeof value === 'number' && /Seconds$/.test(key)) return { kind: 'text', text: formatAge(value) };
  if (typeof value === 'boolean') return { kind: 'text', text: value ? 'yes' : 'no' };
  if (typeof value === 'number') return { kind: 'text', text: value.toLocaleString('en-US') };
  if (typeof value === 'string') {
    if (key === 'thresholdReason' && value in THRESHOLD_REASON_WORDS)
      return { kind: 'text', text: THRESHOLD_REASON_WORDS[value as ThresholdReason] };
    if (RFC3339.test(value)) return { kind: 'time', iso: value, text: formatTimestamp(value) };
    if (value.startsWith('arn:')) return { kind: 'arn', arn: value };
    if (/^https:\/\/(docs\.aws\.amazon\.com|github\.com)\//.test(value)) return { kind: 'link', href: value };
    if (/^(https?:\/\/|s3:\/\/)/.test(value) || FINDING_CODE.test(value)) return { kind: 'code', text: value };
    return { kind: 'text', text: value };
  }
  if (Array.isArray(value)) {
    if (!value.length) return { kind: 'none', text: 'none' };
    if (value.every((item) => typeof item === 'string' && FINDING_CODE.test(item))) return findingsDisplay(value as string[]);
    const items = value.map(listItem);
    if (items.every((item): item is string => item !== undefined))
      return { kind: 'list', items, raw: value.every((item) => !isRecord(item)) ? undefined : value };
    return { kind: 'raw', summary: `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`, raw: value };
  }
  if (isRecord(value)) {
    const summary = summarize(key, value);
    if (summary) return { kind: 'text', text: summary, raw: value };
    return { kind: 'raw', summary: 'details', raw: value };
  }
  return { kind: 'text', text: String(value) };
}

/** Every field of a finding's (or a chain step's) evidence, labelled and formatted, in the rule's order. */
export function evidenceFields(evidence: Record<string, unknown>, omit: readonly string[] = []): EvidenceField[] {
  return Object.entries(evidence)
    .filter(([key, value]) => !omit.includes(key) && value !== undefined)
    .map(([key, value]) => ({ key, label: evidenceLabel(key), display: formatEvidenceField(key, value) }));
}
