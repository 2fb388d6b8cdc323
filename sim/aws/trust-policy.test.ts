import { describe, expect, it } from 'vitest';
import { podIdentityTrustPolicy, trustAllowsAssumeRole, trustsPodIdentity } from './trust-policy';

describe('trustsPodIdentity (EKS create-time check)', () => {
  it('accepts the documented policy and a wildcard action', () => {
    expect(trustsPodIdentity(podIdentityTrustPolicy())).toBe(true);
    expect(
      trustsPodIdentity({
        Statement: { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'pods.eks.amazonaws.com'] }, Action: 'sts:*' },
      }),
    ).toBe(true);
  });

  it('rejects a policy without sts:TagSession, for another principal, or only as Deny', () => {
    expect(
      trustsPodIdentity({ Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    ).toBe(false);
    expect(
      trustsPodIdentity({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    ).toBe(false);
    expect(
      trustsPodIdentity({
        Statement: [{ Effect: 'Deny', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    ).toBe(false);
    expect(
      trustsPodIdentity({
        Statement: [
          { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::1:oidc-provider/x' }, Action: 'sts:AssumeRoleWithWebIdentity' },
        ],
      }),
    ).toBe(false);
  });
});

describe('trustAllowsAssumeRole (STS)', () => {
  const caller = { account: '111111111111', principalArns: ['arn:aws:iam::111111111111:root'] };

  it('allows the account root by ARN or by bare account id', () => {
    expect(
      trustAllowsAssumeRole(
        { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] },
        caller,
      ),
    ).toBe(true);
    expect(
      trustAllowsAssumeRole({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['111111111111'] }, Action: 'sts:AssumeRole' }] }, caller),
    ).toBe(true);
    expect(
      trustAllowsAssumeRole({ Statement: [{ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 'sts:AssumeRole' }] }, caller),
    ).toBe(false);
  });

  it('lets an explicit Deny win and checks sts:ExternalId', () => {
    const allow = { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' };
    expect(trustAllowsAssumeRole({ Statement: [allow, { ...allow, Effect: 'Deny' }] }, caller)).toBe(false);
    const withExternalId = { Statement: [{ ...allow, Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } }] };
    expect(trustAllowsAssumeRole(withExternalId, caller)).toBe(false);
    expect(trustAllowsAssumeRole(withExternalId, { ...caller, externalId: 'abc' })).toBe(true);
  });
});
