import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';
import { policyStatements } from '@/lib/policy/policy-document';
import {
  podIdentityDecision,
  roleChainDecision,
  scopeTrustPolicyToAssociations,
  whoCouldAssume,
  widerThanAssociations,
  widerThanRoleChains,
  type PodIdentityUser,
  type TargetRoleUser,
} from './policy-edit';
import { POD_IDENTITY_STATEMENT_SID, ROLE_CHAIN_STATEMENT_SID } from './statement';

const PROD = 'arn:aws:eks:us-east-1:111122223333:cluster/prod';
const user = (namespace: string, serviceAccount: string, over: Partial<PodIdentityUser> = {}): PodIdentityUser => ({
  cluster: 'prod',
  clusterArn: PROD,
  clusterName: 'prod',
  account: '111122223333',
  namespace,
  serviceAccount,
  ...over,
});
const api = user('payments', 'api');
const ledger = user('payments', 'ledger');
const dataEtl = user('data', 'etl');
const otherCluster = user('payments', 'api', {
  cluster: 'staging',
  clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/staging',
  clusterName: 'staging',
});
const otherAccount = user('payments', 'api', {
  cluster: 'data-euw1',
  clusterArn: 'arn:aws:eks:eu-west-1:444455556666:cluster/data-euw1',
  clusterName: 'data-euw1',
  account: '444455556666',
});

// PI003's shape: the documented statement behind a condition a service principal never satisfies.
const orgBlocked: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    },
    { Sid: 'Ci', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: 'sts:AssumeRole' },
  ],
};
const statements = (policy: PolicyDocument) => policy.Statement as PolicyStatement[];

describe('scopeTrustPolicyToAssociations', () => {
  it('replaces the broken statement with one scoped to the association: SourceAccount, SourceArn and its session tags', () => {
    const fix = scopeTrustPolicyToAssociations(orgBlocked, [api], 'payments-api');
    expect(fix.replaced.map((statement) => statement.Sid)).toEqual(['PodIdentity']);
    expect(statements(fix.after)).toEqual([
      statements(orgBlocked)[1],
      {
        Sid: POD_IDENTITY_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '111122223333',
            'aws:RequestTag/eks-cluster-arn': PROD,
            'aws:RequestTag/kubernetes-namespace': 'payments',
            'aws:RequestTag/kubernetes-service-account': 'api',
          },
          ArnEquals: { 'aws:SourceArn': PROD },
        },
      },
    ]);
    expect(podIdentityDecision(orgBlocked, api)).not.toBe('allow');
    expect(podIdentityDecision(fix.after, api)).toBe('allow');
    expect(fix.diff).toContain('-          "aws:PrincipalOrgID": "o-a1b2c3d4e5"');
    expect(fix.diff).toContain('+          "aws:RequestTag/kubernetes-service-account": "api"');
  });

  it('never adds an unconditioned statement, whatever the users', () => {
    const fix = scopeTrustPolicyToAssociations(orgBlocked, [
      api,
      ledger,
      otherCluster,
      otherAccount,
      user('x', 'y', { disableSessionTags: true }),
    ]);
    expect(fix.added.length).toBeGreaterThan(0);
    for (const statement of fix.added) {
      expect(statement.Condition?.StringEquals?.['aws:SourceAccount']).toBeDefined();
      expect(statement.Condition?.ArnEquals?.['aws:SourceArn']).toBeDefined();
    }
  });

  it('allows exactly the associations: not another namespace, service account, cluster or account, nor a tag-less request', () => {
    const users = [api, otherCluster];
    const fix = scopeTrustPolicyToAssociations(orgBlocked, users);
    expect(widerThanAssociations(fix.added, users)).toEqual([]);
    const { allowed } = whoCouldAssume(fix.after, [
      api,
      ledger,
      dataEtl,
      otherCluster,
      otherAccount,
      user('payments', 'api', { disableSessionTags: true }),
    ]);
    expect(allowed).toEqual(['prod/payments/api', 'staging/payments/api']);
  });

  it('the wideness check catches a blanket statement, so a plan that adds one would fail', () => {
    const blanket: PolicyStatement = {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    };
    expect(widerThanAssociations([blanket], [api])).toEqual(
      expect.arrayContaining([expect.stringContaining('another namespace'), expect.stringContaining('another account')]),
    );
  });

  it('keeps a Pod Identity statement that works for some association and adds one only for the blocked', () => {
    const forApi = scopeTrustPolicyToAssociations({ Version: '2012-10-17', Statement: [] }, [api]).after;
    const fix = scopeTrustPolicyToAssociations(forApi, [api, ledger]);
    expect(fix.replaced).toEqual([]);
    expect(fix.blocked).toEqual([ledger]);
    expect(statements(fix.after)).toHaveLength(2);
    expect(statements(fix.after)[1].Sid).toBe(`${POD_IDENTITY_STATEMENT_SID}2`);
    expect(whoCouldAssume(fix.after, [api, ledger, dataEtl]).allowed).toEqual(['prod/payments/api', 'prod/payments/ledger']);
  });

  it('leaves the policy as it is when every association can already assume the role', () => {
    const fix = scopeTrustPolicyToAssociations(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      },
      [api],
    );
    expect(fix.added).toEqual([]);
    expect(fix.blocked).toEqual([]);
  });

  it('an association with session tags off gets AssumeRole only, scoped to its cluster and account', () => {
    const untagged = user('batch', 'nightly', { disableSessionTags: true });
    const fix = scopeTrustPolicyToAssociations(orgBlocked, [untagged]);
    expect(fix.added).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnEquals: { 'aws:SourceArn': PROD } },
      }),
    ]);
    expect(podIdentityDecision(fix.after, untagged)).toBe('allow');
    expect(widerThanAssociations(fix.added, [untagged])).toEqual([]);
  });

  it('does not modify the policy it was given', () => {
    const snapshot = JSON.stringify(orgBlocked);
    scopeTrustPolicyToAssociations(orgBlocked, [api]);
    expect(JSON.stringify(orgBlocked)).toBe(snapshot);
  });
});

describe('a target role: trusted by the roles that chain into it, with their external ids (PI012)', () => {
  const SOURCE = 'arn:aws:iam::111122223333:role/payments-api-pod-identity';
  const chain = (namespace: string, serviceAccount: string, over: Partial<TargetRoleUser> = {}): TargetRoleUser => ({
    cluster: 'prod',
    clusterArn: PROD,
    clusterName: 'prod',
    namespace,
    serviceAccount,
    sourceRoleArn: SOURCE,
    externalId: `us-east-1/111122223333/prod/${namespace}/${serviceAccount}`,
    ...over,
  });
  const apiChain = chain('payments', 'api');
  const ledgerChain = chain('payments', 'ledger');
  // A statement that names the role but requires an external id of nobody: broken for every association.
  const wrongExternalId: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Old',
        Effect: 'Allow',
        Principal: { AWS: SOURCE },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'stale' } },
      },
      { Sid: 'Ci', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: 'sts:AssumeRole' },
    ],
  };

  it('replaces the broken statement with one naming the source role and exactly the external ids', () => {
    expect(roleChainDecision(wrongExternalId, apiChain)).toBe('implicit-deny');
    const fix = scopeTrustPolicyToAssociations(wrongExternalId, [], 'data-catalog', [apiChain, ledgerChain]);
    expect(fix.replaced.map((statement) => statement.Sid)).toEqual(['Old']);
    expect(fix.added).toEqual([
      {
        Sid: ROLE_CHAIN_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { AWS: SOURCE },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { StringEquals: { 'sts:ExternalId': [apiChain.externalId, ledgerChain.externalId].sort() } },
      },
    ]);
    expect(roleChainDecision(fix.after, apiChain)).toBe('allow');
    expect(roleChainDecision(fix.after, ledgerChain)).toBe('allow');
    // The CI statement stays; nothing wider than the two associations can chain in.
    expect(fix.after.Statement).toContainEqual(policyStatements(wrongExternalId)[1]);
    expect(widerThanRoleChains(fix.added, [apiChain, ledgerChain])).toEqual([]);
    expect(roleChainDecision(fix.after, chain('payments', 'other'))).toBe('implicit-deny');
  });

  it('an association with session tags off needs only sts:AssumeRole, in a statement of its own', () => {
    const untagged = chain('payments', 'batch', { disableSessionTags: true });
    const fix = scopeTrustPolicyToAssociations(wrongExternalId, [], 'data-catalog', [apiChain, untagged]);
    expect(fix.added.map((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['sts:AssumeRole', ['sts:AssumeRole', 'sts:TagSession']]),
    );
    expect(roleChainDecision(fix.after, untagged)).toBe('allow');
  });

  it('a statement without an external id condition is flagged as wider than the associations', () => {
    const blanket: PolicyStatement = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    };
    expect(widerThanRoleChains([blanket], [apiChain])).toEqual(
      expect.arrayContaining([
        expect.stringContaining('another association (external id)'),
        expect.stringContaining('another role of the account'),
      ]),
    );
  });

  it('nothing changes when every association can already chain in, and an explicit Deny is kept', () => {
    const fine = scopeTrustPolicyToAssociations(wrongExternalId, [], 'r', []);
    expect(fine.added).toEqual([]);
    const denied: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: { AWS: SOURCE }, Action: 'sts:AssumeRole' }],
    };
    const fix = scopeTrustPolicyToAssociations(denied, [], 'r', [apiChain]);
    expect(fix.after.Statement).toContainEqual(policyStatements(denied)[0]);
    expect(roleChainDecision(fix.after, apiChain)).toBe('explicit-deny');
  });
});
