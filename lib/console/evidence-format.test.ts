import { describe, expect, it } from 'vitest';
import { evidenceFields, formatEvidenceField } from './evidence-format';
import { formatAge, formatTimestamp } from './format';

// Issue 14, problem 4: the SN001 evidence of the demo read "Threshold Seconds 7200", "Oldest Age Seconds 93818",
// "Snapshot Interval Num Records none", "2x-snapshot-interval" and JSON expanders.

const sn001 = {
  source: 's3://restate-snapshots/payments',
  thresholdSeconds: 7200,
  thresholdReason: '2x-snapshot-interval',
  oldestAgeSeconds: 93_818,
  oldestPartition: { id: 0, createdAt: '2026-11-30T06:05:55Z', snapshotId: 'snap_00stale', nodeName: 'restate-0' },
  stalePartitions: [{ id: 0, ageSeconds: 93_818, createdAt: '2026-11-30T06:05:55Z' }],
  snapshotInterval: { seconds: 3600, from: 'RestateCluster restate-payments spec.config' },
  snapshotIntervalNumRecords: null,
};

describe('evidence in plain words', () => {
  it('reads an SN001 finding without seconds, reason ids or JSON', () => {
    const text = Object.fromEntries(
      evidenceFields(sn001).map((field) => [field.label, 'text' in field.display ? field.display.text : field.display]),
    );
    expect(text.Threshold).toBe('2 h');
    expect(text['Threshold from']).toBe('twice the snapshot interval');
    expect(text['Oldest snapshot']).toBe('1 d 2 h ago');
    expect(text['Snapshot interval']).toBe('1 h, from RestateCluster restate-payments spec.config');
    expect(text['Snapshot every N records']).toBe('not set');
    expect(text['Oldest partition']).toBe('partition 0, snapshot taken 2026-11-30 06:05:55 UTC+00:00, by restate-0');
    expect(evidenceFields(sn001).find((field) => field.key === 'stalePartitions')?.display).toMatchObject({
      kind: 'list',
      items: ['partition 0, 1 d 2 h old'],
    });
  });

  it('keeps what has no plain form exact, behind a raw toggle, and never as the first thing shown', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] };
    expect(formatEvidenceField('trustPolicy', trust)).toEqual({ kind: 'raw', summary: 'details', raw: trust });
    expect(formatEvidenceField('oldestPartition', sn001.oldestPartition)).toMatchObject({ kind: 'text', raw: sn001.oldestPartition });
  });

  it('names finding codes with their titles, and says "none" instead of an empty list', () => {
    expect(formatEvidenceField('findings', [])).toEqual({ kind: 'none', text: 'none' });
    expect(formatEvidenceField('findings', ['PI001'])).toEqual({
      kind: 'findings',
      codes: [{ code: 'PI001', title: "The association's role or target role does not exist" }],
    });
  });

  it('shows one time format with the UTC offset, ARNs as copyable values', () => {
    expect(formatEvidenceField('associationCreatedAt', '2026-12-01T00:28:58.000Z')).toEqual({
      kind: 'time',
      iso: '2026-12-01T00:28:58.000Z',
      text: '2026-12-01 00:28:58 UTC+00:00',
    });
    expect(formatEvidenceField('roleArn', 'arn:aws:iam::111122223333:role/api')).toEqual({
      kind: 'arn',
      arn: 'arn:aws:iam::111122223333:role/api',
    });
    expect(formatEvidenceField('latestFailure', { name: 'etcd-snapshot-1', time: '2026-12-01T06:05:56Z' })).toMatchObject({
      text: '2026-12-01 06:05:56 UTC+00:00 (etcd-snapshot-1)',
    });
  });

  it('formats durations and times the same way everywhere', () => {
    expect(formatAge(42)).toBe('42 s');
    expect(formatAge(5400)).toBe('1 h 30 min');
    expect(formatAge(null)).toBe('unknown');
    expect(formatTimestamp('2026-12-01T00:28:58+02:00')).toBe('2026-11-30 22:28:58 UTC+00:00');
    expect(formatTimestamp(null)).toBe('unknown');
  });
});
