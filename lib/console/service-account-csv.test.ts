import { describe, expect, it } from 'vitest';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { serviceAccountRowsToCsv } from './service-account-csv';

describe('CSV export', () => {
  it('writes a header and one quoted-as-needed line per row', () => {
    const row: ServiceAccountRow = {
      cluster: 'prod',
      namespace: 'payments',
      name: 'api',
      exists: true,
      podIdentity: {
        associationId: 'a-1',
        roleArn: 'arn:aws:iam::111122223333:role/api',
        targetRoleArn: null,
        ownerArn: null,
        disableSessionTags: false,
      },
      irsa: null,
      sts: { annotation: null, desired: 'regional', running: { regional: 0, legacy: 0, unset: 0 } },
      pods: { total: null, stale: null },
      mechanism: 'pod-identity',
      findings: [
        { code: 'PI005', severity: 'warning', title: 'a, "quoted" title', evidence: {}, subject: { kind: 'cluster', cluster: 'prod' } },
        { code: 'PI009', severity: 'warning', title: 't', evidence: {}, subject: { kind: 'cluster', cluster: 'prod' } },
      ],
      worstSeverity: 'warning',
    };
    const [header, line, end] = serviceAccountRowsToCsv([{ ...row, name: 'odd,"name"' }]).split('\r\n');
    expect(header.split(',').slice(0, 5)).toEqual(['cluster', 'namespace', 'name', 'exists', 'mechanism']);
    expect(line.startsWith('prod,payments,"odd,""name""",true,pod-identity,a-1,arn:aws:iam::111122223333:role/api,,')).toBe(true);
    // Unknown pod counts stay empty, never 0.
    expect(line.endsWith(',,,warning,PI005 PI009')).toBe(true);
    expect(end).toBe('');
  });
});
