import { actionParamSchemas } from '@/lib/actions/schemas';
import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import { evaluateFleet } from '../evaluate-identity';
import {
  ACCOUNT,
  PI_ENV,
  agentPod,
  association,
  eksCluster,
  fleet,
  healthyPodIdentity,
  iamRole,
  irsaEnv,
  lookupError,
  missing,
  node,
  pod,
  podIdentityStatement,
  roleArn,
  roles,
  serviceAccount,
} from '../test-fixtures';

const codes = (f: FleetState) => evaluateFleet(f).map((x) => x.code);
const only = (f: FleetState, code: string) => evaluateFleet(f).filter((x) => x.code === code);

describe('healthy Pod Identity baseline', () => {
  it('flags nothing', () => {
    expect(evaluateFleet(healthyPodIdentity())).toEqual([]);
  });
});

describe("PI001: the association's role (or target role) does not exist (IAM NoSuchEntity)", () => {
  it('fires for a missing role, with the update-association action', () => {
    const f = healthyPodIdentity();
    f.roles[roleArn('api-role')] = missing();
    const [finding] = only(f, 'PI001');
    expect(finding.severity).toBe('error');
    expect(finding.title).toContain('api-role');
    expect(finding.action).toEqual({ type: 'update-association', params: { cluster: 'prod', associationId: 'a-payments1234567' } });
    expect(finding.subject).toMatchObject({ kind: 'association', associationId: 'a-payments1234567' });
  });
  it('fires for a missing target role', () => {
    const f = healthyPodIdentity({ association: { targetRoleArn: roleArn('target', '444455556666') } });
    f.roles[roleArn('target', '444455556666')] = missing();
    expect(only(f, 'PI001')[0].evidence).toMatchObject({ field: 'targetRoleArn' });
  });
  it('does not fire when GetRole failed (unknown), nor when the role exists', () => {
    const f = healthyPodIdentity();
    f.roles[roleArn('api-role')] = lookupError(roleArn('api-role'));
    expect(codes(f)).not.toContain('PI001');
    expect(codes(healthyPodIdentity())).not.toContain('PI001');
  });
});

describe('PI002: no Allow statement for pods.eks.amazonaws.com granting both sts:AssumeRole and sts:TagSession (wildcards sts:*, * count)', () => {
  it('fires when sts:TagSession is missing', () => {
    const f = healthyPodIdentity({ statements: [podIdentityStatement({ Action: 'sts:AssumeRole' })] });
    const [finding] = only(f, 'PI002');
    expect(finding.evidence).toMatchObject({ missingActions: ['sts:TagSession'] });
    expect(finding.action).toEqual({ type: 'fix-trust-policy', params: { roleArn: roleArn('api-role') } });
    expect(finding.title).toContain('sts:TagSession');
  });
  it('fires when the trust names another service (e.g. an IRSA-only role)', () => {
    const f = healthyPodIdentity({ statements: [podIdentityStatement({ Principal: { Service: 'ec2.amazonaws.com' } })] });
    expect(codes(f)).toContain('PI002');
    expect(codes(f)).not.toContain('PI003');
  });
  it('does not fire for sts:* or *, nor for the two actions in separate statements', () => {
    expect(codes(healthyPodIdentity({ statements: [podIdentityStatement({ Action: 'sts:*' })] }))).not.toContain('PI002');
    expect(codes(healthyPodIdentity({ statements: [podIdentityStatement({ Action: '*' })] }))).not.toContain('PI002');
    expect(
      codes(
        healthyPodIdentity({
          statements: [podIdentityStatement({ Action: 'sts:AssumeRole' }), podIdentityStatement({ Sid: 'tags', Action: 'sts:TagSession' })],
        }),
      ),
    ).not.toContain('PI002');
  });
  it('does not fire when the role could not be read', () => {
    const f = healthyPodIdentity({ statements: [] });
    f.roles[roleArn('api-role')] = lookupError(roleArn('api-role'));
    expect(codes(f)).not.toContain('PI002');
  });
});

describe('PI003: that statement carries a condition that cannot match for this cluster/SA', () => {
  const withCondition = (condition: Record<string, Record<string, string | string[]>>, association = {}) =>
    healthyPodIdentity({ statements: [podIdentityStatement({ Condition: condition })], association });

  it('fires for aws:PrincipalOrgID, naming the key and that it is never present for the service principal', () => {
    const [finding] = only(withCondition({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }), 'PI003');
    expect(finding.title).toBe(
      'Trust policy of role api-role only allows aws:PrincipalOrgID StringEquals o-abc123, which is never present for pods.eks.amazonaws.com',
    );
    expect(finding.evidence).toMatchObject({
      failingConditions: [{ key: 'aws:PrincipalOrgID', operator: 'StringEquals', expected: ['o-abc123'], actual: null }],
    });
    expect(finding.action?.type).toBe('fix-trust-policy');
  });
  it('fires for aws:PrincipalAccount and aws:PrincipalOrgPaths', () => {
    expect(codes(withCondition({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT } }))).toContain('PI003');
    expect(codes(withCondition({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a/*' } }))).toContain('PI003');
  });
  it('fires for aws:SourceAccount of another account and aws:SourceArn of another cluster', () => {
    expect(codes(withCondition({ StringEquals: { 'aws:SourceAccount': '999999999999' } }))).toContain('PI003');
    const [f] = only(withCondition({ ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:us-east-1:111122223333:cluster/staging' } }), 'PI003');
    expect(f.title).toContain('arn:aws:eks:us-east-1:111122223333:cluster/prod');
  });
  it('fires for a session-tag condition naming another namespace, SA or cluster', () => {
    expect(codes(withCondition({ StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'billing' } }))).toContain('PI003');
    expect(codes(withCondition({ StringLike: { 'aws:RequestTag/kubernetes-service-account': 'worker-*' } }))).toContain('PI003');
    expect(codes(withCondition({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'staging' } }))).toContain('PI003');
  });
  it('fires for tag conditions when the association disables session tags', () => {
    const f = withCondition({ StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'payments' } }, { disableSessionTags: true });
    expect(only(f, 'PI003')[0].evidence).toMatchObject({
      failingConditions: [{ key: 'aws:RequestTag/kubernetes-namespace', actual: null }],
    });
  });
  it('fires when an explicit Deny applies to this SA', () => {
    const f = healthyPodIdentity({
      statements: [
        podIdentityStatement(),
        {
          Sid: 'NoPayments',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:*',
          Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'payments' } },
        },
      ],
    });
    expect(only(f, 'PI003')[0].title).toContain('NoPayments');
  });
  it('does not fire for matching conditions: own account, own cluster ARN (ArnLike), own namespace/SA, IfExists on an org key', () => {
    const f = withCondition({
      StringEquals: {
        'aws:SourceAccount': ACCOUNT,
        'aws:RequestTag/kubernetes-namespace': 'payments',
        'aws:RequestTag/kubernetes-service-account': 'api',
        'aws:RequestTag/eks-cluster-name': 'prod',
      },
      ArnLike: { 'aws:SourceArn': `arn:aws:eks:*:${ACCOUNT}:cluster/*` },
      StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123' },
    });
    expect(evaluateFleet(f)).toEqual([]);
  });
  it('does not fire when the condition tests the per-pod tag (unknowable), nor with disabled tags and no tag conditions', () => {
    expect(codes(withCondition({ StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'api-*' } }))).not.toContain('PI003');
    expect(codes(withCondition({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }, { disableSessionTags: true }))).not.toContain('PI003');
  });
  it('does not fire when DescribeCluster failed (the cluster ARN/account is unknown)', () => {
    const f = healthyPodIdentity({
      statements: [podIdentityStatement({ Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } })],
      cluster: { eksCluster: null },
    });
    expect(codes(f)).not.toContain('PI003');
  });
});

describe('PI004: no eks-pod-identity-agent add-on, or no ready agent pod on a Linux EC2 node that runs pods of this SA', () => {
  it('fires when the add-on is absent', () => {
    expect(only(healthyPodIdentity({ cluster: { addons: [] } }), 'PI004')[0].title).toContain('no eks-pod-identity-agent add-on');
  });
  it('on an Auto Mode cluster without the add-on, fires only for pods on non-Auto nodes (a mixed cluster)', () => {
    const auto = node('auto-1', { 'eks.amazonaws.com/compute-type': 'auto' });
    const mixed = healthyPodIdentity({
      cluster: { addons: [], autoMode: true, nodes: [auto, node('node-a')], agentPods: [] },
    });
    const [finding] = only(mixed, 'PI004');
    expect(finding.evidence).toMatchObject({ nodesWithoutAgent: ['node-a'] });
    expect(codes(mixed)).not.toContain('CL001');
  });
  it("fires when the pod's node has no ready agent pod, naming the node", () => {
    const f = healthyPodIdentity({
      cluster: { nodes: [node('node-a'), node('node-b')], agentPods: [agentPod('node-a', false), agentPod('node-b')] },
    });
    const [finding] = only(f, 'PI004');
    expect(finding.evidence).toMatchObject({ nodesWithoutReadyAgent: ['node-a'] });
  });
  it('does not fire when add-ons or agent pods are unreadable, or the uncovered node is Fargate/Windows/hybrid', () => {
    expect(codes(healthyPodIdentity({ cluster: { addons: null } }))).not.toContain('PI004');
    expect(codes(healthyPodIdentity({ cluster: { agentPods: null } }))).not.toContain('PI004');
    for (const labels of <Record<string, string>[]>[
      { 'eks.amazonaws.com/compute-type': 'fargate' },
      { 'kubernetes.io/os': 'windows' },
      { 'eks.amazonaws.com/compute-type': 'hybrid' },
    ]) {
      expect(codes(healthyPodIdentity({ cluster: { nodes: [node('node-a', labels)], agentPods: [] } }))).not.toContain('PI004');
    }
  });
  it("does not fire when an agent is missing only on a node without this SA's pods", () => {
    const f = healthyPodIdentity({ cluster: { nodes: [node('node-a'), node('node-b')], agentPods: [agentPod('node-a')] } });
    expect(codes(f)).not.toContain('PI004');
  });
});

describe('PI005: some pods of the SA lack AWS_CONTAINER_CREDENTIALS_FULL_URI in any container (admitted before the association existed)', () => {
  it('fires with the stale pods, their start times against the association creation, and roll-pods', () => {
    const f = healthyPodIdentity({
      pods: [
        pod('payments', 'api-old', { serviceAccount: 'api', startTime: '2026-11-05T10:00:00Z' }),
        pod('payments', 'api-new', { serviceAccount: 'api', env: PI_ENV, startTime: '2026-11-12T10:00:00Z' }),
      ],
    });
    const [finding] = only(f, 'PI005');
    expect(finding.title).toContain('1 of 2 pods of payments/api');
    expect(finding.evidence).toMatchObject({
      associationCreatedAt: '2026-11-10T10:00:00Z',
      pods: [{ pod: 'api-old', startTime: '2026-11-05T10:00:00Z', startedBeforeChange: true }],
    });
    expect(finding.action).toEqual({ type: 'roll-pods', params: { cluster: 'prod', namespace: 'payments', serviceAccount: 'api' } });
  });
  it('counts a pod whose sidecar has the env and app lacks it as fine (any container), and ignores Succeeded/terminating pods', () => {
    const f = healthyPodIdentity({
      pods: [
        pod('payments', 'api-1', {
          serviceAccount: 'api',
          containers: [
            { name: 'app', env: [] },
            { name: 'side', env: PI_ENV },
          ],
        }),
        pod('payments', 'api-done', { serviceAccount: 'api', phase: 'Succeeded' }),
        pod('payments', 'api-going', { serviceAccount: 'api', terminating: true }),
      ],
    });
    expect(codes(f)).not.toContain('PI005');
  });
  it("does not count pods of another SA, or a pod without serviceAccountName (it is the default SA's)", () => {
    const f = healthyPodIdentity({
      pods: [
        pod('payments', 'x', { serviceAccount: 'other' }),
        pod('payments', 'y', {}),
        pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV }),
      ],
    });
    expect(codes(f)).not.toContain('PI005');
  });
  it('does not fire when pods are unreadable', () => {
    expect(codes(healthyPodIdentity({ cluster: { pods: null } }))).not.toContain('PI005');
  });
});

describe('PI006: pods of the SA run on Fargate or Windows nodes', () => {
  it('fires for a Fargate node and for a Windows node', () => {
    for (const labels of <Record<string, string>[]>[{ 'eks.amazonaws.com/compute-type': 'fargate' }, { 'kubernetes.io/os': 'windows' }]) {
      const f = healthyPodIdentity({ cluster: { nodes: [node('node-a', labels)] } });
      expect(only(f, 'PI006')).toHaveLength(1);
    }
  });
  it('does not fire on Linux EC2 nodes, nor when nodes are unreadable', () => {
    expect(codes(healthyPodIdentity())).not.toContain('PI006');
    expect(codes(healthyPodIdentity({ cluster: { nodes: null } }))).not.toContain('PI006');
  });
  it('does not fire for an SA without an association', () => {
    const c = eksCluster({
      serviceAccounts: [serviceAccount('a', 'b')],
      pods: [pod('a', 'p', { serviceAccount: 'b' })],
      nodes: [node('node-a', { 'eks.amazonaws.com/compute-type': 'fargate' })],
    });
    expect(codes(fleet([c]))).not.toContain('PI006');
  });
});

describe('PI007: the association names a namespace or service account that does not exist', () => {
  it('fires for a missing SA and for a missing namespace, with delete-association', () => {
    const f = healthyPodIdentity({ cluster: { serviceAccounts: [], namespaces: ['default', 'payments'] }, pods: [] });
    const [finding] = only(f, 'PI007');
    expect(finding.evidence).toMatchObject({ missing: 'serviceaccount' });
    expect(finding.action).toEqual({ type: 'delete-association', params: { cluster: 'prod', associationId: 'a-payments1234567' } });
    const g = healthyPodIdentity({ cluster: { serviceAccounts: [], namespaces: ['default'] }, pods: [] });
    expect(only(g, 'PI007')[0].evidence).toMatchObject({ missing: 'namespace' });
  });
  it('does not fire when service accounts and namespaces are unreadable', () => {
    expect(codes(healthyPodIdentity({ cluster: { serviceAccounts: null, namespaces: null } }))).not.toContain('PI007');
  });
});

describe('PI008: a role in the cluster account trusts pods.eks.amazonaws.com (conditions allowing this cluster) but no association in any configured cluster uses it', () => {
  const unbound = (statements = [podIdentityStatement()]) => iamRole(roleArn('karpenter'), statements);
  const withAccountRoles = (f: FleetState, list = [unbound()]) => {
    f.accounts[ACCOUNT] = {
      roles: [...list, ...Object.values(f.roles).flatMap((r) => (r.status === 'found' ? [r.role] : []))],
      oidcProviders: [],
    };
    return f;
  };
  it('fires for the unbound role with create-association', () => {
    const [finding] = only(withAccountRoles(healthyPodIdentity()), 'PI008');
    expect(finding.subject).toEqual({ kind: 'cluster', cluster: 'prod' });
    expect(finding.action).toEqual({ type: 'create-association', params: { cluster: 'prod', roleArn: roleArn('karpenter') } });
  });
  it('fires when the trust pins a namespace/SA (unknown for "some SA") and fills them into the action', () => {
    const role = unbound([
      podIdentityStatement({
        Condition: {
          StringEquals: {
            'aws:RequestTag/kubernetes-namespace': 'karpenter',
            'aws:RequestTag/kubernetes-service-account': 'karpenter',
            'aws:SourceAccount': ACCOUNT,
          },
        },
      }),
    ]);
    const [finding] = only(withAccountRoles(healthyPodIdentity(), [role]), 'PI008');
    expect(finding.action?.params).toMatchObject({ namespace: 'karpenter', serviceAccount: 'karpenter' });
  });
  it('does not fire for a role whose conditions exclude this cluster, a role used as a target role elsewhere, or a non-Pod-Identity role', () => {
    expect(
      codes(
        withAccountRoles(healthyPodIdentity(), [
          unbound([podIdentityStatement({ Condition: { StringEquals: { 'aws:RequestTag/eks-cluster-name': 'other' } } })]),
        ]),
      ),
    ).not.toContain('PI008');
    expect(
      codes(withAccountRoles(healthyPodIdentity(), [unbound([podIdentityStatement({ Principal: { Service: 'ec2.amazonaws.com' } })])])),
    ).not.toContain('PI008');
    const other = eksCluster({
      name: 'dr',
      associations: [association('x', 'y', { roleArn: roleArn('x-role'), targetRoleArn: roleArn('karpenter') })],
    });
    const f = healthyPodIdentity();
    f.clusters.push(other);
    expect(codes(withAccountRoles(f))).not.toContain('PI008');
  });
  it('does not fire when any cluster’s associations are unreadable (unused is then unknowable), or ListRoles failed', () => {
    const f = healthyPodIdentity();
    f.clusters.push(eksCluster({ name: 'dr', associations: null }));
    expect(codes(withAccountRoles(f))).not.toContain('PI008');
    const g = healthyPodIdentity();
    g.accounts[ACCOUNT] = { roles: null, oidcProviders: [] };
    expect(codes(g)).not.toContain('PI008');
  });
});

describe('PI009: a container image of the SA’s pods is known to ship an AWS SDK too old for Pod Identity (argoproj/argoexec < v3.6.2)', () => {
  const withImage = (image: string) =>
    healthyPodIdentity({ pods: [pod('payments', 'wf-1', { serviceAccount: 'api', env: PI_ENV, image })] });
  it('fires for argoexec v3.5.11 on Docker Hub and quay.io, with the source link', () => {
    const [finding] = only(withImage('quay.io/argoproj/argoexec:v3.5.11'), 'PI009');
    expect(JSON.stringify(finding.evidence)).toContain('argoproj/argo-workflows/pull/13854');
    expect(codes(withImage('argoproj/argoexec:v3.6.1'))).toContain('PI009');
    expect(codes(withImage('docker.io/argoproj/argoexec:v3.6.2-rc1@sha256:abc'))).toContain('PI009');
  });
  it('does not fire for v3.6.2+, other repositories, untagged/latest images, or an SA without an association', () => {
    for (const image of [
      'argoproj/argoexec:v3.6.2',
      'quay.io/argoproj/argoexec:v3.7.0',
      'example/argoexec:v3.5.0',
      'argoproj/argoexec:latest',
      'argoproj/argoexec',
    ]) {
      expect(codes(withImage(image))).not.toContain('PI009');
    }
    const c = eksCluster({
      serviceAccounts: [serviceAccount('a', 'b')],
      pods: [pod('a', 'p', { serviceAccount: 'b', image: 'argoproj/argoexec:v3.5.11' })],
    });
    expect(codes(fleet([c]))).not.toContain('PI009');
  });
});

describe('PI010: associations ≥ 90% of the per-cluster limit (5,000, configurable)', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => association('bulk', `sa-${i}`, { associationId: `a-bulk${i}`, roleArn: roleArn('bulk-role') }));
  it('fires at 4,500 of the default 5,000', () => {
    const c = eksCluster({ associations: many(4500), namespaces: null, serviceAccounts: null });
    expect(only(fleet([c]), 'PI010')[0].evidence).toMatchObject({ associationCount: 4500, limit: 5000, threshold: 4500 });
  });
  it('does not fire at 4,499, nor at 900 (the old 1,000 limit is gone)', () => {
    expect(codes(fleet([eksCluster({ associations: many(4499), namespaces: null, serviceAccounts: null })]))).not.toContain('PI010');
    expect(codes(fleet([eksCluster({ associations: many(900), namespaces: null, serviceAccounts: null })]))).not.toContain('PI010');
  });
  it('measures against a configured limit', () => {
    const c = eksCluster({ associations: many(90), namespaces: null, serviceAccounts: null, associationLimit: 100 });
    expect(only(fleet([c]), 'PI010')[0].evidence).toMatchObject({ associationCount: 90, limit: 100 });
    expect(
      codes(fleet([eksCluster({ associations: many(89), namespaces: null, serviceAccounts: null, associationLimit: 100 })])),
    ).not.toContain('PI010');
  });
});

describe('PI011: the association is owned by an EKS add-on (ownerArn set)', () => {
  it('fires, naming the add-on', () => {
    const f = healthyPodIdentity({ association: { ownerArn: `arn:aws:eks:us-east-1:${ACCOUNT}:addon/prod/aws-ebs-csi-driver/abc` } });
    expect(only(f, 'PI011')[0].title).toContain('aws-ebs-csi-driver');
  });
  it('does not fire without ownerArn', () => {
    expect(codes(healthyPodIdentity())).not.toContain('PI011');
  });
});

describe("PI012: a target role is set and its trust policy does not trust the association's role", () => {
  const targetArn = roleArn('cross', '444455556666');
  const withTarget = (statements: Parameters<typeof iamRole>[1], association = {}) => {
    const f = healthyPodIdentity({ association: { targetRoleArn: targetArn, ...association } });
    Object.assign(f.roles, roles(iamRole(targetArn, statements)));
    return f;
  };
  it('fires when the target trusts another role, with a fix-trust-policy the action accepts', () => {
    const [finding] = only(
      withTarget([{ Effect: 'Allow', Principal: { AWS: roleArn('someone-else') }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]),
      'PI012',
    );
    // The action finds every association chaining into the target role itself; the params must pass its schema.
    expect(finding.action).toEqual({ type: 'fix-trust-policy', params: { roleArn: targetArn } });
    expect(actionParamSchemas['fix-trust-policy'].safeParse(finding.action!.params).success).toBe(true);
  });
  it('fires when tags flow but the target lacks sts:TagSession', () => {
    expect(codes(withTarget([{ Effect: 'Allow', Principal: { AWS: roleArn('api-role') }, Action: 'sts:AssumeRole' }]))).toContain('PI012');
  });
  it('does not fire when the target trusts the role ARN or its account root (TagSession not needed with tags disabled)', () => {
    expect(
      codes(withTarget([{ Effect: 'Allow', Principal: { AWS: roleArn('api-role') }, Action: ['sts:AssumeRole', 'sts:TagSession'] }])),
    ).not.toContain('PI012');
    expect(
      codes(
        withTarget([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }], {
          disableSessionTags: true,
        }),
      ),
    ).not.toContain('PI012');
  });
  it('does not fire when the target could not be read', () => {
    const f = healthyPodIdentity({ association: { targetRoleArn: targetArn } });
    f.roles[targetArn] = lookupError(targetArn);
    expect(codes(f)).not.toContain('PI012');
  });
});

describe('Pod Identity rules need an association', () => {
  it('an IRSA-only SA with IRSA pods raises no PI finding', () => {
    const role = iamRole(roleArn('r'), [podIdentityStatement()]);
    const c = eksCluster({
      serviceAccounts: [serviceAccount('a', 'b', { 'eks.amazonaws.com/role-arn': role.arn })],
      pods: [pod('a', 'p', { serviceAccount: 'b', env: irsaEnv(role.arn, 'regional') })],
    });
    expect(
      codes(fleet([c], { roles: roles(role), accounts: { [ACCOUNT]: { roles: null, oidcProviders: null } } })).filter((c) =>
        c.startsWith('PI'),
      ),
    ).toEqual([]);
  });
});
