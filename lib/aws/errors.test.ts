import { describe, expect, it } from 'vitest';
import { AssumeRoleError } from './clients';
import { awsSourceError } from './errors';
import { decodePolicyDocument } from './iam';

const sdkError = (name: string, message: string, attempts = 1) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, attempts } });
const getRole = {
  source: 'iam' as const,
  operation: 'GetRole',
  action: 'iam:GetRole',
  subject: { roleArn: 'arn:aws:iam::111122223333:role/a' },
};

describe('awsSourceError', () => {
  it("names the IAM action the console lacks on AccessDenied, in either service's spelling", () => {
    expect(awsSourceError(getRole, sdkError('AccessDenied', 'not authorized'))).toEqual({
      source: 'iam',
      operation: 'GetRole',
      code: 'AccessDenied',
      message: 'not authorized',
      missingPermission: 'iam:GetRole',
      subject: { roleArn: 'arn:aws:iam::111122223333:role/a' },
    });
    const eks = {
      source: 'eks' as const,
      operation: 'DescribePodIdentityAssociation',
      action: 'eks:DescribePodIdentityAssociation',
      cluster: 'prod',
    };
    expect(awsSourceError(eks, sdkError('AccessDeniedException', 'no'))).toMatchObject({
      cluster: 'prod',
      missingPermission: 'eks:DescribePodIdentityAssociation',
    });
  });

  it('says a throttled call gave up after its retries, and has no missing permission', () => {
    const error = awsSourceError(getRole, sdkError('Throttling', 'Rate exceeded', 3));
    expect(error.message).toBe('throttled by IAM after 3 attempts: Rate exceeded');
    expect(error.missingPermission).toBeUndefined();
  });

  it('says the endpoint is unreachable on a connection failure', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(awsSourceError(getRole, refused)).toMatchObject({ code: 'ECONNREFUSED', message: expect.stringContaining('endpoint') });
    expect(awsSourceError(getRole, refused).message).toContain('is unreachable: connect ECONNREFUSED');
  });

  it('blames the role the console could not assume, not the call it was for', () => {
    const error = awsSourceError(
      getRole,
      new AssumeRoleError('arn:aws:iam::444455556666:role/reader', sdkError('AccessDenied', 'not authorized to perform sts:AssumeRole')),
    );
    expect(error).toMatchObject({
      source: 'sts',
      operation: 'AssumeRole',
      code: 'AccessDenied',
      missingPermission: 'sts:AssumeRole on arn:aws:iam::444455556666:role/reader',
    });
    expect(error.message).toContain('GetRole was not attempted');
  });
});

describe('IAM documents and ARNs', () => {
  it('decodes the URL-encoded trust policy IAM returns', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(policy)))).toEqual(policy);
    expect(decodePolicyDocument(JSON.stringify(policy))).toEqual(policy);
  });
});
