import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetAwsClients } from '@/lib/aws/clients';
import { eksBearerTokenProvider } from './bearer-token';

// The token as aws-iam-authenticator's server reads it (pkg/token/token.go Verify): prefix, base64url of a
// presigned GetCallerIdentity URL to the regional STS host, the cluster header signed, X-Amz-Expires 60.

const saved = { ...process.env };
beforeAll(() => {
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete process.env[key];
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
  resetAwsClients();
});
afterAll(() => {
  process.env = saved;
  resetAwsClients();
});

const decode = (token: string) => new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));

describe('the EKS bearer token the console makes', () => {
  it('is a presigned sts:GetCallerIdentity URL for the cluster, as aws eks get-token makes it', async () => {
    const token = await eksBearerTokenProvider({ region: 'eu-west-1', credentials: {} }, 'prod', () =>
      Date.parse('2026-12-01T10:00:00Z'),
    )();
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261201T100000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs a new token 5 minutes before STS would stop honouring it, not before', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const provider = eksBearerTokenProvider({ region: 'eu-west-1', credentials: {} }, 'prod', () => now);
    const first = await provider();
    now += 9 * 60_000 + 59_000;
    expect(await provider()).toBe(first);
    now += 1_000;
    const second = await provider();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20261201T101000Z');
  });

  it('signs for the cluster it is asked for: another cluster name, another signature', async () => {
    const at = () => Date.parse('2026-12-01T10:00:00Z');
    const prod = decode(await eksBearerTokenProvider({ region: 'eu-west-1', credentials: {} }, 'prod', at)());
    const staging = decode(await eksBearerTokenProvider({ region: 'eu-west-1', credentials: {} }, 'staging', at)());
    expect(prod.searchParams.get('X-Amz-Signature')).not.toBe(staging.searchParams.get('X-Amz-Signature'));
  });
});
