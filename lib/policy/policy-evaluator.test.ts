import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { arnMatch, evaluateTrustPolicy, explainDecision, statementsGranting, wildcardMatch, type RequestContext } from './policy-evaluator';
import { podIdentityRequestContext, roleChainRequestContext, webIdentityRequestContext } from './request-contexts';

const ctx = (keys: Record<string, string | string[]>, extra: Partial<RequestContext> = {}): RequestContext => ({
  principal: { service: 'pods.eks.amazonaws.com' },
  action: 'sts:AssumeRole',
  keys,
  otherKeys: 'absent',
  ...extra,
});

const allow = (condition?: PolicyStatement['Condition'], more: Partial<PolicyStatement> = {}): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      ...(condition ? { Condition: condition } : {}),
      ...more,
    },
  ],
});

const decide = (policy: PolicyDocument, c: RequestContext) => evaluateTrustPolicy(policy, c).decision;

describe('wildcards', () => {
  it('matches * and ? and nothing else specially', () => {
    expect(wildcardMatch('system:serviceaccount:ns:*', 'system:serviceaccount:ns:app')).toBe(true);
    expect(wildcardMatch('app-?', 'app-1')).toBe(true);
    expect(wildcardMatch('app-?', 'app-12')).toBe(false);
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
    expect(wildcardMatch('App', 'app')).toBe(false);
    expect(wildcardMatch('App', 'app', true)).toBe(true);
  });
  it('ArnLike matches the six parts separately', () => {
    expect(arnMatch('arn:aws:eks:*:111122223333:cluster/*', 'arn:aws:eks:us-east-1:111122223333:cluster/prod')).toBe(true);
    expect(arnMatch('arn:aws:eks:*:111122223333:cluster/*', 'arn:aws:eks:us-east-1:444455556666:cluster/prod')).toBe(false);
    // `*` in the region part cannot swallow the account part.
    expect(arnMatch('arn:aws:eks:*:cluster/prod', 'arn:aws:eks:us-east-1:111122223333:cluster/prod')).toBe(false);
  });
});

describe('actions and principals', () => {
  it('action wildcards sts:*, *, sts:Assume* cover AssumeRole; case-insensitive', () => {
    for (const action of ['sts:*', '*', 'sts:Assume*', 'STS:assumerole']) {
      expect(decide(allow(undefined, { Action: action }), ctx({}))).toBe('allow');
    }
    expect(decide(allow(undefined, { Action: 'sts:AssumeRoleWithWebIdentity' }), ctx({}))).toBe('implicit-deny');
  });
  it('Principal "*" and {AWS:"*"} match a service principal; another service does not', () => {
    expect(decide(allow(undefined, { Principal: '*' }), ctx({}))).toBe('allow');
    expect(decide(allow(undefined, { Principal: { AWS: '*' } }), ctx({}))).toBe('allow');
    const ev = evaluateTrustPolicy(allow(undefined, { Principal: { Service: 'ec2.amazonaws.com' } }), ctx({}));
    expect(ev.decision).toBe('implicit-deny');
    expect(ev.statements[0].reasons[0]).toContain('Principal does not name the service principal pods.eks.amazonaws.com');
  });
  it('an AWS principal matches the role ARN, the account root, and the bare account ID', () => {
    const c = ctx({}, { principal: { aws: 'arn:aws:iam::111122223333:role/source' } });
    for (const p of ['arn:aws:iam::111122223333:role/source', 'arn:aws:iam::111122223333:root', '111122223333']) {
      expect(decide(allow(undefined, { Principal: { AWS: p } }), c)).toBe('allow');
    }
    expect(decide(allow(undefined, { Principal: { AWS: 'arn:aws:iam::111122223333:role/other' } }), c)).toBe('implicit-deny');
    expect(decide(allow(undefined, { Principal: { AWS: 'arn:aws:iam::999999999999:root' } }), c)).toBe('implicit-deny');
  });
  it('NotAction allows every action it does not list', () => {
    expect(decide(allow(undefined, { Action: undefined, NotAction: 'sts:AssumeRoleWithSAML' }), ctx({}))).toBe('allow');
    expect(decide(allow(undefined, { Action: undefined, NotAction: 'sts:Assume*' }), ctx({}))).toBe('implicit-deny');
  });
  it('NotPrincipal on a Deny spares only the principals it names', () => {
    const policy: PolicyDocument = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
        { Effect: 'Deny', NotPrincipal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    expect(decide(policy, ctx({}))).toBe('allow');
    expect(decide(policy, ctx({}, { principal: { service: 'ec2.amazonaws.com' } }))).toBe('explicit-deny');
  });
  it('statementsGranting ignores conditions', () => {
    const p = allow({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } });
    expect(statementsGranting(p, { service: 'pods.eks.amazonaws.com' }, 'sts:TagSession')).toHaveLength(1);
    expect(statementsGranting(p, { service: 'ec2.amazonaws.com' }, 'sts:TagSession')).toHaveLength(0);
  });
});

describe('condition operators', () => {
  const one = (op: string, key: string, expected: string | string[] | boolean, keys: Record<string, string | string[]>) =>
    decide(allow({ [op]: { [key]: expected } }), ctx(keys));

  it('StringEquals: exact and case-sensitive, any of the listed values', () => {
    expect(one('StringEquals', 'aws:SourceAccount', ['1', '2'], { 'aws:SourceAccount': '2' })).toBe('allow');
    expect(one('StringEquals', 'aws:RequestTag/kubernetes-namespace', 'Prod', { 'aws:RequestTag/kubernetes-namespace': 'prod' })).toBe(
      'implicit-deny',
    );
  });
  it('condition key names are case-insensitive', () => {
    expect(one('StringEquals', 'AWS:sourceaccount', '2', { 'aws:SourceAccount': '2' })).toBe('allow');
  });
  it('StringNotEquals: true when no value matches, and for an absent key', () => {
    expect(one('StringNotEquals', 'aws:SourceAccount', '1', { 'aws:SourceAccount': '2' })).toBe('allow');
    expect(one('StringNotEquals', 'aws:SourceAccount', '2', { 'aws:SourceAccount': '2' })).toBe('implicit-deny');
    expect(one('StringNotEquals', 'aws:SourceAccount', '2', {})).toBe('allow');
  });
  it('StringEqualsIgnoreCase', () => {
    expect(one('StringEqualsIgnoreCase', 'k', 'PROD', { k: 'prod' })).toBe('allow');
    expect(one('StringEqualsIgnoreCase', 'k', 'PROD', { k: 'dev' })).toBe('implicit-deny');
  });
  it('StringLike with * and ?; StringNotLike', () => {
    expect(one('StringLike', 'sub', 'system:serviceaccount:ns:*', { sub: 'system:serviceaccount:ns:a' })).toBe('allow');
    expect(one('StringLike', 'sub', 'system:serviceaccount:ns:?', { sub: 'system:serviceaccount:ns:ab' })).toBe('implicit-deny');
    expect(one('StringNotLike', 'sub', 'system:serviceaccount:kube-*', { sub: 'system:serviceaccount:ns:a' })).toBe('allow');
    expect(one('StringNotLike', 'sub', 'system:serviceaccount:ns:*', { sub: 'system:serviceaccount:ns:a' })).toBe('implicit-deny');
  });
  it('ArnEquals / ArnLike / ArnNotEquals / ArnNotLike', () => {
    const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
    expect(one('ArnEquals', 'aws:SourceArn', arn, { 'aws:SourceArn': arn })).toBe('allow');
    expect(one('ArnLike', 'aws:SourceArn', 'arn:aws:eks:*:111122223333:cluster/*', { 'aws:SourceArn': arn })).toBe('allow');
    expect(one('ArnLike', 'aws:SourceArn', 'arn:aws:eks:*:111122223333:cluster/dev', { 'aws:SourceArn': arn })).toBe('implicit-deny');
    expect(one('ArnNotEquals', 'aws:SourceArn', arn, { 'aws:SourceArn': arn })).toBe('implicit-deny');
    expect(one('ArnNotLike', 'aws:SourceArn', 'arn:aws:eks:*:*:cluster/dev', { 'aws:SourceArn': arn })).toBe('allow');
  });
  it('Bool compares true/false, including a boolean JSON value', () => {
    expect(one('Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'true' })).toBe('allow');
    expect(one('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'true' })).toBe('implicit-deny');
  });
  it('Null tests presence', () => {
    expect(one('Null', 'aws:PrincipalOrgID', 'true', {})).toBe('allow');
    expect(one('Null', 'aws:PrincipalOrgID', 'false', {})).toBe('implicit-deny');
    expect(one('Null', 'aws:SourceAccount', 'false', { 'aws:SourceAccount': '1' })).toBe('allow');
  });
  it('IfExists: absent key passes, present key is tested', () => {
    expect(one('StringEqualsIfExists', 'aws:PrincipalOrgID', 'o-abc', {})).toBe('allow');
    expect(one('StringEqualsIfExists', 'aws:SourceAccount', '1', { 'aws:SourceAccount': '2' })).toBe('implicit-deny');
    expect(one('ArnLikeIfExists', 'aws:SourceArn', 'arn:aws:eks:*:*:cluster/*', { 'aws:SourceArn': 'arn:aws:eks:r:1:cluster/x' })).toBe(
      'allow',
    );
  });
  it('ForAnyValue / ForAllValues on a multi-valued key', () => {
    const tags = { 'aws:TagKeys': ['eks-cluster-name', 'kubernetes-namespace'] };
    expect(one('ForAnyValue:StringEquals', 'aws:TagKeys', 'kubernetes-namespace', tags)).toBe('allow');
    expect(one('ForAnyValue:StringEquals', 'aws:TagKeys', 'other', tags)).toBe('implicit-deny');
    expect(one('ForAllValues:StringEquals', 'aws:TagKeys', ['eks-cluster-name', 'kubernetes-namespace', 'x'], tags)).toBe('allow');
    expect(one('ForAllValues:StringEquals', 'aws:TagKeys', ['eks-cluster-name'], tags)).toBe('implicit-deny');
    // Empty-set semantics: ForAllValues is true, ForAnyValue is false for an absent key.
    expect(one('ForAllValues:StringEquals', 'aws:TagKeys', ['x'], {})).toBe('allow');
    expect(one('ForAnyValue:StringEquals', 'aws:TagKeys', ['x'], {})).toBe('implicit-deny');
    expect(one('ForAnyValue:StringLike', 'aws:TagKeys', ['kube*'], tags)).toBe('allow');
  });
  it('Numeric and Date operators', () => {
    expect(one('NumericLessThan', 'n', '10', { n: '5' })).toBe('allow');
    expect(one('NumericLessThan', 'n', '10', { n: '15' })).toBe('implicit-deny');
    expect(one('DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:CurrentTime': '2026-01-01T00:00:00Z' })).toBe('allow');
  });
  it('blocks are ANDed; values of one key are ORed', () => {
    const policy = allow({ StringEquals: { a: ['1', '2'], b: '3' }, StringLike: { c: 'x*' } });
    expect(decide(policy, ctx({ a: '2', b: '3', c: 'xy' }))).toBe('allow');
    expect(decide(policy, ctx({ a: '2', b: '4', c: 'xy' }))).toBe('implicit-deny');
  });
  it('an unknown operator or an unknown value gives unknown, not a verdict', () => {
    expect(one('StringFancy', 'a', '1', { a: '1' })).toBe('unknown');
    expect(decide(allow({ StringEquals: { x: '1' } }), ctx({}, { otherKeys: 'unknown' }))).toBe('unknown');
    // A failing condition beside an unknown one still decides.
    expect(decide(allow({ StringEquals: { x: '1', a: '2' } }), ctx({ a: '1' }, { otherKeys: 'unknown' }))).toBe('implicit-deny');
  });
});

describe('deny wins', () => {
  it('an explicit Deny overrides an Allow', () => {
    const policy: PolicyDocument = {
      Statement: [
        { Sid: 'Allow', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:*' },
        {
          Sid: 'NoProd',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'prod' } },
        },
      ],
    };
    const ev = evaluateTrustPolicy(policy, ctx({ 'aws:RequestTag/kubernetes-namespace': 'prod' }));
    expect(ev.decision).toBe('explicit-deny');
    expect(ev.deniedBy?.sid).toBe('NoProd');
    expect(explainDecision(ev)).toContain('NoProd');
    expect(decide(policy, ctx({ 'aws:RequestTag/kubernetes-namespace': 'dev' }))).toBe('allow');
  });
});

describe('request contexts', () => {
  const cluster = { clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod', clusterName: 'prod', clusterAccount: '111122223333' };
  it('Pod Identity: aws:PrincipalOrgID is absent for the service principal and fails a positive condition with that reason', () => {
    const ev = evaluateTrustPolicy(
      allow({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }),
      podIdentityRequestContext({ action: 'sts:AssumeRole', ...cluster, namespace: 'a', serviceAccount: 'b' }),
    );
    expect(ev.decision).toBe('implicit-deny');
    const c = ev.statements[0].conditions[0];
    expect(c).toMatchObject({ operator: 'StringEquals', key: 'aws:PrincipalOrgID', expected: ['o-abc123'], actual: null, outcome: 'fail' });
    expect(c.reason).toContain('never present for pods.eks.amazonaws.com');
  });
  it('Pod Identity: source and tag conditions match the cluster and SA', () => {
    const policy = allow({
      StringEquals: {
        'aws:SourceAccount': '111122223333',
        'aws:RequestTag/kubernetes-namespace': 'payments',
        'aws:RequestTag/kubernetes-service-account': 'api',
      },
      ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:111122223333:cluster/prod' },
    });
    const c = (ns: string) => podIdentityRequestContext({ action: 'sts:TagSession', ...cluster, namespace: ns, serviceAccount: 'api' });
    expect(decide(policy, c('payments'))).toBe('allow');
    expect(decide(policy, c('other'))).toBe('implicit-deny');
    // Without a namespace (some SA of the cluster) the tag condition is unknown.
    expect(decide(policy, podIdentityRequestContext({ action: 'sts:AssumeRole', ...cluster }))).toBe('unknown');
  });
  it('Pod Identity with session tags disabled: tag conditions cannot match', () => {
    const policy = allow({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'prod' } });
    const ev = evaluateTrustPolicy(
      policy,
      podIdentityRequestContext({ action: 'sts:AssumeRole', ...cluster, namespace: 'a', serviceAccount: 'b', disableSessionTags: true }),
    );
    expect(ev.decision).toBe('implicit-deny');
    expect(ev.statements[0].conditions[0].reason).toContain('disableSessionTags');
  });
  it('Pod Identity: a condition on the per-pod tag is unknown', () => {
    const policy = allow({ StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'api-*' } });
    expect(decide(policy, podIdentityRequestContext({ action: 'sts:AssumeRole', ...cluster, namespace: 'a', serviceAccount: 'b' }))).toBe(
      'unknown',
    );
  });
  it('web identity: sub and aud', () => {
    const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/ABC';
    const providerArn = `arn:aws:iam::111122223333:oidc-provider/${issuer}`;
    const policy: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${issuer}:sub`]: 'system:serviceaccount:ns:app', [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    };
    const c = (sa: string, aud = 'sts.amazonaws.com') =>
      webIdentityRequestContext({
        action: 'sts:AssumeRoleWithWebIdentity',
        issuer,
        providerArn,
        namespace: 'ns',
        serviceAccount: sa,
        audience: aud,
      });
    expect(decide(policy, c('app'))).toBe('allow');
    expect(decide(policy, c('other'))).toBe('implicit-deny');
    expect(decide(policy, c('app', 'other'))).toBe('implicit-deny');
  });
  it('role chain: the source role ARN and externalId', () => {
    const policy: PolicyDocument = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/src' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
        },
      ],
    };
    expect(
      decide(
        policy,
        roleChainRequestContext({ action: 'sts:AssumeRole', sourceRoleArn: 'arn:aws:iam::111122223333:role/src', externalId: 'ext-1' }),
      ),
    ).toBe('allow');
    expect(decide(policy, roleChainRequestContext({ action: 'sts:AssumeRole', sourceRoleArn: 'arn:aws:iam::111122223333:role/src' }))).toBe(
      'implicit-deny',
    );
  });
});
