import { describe, expect, it } from 'vitest';
import { FINDING_CATALOG, SERVICE_ACCOUNT_CODES, isIdentityFinding, isSnapshotFinding, severityOf } from './catalog';

describe('the finding catalog', () => {
  it('has each code once, in its group, in order within the group (codes are an API: added at the end of a group)', () => {
    const codes = FINDING_CATALOG.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    const prefix: Record<string, string> = {
      'Pod Identity': 'PI',
      IRSA: 'IR',
      Identity: 'ID',
      'STS endpoint': 'ST',
      Cluster: 'CL',
      Permissions: 'PM',
      Snapshots: 'SN',
    };
    for (const group of Object.keys(prefix)) {
      const inGroup = FINDING_CATALOG.filter((entry) => entry.group === group).map((entry) => entry.code);
      expect(inGroup.every((code) => code.startsWith(prefix[group]))).toBe(true);
      expect(inGroup).toEqual(inGroup.map((_, i) => `${prefix[group]}${String(i + 1).padStart(3, '0')}`));
    }
  });

  it('gives severities as findings.md does, and refuses a code it does not know', () => {
    expect(severityOf('PI002')).toBe('error');
    expect(severityOf('PI013')).toBe('warning');
    expect(severityOf('SN005')).toBe('warning');
    expect(severityOf('PM004')).toBe('info');
    expect(() => severityOf('PI999')).toThrow('unknown finding code PI999');
  });

  it('offers the codes a service-account row can carry in the matrix filter, not the cluster-scope ones', () => {
    const codes = SERVICE_ACCOUNT_CODES.map((entry) => entry.code);
    expect(codes).toContain('PI005');
    expect(codes).toContain('SN006');
    expect(codes).toContain('PM001');
    for (const clusterScope of ['PI008', 'PI010', 'CL001', 'CL004']) expect(codes).not.toContain(clusterScope);
  });

  it('tells identity and permission causes (SN006) from snapshot symptoms and other codes', () => {
    expect(['PI002', 'IR002', 'ID002', 'PM001'].every(isIdentityFinding)).toBe(true);
    expect(['SN001', 'ST001', 'CL004', 'XX001'].some(isIdentityFinding)).toBe(false);
    expect(isSnapshotFinding('SN003')).toBe(true);
    expect(isSnapshotFinding('PI002')).toBe(false);
  });
});
