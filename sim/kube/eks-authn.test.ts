import { describe, expect, it } from 'vitest';
import type { SimEksCluster } from '../world';
import { canonicalArn, EksTokenError, presignedUrlOf } from './eks-authn';

const cluster = { name: 'prod', region: 'eu-west-1' } as SimEksCluster;
const now = new Date('2026-12-01T10:00:00Z');
const token = (url: string) => `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
const query = (extra = '', date = '20261201T095500Z') =>
  `Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261201%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date=${date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=ab${extra}`;

describe('the shape of an EKS token (aws-iam-authenticator token.go)', () => {
  it('accepts a regional or global STS URL, and the simulator stands in for STS', () => {
    expect(presignedUrlOf(token(`https://sts.eu-west-1.amazonaws.com/?${query()}`), cluster, undefined, now).expiresAt).toBe(
      Date.parse('2026-12-01T10:10:00Z'),
    );
    expect(() => presignedUrlOf(token(`https://sts.amazonaws.com/?${query()}`), cluster, undefined, now)).not.toThrow();
    expect(() => presignedUrlOf(token(`http://127.0.0.1:9/?${query()}`), cluster, 'http://127.0.0.1:9', now)).not.toThrow();
  });

  it.each([
    ['another host', `https://evil.example.com/?${query()}`, /unexpected hostname/],
    ['plain http to STS', `http://sts.eu-west-1.amazonaws.com/?${query()}`, /unexpected scheme/],
    ['another path', `https://sts.eu-west-1.amazonaws.com/x?${query()}`, /unexpected path/],
    ['an extra parameter', `https://sts.eu-west-1.amazonaws.com/?${query('&Foo=1')}`, /non-whitelisted/],
    ['a repeated parameter', `https://sts.eu-west-1.amazonaws.com/?${query('&Action=GetCallerIdentity')}`, /multiple values/],
    ['another action', `https://sts.eu-west-1.amazonaws.com/?${query().replace('GetCallerIdentity', 'AssumeRole')}`, /unexpected action/],
    [
      'an unsigned cluster header',
      `https://sts.eu-west-1.amazonaws.com/?${query().replace('%3Bx-k8s-aws-id', '')}`,
      /did not sign the x-k8s-aws-id/,
    ],
    [
      'an expiry past 900 s',
      `https://sts.eu-west-1.amazonaws.com/?${query().replace('X-Amz-Expires=60', 'X-Amz-Expires=901')}`,
      /X-Amz-Expires/,
    ],
    ['a date over 15 minutes old', `https://sts.eu-west-1.amazonaws.com/?${query('', '20261201T094459Z')}`, /expired/],
  ])('refuses %s', (_, url, message) => {
    expect(() => presignedUrlOf(token(url), cluster, undefined, now)).toThrow(message);
  });

  it('refuses a token without the prefix, padded base64 or over 4 KiB', () => {
    expect(() => presignedUrlOf('k8s-aws-v2.abc', cluster, undefined, now)).toThrow(EksTokenError);
    expect(() => presignedUrlOf(`${token('https://sts.amazonaws.com/')}==`, cluster, undefined, now)).toThrow(/base64url/);
    expect(() => presignedUrlOf(`k8s-aws-v1.${'A'.repeat(5000)}`, cluster, undefined, now)).toThrow(/too large/);
  });

  it('maps a role session to its role and keeps users as they are', () => {
    expect(canonicalArn('arn:aws:sts::111111111111:assumed-role/console/i-0abc')).toEqual({
      canonical: 'arn:aws:iam::111111111111:role/console',
      sessionName: 'i-0abc',
    });
    expect(canonicalArn('arn:aws:iam::111111111111:user/ci')).toEqual({ canonical: 'arn:aws:iam::111111111111:user/ci' });
    expect(() => canonicalArn('arn:aws:sts::111111111111:federated-user/x')).toThrow(EksTokenError);
  });
});
