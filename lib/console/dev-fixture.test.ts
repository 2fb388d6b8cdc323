import { describe, expect, it } from 'vitest';
import { MECHANISMS } from './matrix-url';
import { SERVICE_ACCOUNT_CODES } from './finding-catalog';
import { buildDevFleet, detailKey } from './dev-fixture';

// The fixture stands in for the pipeline until the merge; the UI is only reviewed well if it shows every case.

describe('dev fleet fixture', () => {
  const fleet = buildDevFleet(Date.parse('2026-11-22T12:00:00Z'), 36);

  it('has every mechanism, severity and service-account finding code (bar the snapshot rules owned elsewhere)', () => {
    expect(new Set(fleet.rows.map((row) => row.mechanism))).toEqual(new Set(MECHANISMS));
    expect(new Set(fleet.rows.map((row) => row.worstSeverity ?? 'ok'))).toEqual(new Set(['error', 'warning', 'info', 'ok']));
    const codes = new Set(fleet.rows.flatMap((row) => row.findings.map((finding) => finding.code)));
    const expected = SERVICE_ACCOUNT_CODES.map((entry) => entry.code).filter((code) => !code.startsWith('SN') || code === 'SN006');
    expect(expected.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('keeps one row per identity, each with a detail whose findings match the row', () => {
    const keys = fleet.rows.map((row) => detailKey(row.cluster, row.namespace, row.name));
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of fleet.rows) expect(fleet.details.get(detailKey(row.cluster, row.namespace, row.name))?.findings).toEqual(row.findings);
  });

  it('degrades rather than blanks: unreadable pods give unknown counts and a source error for that cluster', () => {
    const unknownRows = fleet.rows.filter((row) => row.pods.total === null);
    expect(unknownRows.length).toBeGreaterThan(0);
    for (const row of unknownRows) expect(fleet.errors.some((error) => error.cluster === row.cluster && error.source === 'kubernetes')).toBe(true);
  });
});
