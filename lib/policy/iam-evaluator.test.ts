import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { evaluateAccess, sessionIdentity, type AccessDecision, type PolicySource, type SessionInput } from './iam-evaluator';

// The IAM user guide's evaluation rules as a table. Each case names the page (docs.aws.amazon.com/IAM/latest/
// UserGuide/<page>.html, source awsdocs/iam-user-guide doc_source/<page>.md) and the passage it encodes.

const ROLE = 'arn:aws:iam::111122223333:role/restate';
const OTHER_ROLE = 'arn:aws:iam::444455556666:role/other';
const BUCKET = 'arn:aws:s3:::restate-snapshots';
const OBJECT = `${BUCKET}/prod/1/latest.json`;

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: string | string[], Resource: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});
const inline = (...statements: PolicyStatement[]): PolicySource => ({ kind: 'inline', name: 'inline', document: doc(...statements) });
const boundary = (...statements: PolicyStatement[]): PolicySource => ({
  kind: 'boundary',
  name: 'boundary',
  arn: 'arn:aws:iam::111122223333:policy/boundary',
  document: doc(...statements),
});
const bucketPolicy = (...statements: PolicyStatement[]): PolicySource => ({
  kind: 'resource',
  name: 'bucket policy',
  document: doc(...statements),
});

const TAGS = {
  clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod',
  clusterName: 'prod',
  namespace: 'restate',
  serviceAccount: 'restate',
};

interface Case {
  source: string;
  name: string;
  session: Partial<SessionInput>;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  resourcePolicy?: { source: PolicySource; account: string | null };
  expected: AccessDecision;
}

const cases: Case[] = [
  // reference_policies_evaluation-logic: "By default, all requests are implicitly denied"
  {
    source: 'reference_policies_evaluation-logic',
    name: 'no policy: implicit deny',
    session: {},
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'an identity-based Allow allows',
    session: { identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/*`))] },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: '"An explicit deny in any of the policies overrides the allow"',
    session: { identityPolicies: [inline(allow('s3:*', '*'), deny('s3:GetObject', `${BUCKET}/prod/*`))] },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'explicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'same account: "If either the identity-based policy or the resource-based policy ... allows the request ... still allowed" (resource side)',
    session: { identityPolicies: [inline(allow('s3:ListBucket', BUCKET))] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } })), account: '111122223333' },
    expected: 'allowed',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'same account: an explicit Deny in the bucket policy wins over an identity Allow',
    session: { identityPolicies: [inline(allow('s3:*', '*'))] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(deny('s3:*', `${BUCKET}/*`, { Principal: { AWS: '111122223333' } })), account: '111122223333' },
    expected: 'explicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'same account: a bucket policy naming the account (not the role) delegates to the identity policies',
    session: { identityPolicies: [] },
    action: 's3:GetObject',
    resource: OBJECT,
    resourcePolicy: {
      source: bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: 'arn:aws:iam::111122223333:root' } })),
      account: '111122223333',
    },
    expected: 'implicit-deny',
  },
  // reference_policies_evaluation-logic-cross-account: "The request is allowed only if both evaluations return a decision of Allow"
  {
    source: 'reference_policies_evaluation-logic-cross-account',
    name: 'cross-account: identity allows, bucket policy silent: denied',
    session: { identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/*`))] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: {
      source: bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: OTHER_ROLE } })),
      account: '999988887777',
    },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic-cross-account',
    name: 'cross-account: bucket policy allows the account, identity silent: denied',
    session: { identityPolicies: [] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: {
      source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: '111122223333' } })),
      account: '999988887777',
    },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic-cross-account',
    name: 'cross-account: both allow: allowed',
    session: { identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/*`))] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: {
      source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: '111122223333' } })),
      account: '999988887777',
    },
    expected: 'allowed',
  },
  {
    source: 'reference_policies_evaluation-logic-cross-account',
    name: 'bucket account unknown and only one side allows: unknown, not guessed',
    session: { identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/*`))] },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' })), account: null },
    expected: 'unknown',
  },
  // access_policies_boundaries: "The effective permissions are the intersection of both policy types"
  {
    source: 'access_policies_boundaries',
    name: 'identity allows, boundary does not: denied',
    session: { identityPolicies: [inline(allow('s3:*', '*'))], boundary: boundary(allow('s3:GetObject', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'access_policies_boundaries',
    name: 'boundary allows, identity does not: denied (a boundary grants nothing)',
    session: { identityPolicies: [inline(allow('s3:GetObject', '*'))], boundary: boundary(allow('*', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'access_policies_boundaries',
    name: 'both allow: allowed',
    session: { identityPolicies: [inline(allow('s3:PutObject', '*'))], boundary: boundary(allow('s3:*', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: '"IAM role – Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit deny in a permissions boundary"',
    session: { identityPolicies: [], boundary: boundary(allow('s3:GetObject', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } })), account: '111122223333' },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'a bucket policy open to everyone grants the session directly, past an implicit deny in the boundary',
    session: { identityPolicies: [], boundary: boundary(allow('s3:GetObject', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: '*' })), account: '111122223333' },
    expected: 'allowed',
  },
  {
    source: 'access_policies_boundaries',
    name: 'an unreadable boundary makes an identity allow unknown',
    session: { identityPolicies: [inline(allow('s3:*', '*'))], boundary: null },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'unknown',
  },
  // access_policies (policies_session): "Session policies limit the permissions ... but do not grant permissions"
  {
    source: 'access_policies#policies_session',
    name: 'session policy narrower than the role: denied',
    session: { identityPolicies: [inline(allow('s3:*', '*'))], sessionPolicy: doc(allow('s3:GetObject', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'access_policies#policies_session',
    name: 'session policy wider than the role grants nothing',
    session: { identityPolicies: [inline(allow('s3:GetObject', '*'))], sessionPolicy: doc(allow('*', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'access_policies#policies_session',
    name: 'role ARN in the bucket policy: "The session policy limits the total permissions granted by the resource-based policy"',
    session: { identityPolicies: [], sessionPolicy: doc(allow('s3:GetObject', '*')) },
    action: 's3:PutObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:PutObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } })), account: '111122223333' },
    expected: 'implicit-deny',
  },
  // reference_policies_elements (Action/NotAction/Resource/NotResource) and wildcard case rules (domain.md §1d)
  {
    source: 'reference_policies_elements_action',
    name: 'action names are case-insensitive',
    session: { identityPolicies: [inline(allow('S3:putobject', `${BUCKET}/*`))] },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_resource',
    name: 'resources are case-sensitive',
    session: { identityPolicies: [inline(allow('s3:PutObject', 'arn:aws:s3:::Restate-Snapshots/*'))] },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_notaction',
    name: 'Allow with NotAction iam:* allows everything else',
    session: { identityPolicies: [inline({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    action: 's3:PutObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_notaction',
    name: 'Allow with NotAction iam:* does not allow iam:PassRole',
    session: { identityPolicies: [inline({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    action: 'iam:PassRole',
    resource: ROLE,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_notresource',
    name: 'Deny with NotResource denies everything outside the bucket',
    session: {
      identityPolicies: [inline(allow('s3:*', '*'), { Effect: 'Deny', Action: 's3:*', NotResource: [`${BUCKET}`, `${BUCKET}/*`] })],
    },
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::elsewhere/key',
    expected: 'explicit-deny',
  },
  // reference_policies_variables
  {
    source: 'reference_policies_variables',
    name: 'ABAC: ${aws:PrincipalTag/kubernetes-namespace} in the Resource matches the session tag',
    session: {
      identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/\${aws:PrincipalTag/kubernetes-namespace}/*`))],
      sessionTags: TAGS,
    },
    action: 's3:PutObject',
    resource: `${BUCKET}/restate/1/latest.json`,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_variables#policy-vars-no-value',
    name: '"the resource that includes a policy variable with no value will not match any resource" (session tags disabled)',
    session: { identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/\${aws:PrincipalTag/kubernetes-namespace}/*`))] },
    action: 's3:PutObject',
    resource: `${BUCKET}/restate/1/latest.json`,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_variables#policy-vars-default-values',
    name: 'a default value stands in for a missing tag',
    session: { identityPolicies: [inline(allow('s3:PutObject', `${BUCKET}/\${aws:PrincipalTag/team, 'shared'}/*`))] },
    action: 's3:PutObject',
    resource: `${BUCKET}/shared/x`,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_variables#policy-vars-specialchars',
    name: '${*} is a literal asterisk, not a wildcard',
    session: { identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/\${*}`))] },
    action: 's3:GetObject',
    resource: `${BUCKET}/anything`,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_variables#policy-vars-specialchars',
    name: '${*} matches an object literally named *',
    session: { identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/\${*}`))] },
    action: 's3:GetObject',
    resource: `${BUCKET}/*`,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_variables',
    name: 'a substituted tag value is literal: a tag "a*" does not act as a wildcard',
    session: { identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/\${aws:PrincipalTag/team}`))], roleTags: { team: 'a*' } },
    action: 's3:GetObject',
    resource: `${BUCKET}/abc`,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_variables',
    name: '${aws:username} has no value for a role session',
    session: { identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/\${aws:username}/*`))] },
    action: 's3:GetObject',
    resource: `${BUCKET}/restate/x`,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_variables',
    name: 'a per-pod tag (kubernetes-pod-name) makes the verdict unknown, not allowed',
    session: {
      identityPolicies: [inline(allow('s3:GetObject', `${BUCKET}/\${aws:PrincipalTag/kubernetes-pod-name}/*`))],
      sessionTags: TAGS,
    },
    action: 's3:GetObject',
    resource: `${BUCKET}/restate-0/x`,
    expected: 'unknown',
  },
  // reference_policies_elements_condition_operators
  {
    source: 'reference_policies_elements_condition_operators#Conditions_String',
    name: 'StringLike on s3:prefix with the request key present',
    session: { identityPolicies: [inline(allow('s3:ListBucket', BUCKET, { Condition: { StringLike: { 's3:prefix': ['prod/*'] } } }))] },
    action: 's3:ListBucket',
    resource: BUCKET,
    context: { 's3:prefix': 'prod/' },
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_condition_operators',
    name: '"If the key ... is not present in the request context, the values do not match"',
    session: {
      identityPolicies: [inline(allow('s3:ListBucket', BUCKET, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } } }))],
    },
    action: 's3:ListBucket',
    resource: BUCKET,
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_IfExists',
    name: '"If you are using an Effect: Deny element with a negated condition operator like StringNotEqualsIfExists, the request is still denied even if the tag is missing"',
    session: {
      identityPolicies: [
        inline(allow('s3:*', '*'), deny('s3:*', '*', { Condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'data' } } })),
      ],
      roleTags: { team: 'web' },
    },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'explicit-deny',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_Null',
    name: 'Null true: the tag key is absent',
    session: { identityPolicies: [inline(allow('s3:GetObject', '*', { Condition: { Null: { 'aws:PrincipalTag/team': 'true' } } }))] },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_Boolean',
    name: 'Bool aws:SecureTransport false denies plain HTTP only; SDK calls are TLS',
    session: {
      identityPolicies: [inline(allow('s3:*', '*'), deny('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))],
    },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_IPAddress',
    name: 'IpAddress with a CIDR against a known source IP',
    session: { identityPolicies: [inline(allow('s3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))] },
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SourceIp': '10.1.2.3' },
    expected: 'allowed',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_IPAddress',
    name: 'NotIpAddress with an IPv6 range',
    session: { identityPolicies: [inline(allow('s3:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '2001:db8::/32' } } }))] },
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SourceIp': '2001:db8::1' },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_Numeric',
    name: 'NumericLessThanEquals on s3:max-keys',
    session: {
      identityPolicies: [inline(allow('s3:ListBucket', BUCKET, { Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }))],
    },
    action: 's3:ListBucket',
    resource: BUCKET,
    context: { 's3:max-keys': '11' },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_Date',
    name: 'DateLessThan with an ISO 8601 date',
    session: {
      identityPolicies: [
        inline(allow('s3:GetObject', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
      ],
    },
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
    expected: 'allowed',
  },
  {
    source: 'reference_policies_variables#policy-vars-wheretouse',
    name: 'variables are not substituted in Numeric/Date/Bool/IP operators',
    session: {
      identityPolicies: [inline(allow('s3:GetObject', '*', { Condition: { NumericEquals: { 's3:max-keys': '${aws:PrincipalTag/n}' } } }))],
      roleTags: { n: '5' },
    },
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 's3:max-keys': '5' },
    expected: 'implicit-deny',
  },
  {
    source: 'reference_policies_elements_condition_operators#Conditions_String',
    name: 'StringEquals on a session tag (ABAC) with tags on',
    session: {
      identityPolicies: [
        inline(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/kubernetes-namespace': 'restate' } } })),
      ],
      sessionTags: TAGS,
    },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'id_session-tags',
    name: 'a session tag overrides a role tag of the same key',
    session: {
      identityPolicies: [
        inline(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/kubernetes-namespace': 'restate' } } })),
      ],
      roleTags: { 'kubernetes-namespace': 'other' },
      sessionTags: TAGS,
    },
    action: 's3:GetObject',
    resource: OBJECT,
    expected: 'allowed',
  },
  {
    source: 'reference_policies_evaluation-logic',
    name: 'identity policies that could not be read: an allow from the rest is unknown, never allowed',
    session: { identityPolicies: null, unreadable: ['ListAttachedRolePolicies failed'] },
    action: 's3:GetObject',
    resource: OBJECT,
    resourcePolicy: { source: bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: ROLE } })), account: '111122223333' },
    expected: 'unknown',
  },
];

describe('evaluateAccess: the IAM user guide, case by case', () => {
  it.each(cases)('$source: $name', (c) => {
    const session = sessionIdentity({ roleArn: ROLE, identityPolicies: [], ...c.session } as SessionInput);
    const verdict = evaluateAccess(session, { action: c.action, resource: c.resource, context: c.context }, c.resourcePolicy ?? null);
    expect(verdict.decision, verdict.reasons.join('; ')).toBe(c.expected);
  });

  it('names the deciding Deny statement and every policy that took part', () => {
    const session = sessionIdentity({
      roleArn: ROLE,
      identityPolicies: [
        inline(allow('s3:*', '*')),
        {
          kind: 'managed',
          name: 'guard',
          arn: 'arn:aws:iam::111122223333:policy/guard',
          document: doc(deny('s3:DeleteObject', '*', { Sid: 'NoDelete' })),
        },
      ],
    });
    const verdict = evaluateAccess(session, { action: 's3:DeleteObject', resource: OBJECT });
    expect(verdict.decision).toBe('explicit-deny');
    expect(verdict.statements).toMatchObject([{ sid: 'NoDelete', policy: { kind: 'managed', name: 'guard' }, effect: 'Deny' }]);
    expect(verdict.policies.map((p) => p.name)).toEqual(['inline', 'guard']);
    expect(verdict.caveats[0]).toMatch(/SCP/);
  });

  it('says why an implicit deny happened: no allowing statement vs the boundary', () => {
    const none = evaluateAccess(sessionIdentity({ roleArn: ROLE, identityPolicies: [] }), { action: 's3:PutObject', resource: OBJECT });
    expect(none.reasons.join()).toMatch(/no statement of the identity policies allows it/);
    const bounded = evaluateAccess(
      sessionIdentity({ roleArn: ROLE, identityPolicies: [inline(allow('*', '*'))], boundary: boundary(allow('s3:GetObject', '*')) }),
      { action: 's3:PutObject', resource: OBJECT },
    );
    expect(bounded.reasons.join()).toMatch(/permissions boundary boundary does not allow it/);
  });
});
