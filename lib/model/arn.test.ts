import { describe, expect, it } from 'vitest';
import { accountOfArn, lastSegmentOf, parseRoleArn, principalArnOfCaller, roleNameOf, sameRole } from './arn';

describe('role ARNs', () => {
  it('splits partition, account, path and name as IAM defines them', () => {
    expect(parseRoleArn('arn:aws:iam::111122223333:role/team/payments/api')).toEqual({
      partition: 'aws',
      account: '111122223333',
      path: '/team/payments/',
      name: 'api',
    });
    expect(parseRoleArn('arn:aws-us-gov:iam::111122223333:role/api')).toMatchObject({ partition: 'aws-us-gov', path: '/', name: 'api' });
  });

  it('refuses what is not a role ARN: users, short accounts, bad names, padding, another service', () => {
    for (const text of [
      'arn:aws:iam::111122223333:user/api',
      'arn:aws:iam::11112222333:role/api',
      'arn:aws:iam::111122223333:role/has space',
      `arn:aws:iam::111122223333:role/${'n'.repeat(65)}`,
      ' arn:aws:iam::111122223333:role/api',
      'arn:aws:sts::111122223333:role/api',
      'arn:aws:sts::111122223333:assumed-role/x/y',
      'arn:aws:iam::111122223333:role/',
      'payments-api',
    ])
      expect(parseRoleArn(text), text).toBeNull();
  });

  it('shows the role name, the last segment of a malformed role ARN, and anything else as it is', () => {
    expect(roleNameOf('arn:aws:iam::111122223333:role/team/payments-api')).toBe('payments-api');
    expect(roleNameOf('arn:aws:iam::111122223333:role/team/bad name')).toBe('bad name');
    expect(roleNameOf('arn:aws:iam::111122223333:user/ops')).toBe('arn:aws:iam::111122223333:user/ops');
    expect(roleNameOf('payments-api')).toBe('payments-api');
  });

  it("reads any ARN's account, and none from an S3 ARN", () => {
    expect(accountOfArn('arn:aws:eks:us-east-1:111122223333:cluster/prod')).toBe('111122223333');
    expect(accountOfArn('arn:aws:iam::111122223333:role/api')).toBe('111122223333');
    expect(accountOfArn('arn:aws:s3:::bucket/key')).toBeNull();
    expect(accountOfArn(undefined)).toBeNull();
  });

  it('knows one role by its account and name, with or without its path, and nothing else', () => {
    expect(sameRole('arn:aws:iam::111122223333:role/ops/console', 'arn:aws:iam::111122223333:role/console')).toBe(true);
    expect(sameRole('arn:aws:iam::111122223333:role/console', 'arn:aws:iam::444455556666:role/console')).toBe(false);
    expect(sameRole('arn:aws:iam::111122223333:role/console', 'arn:aws:iam::111122223333:role/console-2')).toBe(false);
    expect(sameRole('arn:aws:iam::111122223333:user/console', 'arn:aws:iam::111122223333:user/console')).toBe(false);
  });
});

describe('other ARNs', () => {
  it('an assumed-role session is named by its role, as an access entry names it; any other caller by its own ARN', () => {
    expect(principalArnOfCaller('arn:aws:sts::111122223333:assumed-role/console-reader/i-0abc')).toBe(
      'arn:aws:iam::111122223333:role/console-reader',
    );
    expect(principalArnOfCaller('arn:aws-cn:sts::111122223333:assumed-role/console/session')).toBe(
      'arn:aws-cn:iam::111122223333:role/console',
    );
    expect(principalArnOfCaller('arn:aws:iam::111122223333:user/ops')).toBe('arn:aws:iam::111122223333:user/ops');
  });

  it("an access policy's name is the ARN's last segment", () => {
    expect(lastSegmentOf('arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy')).toBe('AmazonEKSViewPolicy');
  });
});
