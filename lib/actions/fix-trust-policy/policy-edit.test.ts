import { describe, expect, it } from 'vitest';
import { appendPodIdentityStatement, POD_IDENTITY_STATEMENT_SID } from './policy-edit';

const orgBlocked = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PodIdentity',
      Effect: 'Allow' as const,
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    },
  ],
};

describe('appendPodIdentityStatement', () => {
  it('appends the documented statement and keeps every existing statement untouched', () => {
    const fix = appendPodIdentityStatement(orgBlocked, 'payments-api');
    const statements = fix.after.Statement as unknown[];
    expect(statements).toHaveLength(2);
    expect(statements[0]).toEqual(orgBlocked.Statement[0]);
    expect(fix.appended).toEqual({
      Sid: POD_IDENTITY_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
  });

  it('does not modify the policy it was given', () => {
    const snapshot = JSON.stringify(orgBlocked);
    appendPodIdentityStatement(orgBlocked);
    expect(JSON.stringify(orgBlocked)).toBe(snapshot);
  });

  it('accepts a single statement object, as IAM allows, and turns Statement into a list', () => {
    const single = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
    };
    const fix = appendPodIdentityStatement(single);
    expect(fix.after.Statement).toEqual([single.Statement, fix.appended]);
  });

  it('picks a Sid that is not taken, since IAM rejects duplicate Sids', () => {
    const taken = {
      Version: '2012-10-17',
      Statement: [{ Sid: POD_IDENTITY_STATEMENT_SID, Effect: 'Deny' as const, Principal: '*' as const, Action: 'sts:AssumeRole' }],
    };
    expect(appendPodIdentityStatement(taken).appended.Sid).toBe(`${POD_IDENTITY_STATEMENT_SID}2`);
  });

  it('previews the change as a diff that only adds lines', () => {
    const { diff } = appendPodIdentityStatement(orgBlocked, 'payments-api');
    const changed = diff.split('\n').filter((line) => /^[+-](?![+-])/.test(line));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((line) => line.startsWith('+') || line === '-    }')).toBe(true);
    expect(diff).toContain('+      "Sid": "AllowEksAuthToAssumeRoleForPodIdentity"');
    expect(diff).toContain('payments-api trust policy (after)');
  });
});
