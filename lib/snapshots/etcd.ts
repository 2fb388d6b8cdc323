import { severityOf } from '@/lib/identity/catalog';
import type { ClusterState } from '@/lib/model/cluster-state';
import type { Finding } from '@/lib/model/finding';
import type { ConfigMap, KubeObject } from '@/lib/model/kube-objects';
import { formatAge } from '@/lib/console/format';
import { discoverEtcdS3Writers } from './etcd-writers';
import { parseRfc3339 } from './latest-json';
import { scheduleIntervalSeconds } from './schedule';
import type { EtcdLocation, EtcdSnapshotSource, EtcdTimelineEntry, SourceOrigin, SourceProblem } from './types';

// K3s/RKE2 etcd snapshots (domain.md §2b). Records: the cluster-scoped ETCDSnapshotFile CRs (k3s.cattle.io/v1,
// K3s ≥ v1.28.4+k3s2; RKE2 uses the same CRD) — read from `status`, not the printer columns — else the legacy
// ConfigMap kube-system/k3s-etcd-snapshots (RKE2: rke2-etcd-snapshots). Freshness per storage location: each
// node's local snapshot dir, and S3. Findings: SN004 (failure in the last 24 h), SN005 (1.5 × schedule).

const STORAGE_NODE_LABELS = ['etcd.k3s.cattle.io/snapshot-storage-node', 'etcd.rke2.cattle.io/snapshot-storage-node'];
const LEGACY_CONFIGMAPS = ['k3s-etcd-snapshots', 'rke2-etcd-snapshots'];
/** K3s keeps failed ETCDSnapshotFile records for 24 h; SN004 looks at the same window. */
const FAILURE_WINDOW_SECONDS = 24 * 3600;
const TIMELINE_WINDOW_SECONDS = 7 * 86_400;
/** SN005: a storage location is stale past this many schedule intervals (also the etcd max-age metric). */
export const SN005_FACTOR = 1.5;

interface EtcdRecord {
  name: string;
  location: string;
  kind: 'node' | 's3';
  timeMs: number;
  time: string;
  /** null: neither ready nor failed (still being written). */
  ok: boolean | null;
  message?: string;
  size?: string;
  s3?: EtcdLocation['s3'];
}

export function evaluateEtcdSnapshots(cluster: ClusterState, scheduleExpression: string, now: Date): EtcdSnapshotSource[] {
  const problems: SourceProblem[] = [];
  let records: EtcdRecord[] = [];
  let recordKind: EtcdSnapshotSource['records'] = 'ETCDSnapshotFile';
  let origin: SourceOrigin = { kind: 'ETCDSnapshotFile', cluster: cluster.name };

  const files = cluster.kube.etcdSnapshotFiles ?? [];
  if (files.length > 0) {
    records = files.map((file) => recordFromSnapshotFile(file, problems)).filter((record): record is EtcdRecord => record !== null);
  } else {
    // Older K3s/RKE2 (or a cluster whose CRD is empty) keep the list in a ConfigMap instead.
    const legacy = (cluster.kube.configMaps ?? []).find(
      (configMap) => (configMap.metadata.namespace ?? 'default') === 'kube-system' && LEGACY_CONFIGMAPS.includes(configMap.metadata.name),
    );
    if (!legacy) return [];
    recordKind = 'ConfigMap';
    origin = { kind: 'ConfigMap', cluster: cluster.name, namespace: 'kube-system', name: legacy.metadata.name };
    records = recordsFromLegacyConfigMap(legacy, problems);
  }
  if (records.length === 0 && problems.length === 0) return [];

  let intervalSeconds: number;
  try {
    intervalSeconds = scheduleIntervalSeconds(scheduleExpression);
  } catch (error) {
    throw new Error(`etcd snapshot schedule for cluster ${cluster.name}: ${(error as Error).message}`);
  }

  const byLocation = new Map<string, EtcdRecord[]>();
  for (const record of records) byLocation.set(record.location, [...(byLocation.get(record.location) ?? []), record]);

  const sources = [...byLocation.entries()]
    .sort(([a], [b]) => (a === 's3' ? 1 : b === 's3' ? -1 : a.localeCompare(b)))
    .map(([location, locationRecords]) =>
      judgeLocation(
        cluster.name,
        location,
        locationRecords,
        { expression: scheduleExpression, intervalSeconds },
        now,
        recordKind,
        origin,
        problems,
      ),
    );
  return sources.map((source) => withPodWriter(cluster, source));
}

/**
 * The S3 location's writer, when a pod uploads there with its workload identity: the bucket must be the one the
 * records name, and the folder too when both are known. Two such pods for one bucket: the first found.
 */
function withPodWriter(cluster: ClusterState, source: EtcdSnapshotSource): EtcdSnapshotSource {
  const s3 = source.locations[0]?.kind === 's3' ? source.locations[0].s3 : undefined;
  if (!s3?.bucket) return source;
  const folder = (s3.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const writer = discoverEtcdS3Writers(cluster).find((candidate) => {
    const [bucket, ...rest] = candidate.destination.replace(/^s3:\/\//, '').split('/');
    return bucket === s3.bucket && (!folder || !rest.length || rest.join('/') === folder);
  });
  if (!writer) return source;
  return {
    ...source,
    writer: { cluster: cluster.name, namespace: writer.namespace, serviceAccount: writer.serviceAccount, workload: writer.workload },
  };
}

function judgeLocation(
  clusterName: string,
  location: string,
  records: EtcdRecord[],
  schedule: { expression: string; intervalSeconds: number },
  now: Date,
  recordKind: EtcdSnapshotSource['records'],
  origin: SourceOrigin,
  problems: SourceProblem[],
): EtcdSnapshotSource {
  const source = `${clusterName}/${location}`;
  const subject = { kind: 'snapshot-source' as const, source, cluster: clusterName };
  const nowMs = now.getTime();
  const sorted = [...records].sort((a, b) => b.timeMs - a.timeMs);
  const newestSuccess = sorted.find((record) => record.ok === true) ?? null;
  const recentFailures = sorted.filter((record) => record.ok === false && nowMs - record.timeMs <= FAILURE_WINDOW_SECONDS * 1000);
  const kind = records.some((record) => record.kind === 's3') ? 's3' : 'node';
  const s3 = records.find((record) => record.s3)?.s3;
  const findings: Finding[] = [];
  const where = kind === 's3' ? 'S3' : `node ${location}`;

  if (recentFailures.length > 0) {
    const latest = recentFailures[0];
    findings.push({
      code: 'SN004',
      severity: severityOf('SN004'),
      subject,
      title: `etcd snapshot to ${where} on ${clusterName} failed ${recentFailures.length === 1 ? 'once' : `${recentFailures.length} times`} in the last 24 h: ${firstLine(latest.message)}`,
      evidence: {
        cluster: clusterName,
        location,
        message: latest.message ?? '',
        latestFailure: { name: latest.name, time: latest.time },
        failures: recentFailures.map((record) => ({ name: record.name, time: record.time, message: record.message ?? '' })),
        ...(s3 ? { s3 } : {}),
        record: recordKind,
      },
    });
  }
  const limitSeconds = SN005_FACTOR * schedule.intervalSeconds;
  const ageSeconds = newestSuccess ? Math.max(0, Math.round((nowMs - newestSuccess.timeMs) / 1000)) : null;
  const tooOld = ageSeconds === null || ageSeconds > limitSeconds;
  if (tooOld) {
    findings.push({
      code: 'SN005',
      severity: severityOf('SN005'),
      subject,
      title:
        ageSeconds === null
          ? `No successful etcd snapshot in ${where} on ${clusterName}`
          : `Newest successful etcd snapshot in ${where} on ${clusterName} is ${formatAge(ageSeconds)} old (expected every ${formatAge(schedule.intervalSeconds)})`,
      evidence: {
        cluster: clusterName,
        location,
        newestSuccess: newestSuccess ? { name: newestSuccess.name, time: newestSuccess.time } : null,
        ageSeconds,
        schedule: schedule.expression,
        intervalSeconds: schedule.intervalSeconds,
        limitSeconds,
      },
    });
  }

  const latestRecent = sorted.find((record) => record.ok !== null);
  const failing =
    (latestRecent?.ok === false && nowMs - latestRecent.timeMs <= FAILURE_WINDOW_SECONDS * 1000) ||
    (newestSuccess === null && recentFailures.length > 0);
  const locationState: EtcdLocation['state'] = failing ? 'failing' : tooOld ? 'stale' : 'fresh';

  const timeline: EtcdTimelineEntry[] = sorted
    .filter((record) => record.ok !== null && nowMs - record.timeMs <= TIMELINE_WINDOW_SECONDS * 1000)
    .reverse()
    .map((record) => ({
      time: record.time,
      ok: record.ok === true,
      name: record.name,
      ...(record.ok === false && record.message ? { message: record.message } : {}),
    }));

  const etcdLocation: EtcdLocation = {
    location,
    kind,
    state: locationState,
    ...(s3 ? { s3 } : {}),
    newestSuccess: newestSuccess
      ? {
          name: newestSuccess.name,
          time: newestSuccess.time,
          ageSeconds: ageSeconds!,
          ...(newestSuccess.size ? { size: newestSuccess.size } : {}),
        }
      : null,
    recentFailures: recentFailures.map((record) => ({ name: record.name, time: record.time, message: record.message ?? '' })),
    timeline,
  };
  return {
    kind: 'etcd',
    cluster: clusterName,
    source,
    state: locationState,
    origin: [origin],
    records: recordKind,
    schedule,
    locations: [etcdLocation],
    problems,
    findings,
  };
}

function recordFromSnapshotFile(file: KubeObject, problems: SourceProblem[]): EtcdRecord | null {
  const spec = asRecord(file.spec) ?? {};
  const status = asRecord(file.status) ?? {};
  const error = asRecord(status.error);
  const name = stringOr(spec.snapshotName) ?? file.metadata.name;
  const locationUrl = stringOr(spec.location) ?? '';
  const label = STORAGE_NODE_LABELS.map((key) => file.metadata.labels?.[key]).find((value) => value !== undefined && value !== '');
  const isS3 = label === 's3' || locationUrl.startsWith('s3://') || asRecord(spec.s3) !== undefined;
  const location = isS3 ? 's3' : (label ?? stringOr(spec.nodeName));
  if (!location) {
    problems.push({
      reason: `ETCDSnapshotFile ${file.metadata.name} names neither a storage node nor S3.`,
      evidence: { name: file.metadata.name },
    });
    return null;
  }
  const failed = status.readyToUse !== true && error !== undefined;
  const time = failed
    ? (stringOr(error?.time) ?? stringOr(status.creationTime) ?? file.metadata.creationTimestamp)
    : (stringOr(status.creationTime) ?? file.metadata.creationTimestamp);
  const timeMs = time ? parseRfc3339(time) : null;
  if (!time || timeMs === null) {
    problems.push({
      reason: `ETCDSnapshotFile ${file.metadata.name} has no readable creation time.`,
      evidence: { name: file.metadata.name, time },
    });
    return null;
  }
  const s3Spec = asRecord(spec.s3);
  return {
    name,
    location,
    kind: isS3 ? 's3' : 'node',
    time,
    timeMs,
    ok: status.readyToUse === true ? true : failed ? false : null,
    ...(failed ? { message: stringOr(error?.message) ?? '' } : {}),
    ...(status.size !== undefined ? { size: String(status.size) } : {}),
    ...(s3Spec ? { s3: pickS3(s3Spec) } : {}),
  };
}

/** Values: JSON `{name, location, nodeName, createdAt, size, status: successful|failed, message (base64)}`. */
function recordsFromLegacyConfigMap(configMap: ConfigMap, problems: SourceProblem[]): EtcdRecord[] {
  const records: EtcdRecord[] = [];
  for (const [key, value] of Object.entries(configMap.data ?? {})) {
    let entry: Record<string, unknown> | undefined;
    try {
      entry = asRecord(JSON.parse(value));
    } catch {
      entry = undefined;
    }
    const createdAt = stringOr(entry?.createdAt);
    const timeMs = createdAt ? parseRfc3339(createdAt) : null;
    if (!entry || !createdAt || timeMs === null) {
      problems.push({
        reason: `Entry ${key} of ConfigMap kube-system/${configMap.metadata.name} is not a snapshot record with a createdAt time.`,
        evidence: { key, value: value.slice(0, 200) },
      });
      continue;
    }
    const locationUrl = stringOr(entry.location) ?? '';
    const nodeName = stringOr(entry.nodeName);
    const isS3 = locationUrl.startsWith('s3://') || nodeName === 's3' || asRecord(entry.s3) !== undefined;
    const location = isS3 ? 's3' : nodeName;
    if (!location) {
      problems.push({ reason: `Entry ${key} of ConfigMap kube-system/${configMap.metadata.name} names no node.`, evidence: { key } });
      continue;
    }
    // Records written before K3s added `status` are successful snapshots.
    const failed = entry.status === 'failed';
    const s3Spec = asRecord(entry.s3);
    records.push({
      name: stringOr(entry.name) ?? key,
      location,
      kind: isS3 ? 's3' : 'node',
      time: createdAt,
      timeMs,
      ok: !failed,
      ...(failed ? { message: decodeBase64(stringOr(entry.message) ?? '') } : {}),
      ...(entry.size !== undefined ? { size: String(entry.size) } : {}),
      ...(s3Spec ? { s3: pickS3(s3Spec) } : {}),
    });
  }
  return records;
}

function decodeBase64(text: string): string {
  if (text === '') return '';
  // K3s stores the message base64-encoded; fall back to the raw text when it is not.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return text;
  return Buffer.from(text, 'base64').toString('utf8');
}

function pickS3(s3: Record<string, unknown>): NonNullable<EtcdLocation['s3']> {
  return {
    ...(stringOr(s3.bucket) ? { bucket: stringOr(s3.bucket) } : {}),
    ...(stringOr(s3.prefix) || stringOr(s3.folder) ? { prefix: stringOr(s3.prefix) ?? stringOr(s3.folder) } : {}),
    ...(stringOr(s3.endpoint) ? { endpoint: stringOr(s3.endpoint) } : {}),
    ...(stringOr(s3.region) ? { region: stringOr(s3.region) } : {}),
  };
}

function firstLine(message: string | undefined): string {
  const line = (message ?? '').split('\n')[0].trim();
  if (line === '') return '(no message)';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
