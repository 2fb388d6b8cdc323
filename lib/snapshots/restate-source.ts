import { severityOf } from '@/lib/identity/catalog';
import type { Finding } from '@/lib/model/finding';
import { destinationScheme, parseS3Url, partitionPrefix, type S3Location } from './destination';
import { formatAge } from '@/lib/console/format';
import { parseLatestSnapshot, parseRfc3339 } from './latest-json';
import { RESTATE_MAX_PARTITION_ID, RESTATE_MAX_PARTITIONS } from '@/lib/limits/read-limits';
import type {
  RestatePartition,
  RestateSnapshotSettings,
  RestateSnapshotSource,
  S3ReadError,
  S3Reader,
  SnapshotState,
  SnapshotWriter,
  SourceOrigin,
  SourceProblem,
  ThresholdReason,
} from './types';

// Reads one Restate destination through S3 and judges it (findings.md SN001–SN003). Layout (domain.md §2a):
// `<prefix>/<partition_id>/latest.json` per partition, partition ids decimal.

export const DEFAULT_RESTATE_THRESHOLD_SECONDS = 24 * 3600;

export interface RestateSourceToRead {
  cluster?: string;
  /** The normalized destination URL. */
  source: string;
  name?: string;
  writer?: SnapshotWriter;
  origin: SourceOrigin[];
  settings?: RestateSnapshotSettings;
  threshold: { seconds: number; reason: ThresholdReason };
  problems: SourceProblem[];
}

/**
 * SN001's threshold: an explicit per-source override, else 2 × snapshot-interval when time-based, else the
 * source's configured maxAge, else 24 h.
 */
export function restateThreshold(input: { overrideSeconds?: number; snapshotIntervalSeconds?: number; maxAgeSeconds?: number }): {
  seconds: number;
  reason: ThresholdReason;
} {
  if (input.overrideSeconds !== undefined) return { seconds: input.overrideSeconds, reason: 'override' };
  if (input.snapshotIntervalSeconds !== undefined) return { seconds: 2 * input.snapshotIntervalSeconds, reason: '2x-snapshot-interval' };
  if (input.maxAgeSeconds !== undefined) return { seconds: input.maxAgeSeconds, reason: 'max-age' };
  return { seconds: DEFAULT_RESTATE_THRESHOLD_SECONDS, reason: 'default-24h' };
}

/** Lists the destination, reads every partition's latest.json (the reader bounds the concurrency), and judges it. */
export async function readRestateSource(target: RestateSourceToRead, reader: S3Reader | null, now: Date): Promise<RestateSnapshotSource> {
  const scheme = destinationScheme(target.source);
  if (scheme !== 's3') {
    return judgeRestateSource(target, {
      error: {
        operation: 'read destination',
        code: 'UnsupportedDestination',
        message: `The console reads snapshots only through S3; a ${scheme ?? 'scheme-less'} destination (${target.source}) cannot be read by it.`,
      },
    });
  }
  const location = parseS3Url(target.source);
  if (!location || !reader) {
    return judgeRestateSource(target, {
      error: { operation: 'read destination', code: 'InvalidDestination', message: `"${target.source}" names no S3 bucket.` },
    });
  }
  const listPrefix = location.prefix === '' ? '' : `${location.prefix}/`;
  let listing: { keys?: string[]; commonPrefixes?: string[] };
  try {
    listing = await reader.listObjectsV2All(location.bucket, listPrefix, '/');
  } catch (error) {
    return judgeRestateSource(target, { error: { operation: 'ListObjectsV2', ...s3Error(error) }, location });
  }
  const ids = new Set<number>();
  const outOfRange: string[] = [];
  for (const commonPrefix of listing.commonPrefixes ?? []) {
    const segment = commonPrefix.slice(listPrefix.length).replace(/\/$/, '');
    if (!/^\d+$/.test(segment)) continue;
    // Restate writes ids as plain decimals 0..65534 (RESTATE_MAX_PARTITION_ID); anything else is not its directory.
    const id = Number(segment);
    if (segment.length > 5 || id > RESTATE_MAX_PARTITION_ID || String(id) !== segment) outOfRange.push(segment);
    else ids.add(id);
  }
  if (outOfRange.length > 0) {
    return judgeRestateSource(target, {
      error: {
        operation: 'ListObjectsV2',
        code: 'InvalidPartitionId',
        message: `the destination holds ${outOfRange.length} director${outOfRange.length === 1 ? 'y' : 'ies'} that cannot be a Restate partition (${outOfRange
          .slice(0, 3)
          .map((segment) => `${listPrefix}${segment.slice(0, 24)}${segment.length > 24 ? '…' : ''}/`)
          .join(', ')}); partition ids are 0–${RESTATE_MAX_PARTITION_ID} (at most ${RESTATE_MAX_PARTITIONS} partitions)`,
      },
      location,
    });
  }
  let max = -1;
  for (const id of ids) max = Math.max(max, id);
  const partitions = await Promise.all(Array.from({ length: max + 1 }, (_, id) => readPartition(reader, location, id, ids.has(id), now)));
  return judgeRestateSource(target, { partitions, location });
}

/**
 * readRestateSource, and whatever goes wrong reading it stays with this source (SN003 with the reason): one
 * hostile or broken destination never fails the snapshot page, the matrix or an API answer.
 */
export async function readRestateSourceSafely(
  target: RestateSourceToRead,
  reader: S3Reader | null,
  now: Date,
): Promise<RestateSnapshotSource> {
  try {
    return await readRestateSource(target, reader, now);
  } catch (error) {
    const { code, message } = s3Error(error);
    return judgeRestateSource(target, { error: { operation: 'read destination', code, message } });
  }
}

async function readPartition(reader: S3Reader, location: S3Location, id: number, listed: boolean, now: Date): Promise<RestatePartition> {
  const key = `${partitionPrefix(location, id)}latest.json`;
  const empty = {
    id,
    key,
    ageSeconds: null,
    createdAt: null,
    snapshotId: null,
    minAppliedLsn: null,
    nodeName: null,
    path: null,
    version: null,
  };
  if (!listed) return { ...empty, state: 'missing', missingReason: 'no-partition-directory' };
  let text: string;
  try {
    text = await reader.getObjectText(location.bucket, key);
  } catch (error) {
    const { code, message } = s3Error(error);
    if (code === 'NoSuchKey' || code === 'NotFound') return { ...empty, state: 'missing', missingReason: 'no-latest-json' };
    return { ...empty, state: 'unreadable', error: { code, message } };
  }
  try {
    const latest = parseLatestSnapshot(text);
    const createdMs = parseRfc3339(latest.newestCreatedAt)!;
    return {
      id,
      key,
      state: 'fresh', // judged against the threshold below
      ageSeconds: Math.max(0, Math.round((now.getTime() - createdMs) / 1000)),
      createdAt: latest.newestCreatedAt,
      snapshotId: latest.snapshotId,
      minAppliedLsn: latest.minAppliedLsn,
      nodeName: latest.nodeName,
      path: latest.path,
      version: latest.version,
      ...(latest.retainedSnapshots !== undefined ? { retainedSnapshots: latest.retainedSnapshots } : {}),
    };
  } catch (error) {
    return { ...empty, state: 'unreadable', error: { code: 'InvalidLatestJson', message: (error as Error).message } };
  }
}

interface ReadOutcome {
  partitions?: RestatePartition[];
  error?: S3ReadError & { operation: string };
  location?: S3Location;
}

/** Pure: states and findings from what was read. */
export function judgeRestateSource(target: RestateSourceToRead, outcome: ReadOutcome): RestateSnapshotSource {
  const subject = { kind: 'snapshot-source' as const, source: target.source, ...(target.cluster ? { cluster: target.cluster } : {}) };
  const where = outcome.location ? { bucket: outcome.location.bucket, prefix: outcome.location.prefix } : {};
  const findings: Finding[] = [];
  const partitions = (outcome.partitions ?? []).map((partition) =>
    partition.state === 'fresh' && partition.ageSeconds !== null && partition.ageSeconds > target.threshold.seconds
      ? { ...partition, state: 'stale' as const }
      : partition,
  );

  let state: SnapshotState;
  if (outcome.error) {
    state = 'unreadable';
    findings.push({
      code: 'SN003',
      severity: severityOf('SN003'),
      subject,
      title: `Snapshots at ${target.source} cannot be read: ${outcome.error.code}`,
      evidence: {
        source: target.source,
        ...where,
        operation: outcome.error.operation,
        code: outcome.error.code,
        message: outcome.error.message,
      },
    });
  } else {
    const unreadable = partitions.filter((partition) => partition.state === 'unreadable');
    const missing = partitions.filter((partition) => partition.state === 'missing');
    const stale = partitions.filter((partition) => partition.state === 'stale');
    const withSnapshot = partitions.filter((partition) => partition.ageSeconds !== null);

    if (unreadable.length > 0) {
      findings.push({
        code: 'SN003',
        severity: severityOf('SN003'),
        subject,
        title: `latest.json of ${unreadable.length} partition${plural(unreadable.length)} at ${target.source} cannot be read: ${unreadable[0].error!.code}`,
        evidence: {
          source: target.source,
          ...where,
          operation: 'GetObject',
          code: unreadable[0].error!.code,
          message: unreadable[0].error!.message,
          partitions: unreadable.map((partition) => ({
            id: partition.id,
            key: partition.key,
            code: partition.error!.code,
            message: partition.error!.message,
          })),
        },
      });
    }
    if (partitions.length === 0 || (missing.length > 0 && withSnapshot.length === 0 && unreadable.length === 0)) {
      findings.push({
        code: 'SN002',
        severity: severityOf('SN002'),
        subject,
        title: `No Restate partition has a snapshot at ${target.source}`,
        evidence: {
          source: target.source,
          ...where,
          partitionDirectoriesWithoutLatestJson: missing.filter((p) => p.missingReason === 'no-latest-json').map((p) => p.id),
          ...settingsEvidence(target.settings),
        },
      });
    } else if (missing.length > 0) {
      findings.push({
        code: 'SN002',
        severity: severityOf('SN002'),
        subject,
        title: `${missing.length} partition${plural(missing.length)} at ${target.source} ${missing.length === 1 ? 'has' : 'have'} never been snapshotted (no latest.json)`,
        evidence: {
          source: target.source,
          ...where,
          missingPartitions: missing.map((partition) => partition.id),
          withoutLatestJson: missing.filter((p) => p.missingReason === 'no-latest-json').map((p) => p.id),
          withoutPartitionDirectory: missing.filter((p) => p.missingReason === 'no-partition-directory').map((p) => p.id),
          partitionsWithSnapshot: withSnapshot.length,
        },
      });
    }
    if (stale.length > 0) {
      const oldest = stale.reduce((worst, partition) => (partition.ageSeconds! > worst.ageSeconds! ? partition : worst));
      findings.push({
        code: 'SN001',
        severity: severityOf('SN001'),
        subject,
        title: `${stale.length} of ${partitions.length} partition${plural(partitions.length)} at ${target.source} have no snapshot newer than ${formatAge(target.threshold.seconds)} (oldest ${formatAge(oldest.ageSeconds!)})`,
        evidence: {
          source: target.source,
          thresholdSeconds: target.threshold.seconds,
          thresholdReason: target.threshold.reason,
          oldestAgeSeconds: oldest.ageSeconds,
          oldestPartition: { id: oldest.id, createdAt: oldest.createdAt, snapshotId: oldest.snapshotId, nodeName: oldest.nodeName },
          stalePartitions: stale.map((partition) => ({
            id: partition.id,
            ageSeconds: partition.ageSeconds,
            createdAt: partition.createdAt,
          })),
          ...settingsEvidence(target.settings),
        },
      });
    }

    if (withSnapshot.length === 0 && unreadable.length > 0) state = 'unreadable';
    else if (withSnapshot.length === 0) state = 'failing';
    else if (stale.length > 0 || missing.length > 0) state = 'stale';
    else state = 'fresh';
  }

  return {
    kind: 'restate',
    ...(target.cluster ? { cluster: target.cluster } : {}),
    source: target.source,
    ...(target.name ? { name: target.name } : {}),
    ...(target.writer ? { writer: target.writer } : {}),
    state,
    origin: target.origin,
    ...(target.settings ? { settings: target.settings } : {}),
    threshold: target.threshold,
    partitions,
    ...(outcome.error ? { error: outcome.error } : {}),
    problems: target.problems,
    findings,
  };
}

function settingsEvidence(settings: RestateSnapshotSettings | undefined): Record<string, unknown> {
  if (!settings) return {};
  return {
    snapshotInterval: settings.snapshotInterval ? { seconds: settings.snapshotInterval.value, from: settings.snapshotInterval.from } : null,
    snapshotIntervalNumRecords: settings.snapshotIntervalNumRecords
      ? { value: settings.snapshotIntervalNumRecords.value, from: settings.snapshotIntervalNumRecords.from }
      : null,
  };
}

/** The {code, message} of an S3 failure, whatever shape the caller's error has. */
function s3Error(error: unknown): S3ReadError {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
    Code?: unknown;
    message?: unknown;
  };
  const code =
    [record.code, record.Code, record.name].find(
      (value): value is string => typeof value === 'string' && value !== '' && value !== 'Error',
    ) ?? 'Error';
  const message = typeof record.message === 'string' ? record.message : String(error);
  return { code, message };
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
