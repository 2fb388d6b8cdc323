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
    // Each code with its title, so the export reads without the catalog at hand.
    expect(line.endsWith(',,,warning,PI005 PI009,"PI005: a, ""quoted"" title; PI009: t"')).toBe(true);
    expect(end).toBe('');
  });

  it("exports the association's session tags setting and session policy, quoted so the JSON stays one field", () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}';
    const row: ServiceAccountRow = {
      cluster: 'prod',
      namespace: 'batch',
      name: 'restate',
      exists: true,
      podIdentity: {
        associationId: 'a-2',
        roleArn: 'arn:aws:iam::111122223333:role/shared',
        targetRoleArn: null,
        ownerArn: null,
        disableSessionTags: true,
        policy,
      },
      irsa: null,
      sts: { annotation: null, desired: 'regional', running: { regional: 0, legacy: 0, unset: 0 } },
      pods: { total: 1, stale: 0 },
      mechanism: 'pod-identity',
      findings: [],
      worstSeverity: null,
    };
    const [header, line] = serviceAccountRowsToCsv([row]).split('\r\n');
    const columns = header.split(',');
    const fields = parseCsvLine(line);
    expect(fields).toHaveLength(columns.length);
    expect(fields[columns.indexOf('podIdentityDisableSessionTags')]).toBe('true');
    expect(JSON.parse(fields[columns.indexOf('podIdentityPolicy')])).toEqual(JSON.parse(policy));
    const plain = parseCsvLine(
      serviceAccountRowsToCsv([{ ...row, podIdentity: { ...row.podIdentity!, disableSessionTags: false, policy: undefined } }]).split(
        '\r\n',
      )[1],
    );
    expect(plain[columns.indexOf('podIdentityDisableSessionTags')]).toBe('false');
    expect(plain[columns.indexOf('podIdentityPolicy')]).toBe('');
  });
});

/** RFC 4180 fields of one line: quoted fields may hold commas and doubled quotes. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else value += line[i++];
      }
      fields.push(value);
      i += 2;
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}
