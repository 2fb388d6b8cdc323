import { describe, expect, it } from 'vitest';
import type { FleetState, PolicyStatement, RolePolicies } from '@/lib/model/cluster-state';
import { accessIndexOf, lookUpAccess } from './access-index';
import {
  association,
  eksCluster,
  fleet,
  iamRole,
  podIdentityStatement,
  roleArn,
  roles,
  serviceAccount,
  webIdentityStatement,
} from './test-fixtures';

// The reverse lookup (api.md GET /api/v1/access): who may do this action on this resource, with the deciding
// statement, over every service account's effective identity.

const inline = (...Statement: PolicyStatement[]): RolePolicies => ({
  inline: [{ name: 'app', document: { Version: '2012-10-17', Statement } }],
  managed: [],
  errors: [],
});

const WRITER = roleArn('writer');
const READER = roleArn('reader');
const BOUNDED = roleArn('bounded');
const WEB = roleArn('web');
const PUT = { action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/p1.json' };

function lookupFleet(extra: Partial<FleetState> = {}): FleetState {
  const c = eksCluster({
    serviceAccounts: [
      serviceAccount('payments', 'writer'),
      serviceAccount('payments', 'reader'),
      serviceAccount('batch', 'bounded'),
      serviceAccount('shop', 'web', { 'eks.amazonaws.com/role-arn': WEB }),
      serviceAccount('shop', 'none'),
      serviceAccount('shop', 'ghost'),
    ],
    associations: [
      association('payments', 'writer', { roleArn: WRITER, associationId: 'a-1' }),
      association('payments', 'reader', { roleArn: READER, associationId: 'a-2' }),
      association('batch', 'bounded', { roleArn: BOUNDED, associationId: 'a-3' }),
      association('shop', 'ghost', { roleArn: roleArn('gone'), associationId: 'a-4' }),
    ],
  });
  const f = fleet([c], {
    roles: {
      ...roles(
        iamRole(WRITER, [podIdentityStatement()]),
        iamRole(READER, [podIdentityStatement()]),
        iamRole(BOUNDED, [podIdentityStatement()]),
        iamRole(WEB, [webIdentityStatement('shop', 'web')]),
      ),
      [roleArn('gone')]: { status: 'missing' },
    },
  });
  return {
    ...f,
    policies: {
      [WRITER]: inline({ Sid: 'Write', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::snaps/prod/*' }),
      [READER]: inline({ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::snaps/*' }),
      [BOUNDED]: {
        ...inline({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }),
        boundary: {
          arn: 'arn:aws:iam::111122223333:policy/reads',
          name: 'reads',
          versionId: 'v1',
          document: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] },
        },
      },
      [WEB]: inline({ Sid: 'Admin', Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    },
    ...extra,
  };
}

const everyone = () => true;
const names = (answers: ReturnType<typeof lookUpAccess>) => answers.map((a) => `${a.namespace}/${a.name}:${a.decision}`).sort();

describe('lookUpAccess', () => {
  it('finds who may PutObject, through Pod Identity and IRSA, with the granting statement', () => {
    const answers = lookUpAccess(lookupFleet(), PUT, everyone);
    expect(names(answers)).toEqual(['payments/writer:allowed', 'shop/web:allowed']);
    const writer = answers.find((a) => a.name === 'writer')!;
    expect(writer).toMatchObject({ mechanism: 'pod-identity', roleArn: WRITER });
    expect(writer.verdict.statements).toEqual([expect.objectContaining({ sid: 'Write', effect: 'Allow' })]);
    expect(answers.find((a) => a.name === 'web')).toMatchObject({ mechanism: 'irsa', roleArn: WEB });
  });

  it('leaves out a role allowed * whose boundary does not allow the action, and one that only reads', () => {
    const answers = lookUpAccess(lookupFleet(), PUT, everyone);
    expect(answers.map((a) => a.name)).not.toContain('bounded');
    expect(answers.map((a) => a.name)).not.toContain('reader');
    // The bounded role may still read.
    expect(names(lookUpAccess(lookupFleet(), { action: 's3:GetObject', resource: PUT.resource }, everyone))).toEqual([
      'batch/bounded:allowed',
      'payments/reader:allowed',
      'shop/web:allowed',
    ]);
  });

  it('answers by the service of the action, whatever its case, and still finds `*` and wildcard-service statements', () => {
    const f = lookupFleet();
    const wildService = {
      ...f,
      policies: { ...f.policies, [READER]: inline({ Sid: 'AnyGet', Effect: 'Allow', Action: 's*:Get*', Resource: '*' }) },
    };
    // BOUNDED's `*` is indexed under every service; its boundary allows s3:Get* only.
    expect(names(lookUpAccess(wildService, { action: 'S3:GETOBJECT', resource: PUT.resource }, everyone))).toEqual([
      'batch/bounded:allowed',
      'payments/reader:allowed',
      'shop/web:allowed',
    ]);
    // Only READER's `s*:Get*` can match sqs: found through the wildcard-service list, not through an sqs entry.
    expect(names(lookUpAccess(wildService, { action: 'sqs:GetQueueUrl', resource: '*' }, everyone))).toEqual(['payments/reader:allowed']);
    expect(accessIndexOf(wildService).byService.get('s3')?.length).toBe(2);
    expect(lookUpAccess(f, { action: 'sqs:SendMessage', resource: '*' }, everyone)).toEqual([]);
  });

  it('shows an explicit Deny in the bucket policy as denied, naming the statement', () => {
    const f = lookupFleet({
      bucketPolicies: {
        snaps: {
          status: 'found',
          account: '111122223333',
          policy: {
            Statement: [
              {
                Sid: 'NoWeb',
                Effect: 'Deny',
                Principal: { AWS: WEB },
                Action: 's3:PutObject',
                Resource: 'arn:aws:s3:::snaps/*',
              },
            ],
          },
        },
      },
    });
    const web = lookUpAccess(f, PUT, everyone).find((a) => a.name === 'web')!;
    expect(web.decision).toBe('denied');
    expect(web.verdict.statements).toEqual([expect.objectContaining({ sid: 'NoWeb', effect: 'Deny' })]);
  });

  it('finds a role that only the bucket policy allows (same account), though none of its own statements names the action', () => {
    const f = lookupFleet({
      bucketPolicies: {
        snaps: {
          status: 'found',
          account: '111122223333',
          policy: {
            Statement: [
              { Sid: 'ReaderMayWrite', Effect: 'Allow', Principal: { AWS: READER }, Action: 's3:Put*', Resource: 'arn:aws:s3:::snaps/*' },
            ],
          },
        },
      },
    });
    const reader = lookUpAccess(f, PUT, everyone).find((a) => a.name === 'reader')!;
    expect(reader.decision).toBe('allowed');
    expect(reader.verdict.statements).toEqual([expect.objectContaining({ sid: 'ReaderMayWrite' })]);
  });

  it('still judges a statement whose Resource holds a policy variable (the shortcut cannot rule it out)', () => {
    const f = lookupFleet();
    f.policies![READER] = inline({
      Sid: 'OwnNamespace',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::snaps/${aws:PrincipalTag/kubernetes-namespace}/*',
    });
    const query = { action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/payments/x' };
    expect(names(lookUpAccess(f, query, everyone))).toContain('payments/reader:allowed');
    expect(names(lookUpAccess(f, { ...query, resource: 'arn:aws:s3:::snaps/batch/x' }, everyone))).not.toContain('payments/reader:allowed');
  });

  it('says unknown, not allowed or denied, when a role’s policies could not be read', () => {
    const f = lookupFleet();
    f.policies![WRITER] = { inline: null, managed: [], errors: [] };
    expect(names(lookUpAccess(f, PUT, everyone))).toContain('payments/writer:unknown');
  });

  it('sees only what `include` lets through (the caller’s scope)', () => {
    const answers = lookUpAccess(lookupFleet(), PUT, ({ namespace }) => namespace === 'payments');
    expect(names(answers)).toEqual(['payments/writer:allowed']);
  });

  it('indexes each SA once, keeps the ones without identity out and says why an identity is unknown', () => {
    const f = lookupFleet();
    const index = accessIndexOf(f);
    expect(accessIndexOf(f)).toBe(index);
    expect(index.subjects.map((s) => s.name).sort()).toEqual(['bounded', 'reader', 'web', 'writer']);
    expect(index.unknown).toEqual([expect.objectContaining({ name: 'ghost', reason: expect.stringContaining('does not exist') })]);
  });
});
