import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import {
  ACCOUNT,
  REGION,
  association,
  clusterArn,
  eksCluster,
  fleet,
  iamRole,
  pod,
  podIdentityStatement,
  roleArn,
  serviceAccount,
} from '@/lib/identity/test-fixtures';
import type { FleetState, IamRole, PodIdentityAssociation, PolicyStatement } from '@/lib/model/cluster-state';
import type { Pod, ServiceAccount, Workload } from '@/lib/model/kube-objects';
import { actionContextFor } from './action-context';
import { ACTIONS } from './registry';
import type { ActionKind, ActionParams } from './schemas';
import type { ActionPlan, PreflightCheck } from './types';

// Each action's plan, from the facts a plan reads: the collected fleet (preflight facts), and fresh reads of
// the role, the association, the service account and its pods. The reads are the I/O edge and answer from
// the in-memory `cloud` below; everything from there to the plan is the product's own code.

const cloud = vi.hoisted(() => ({
  roles: new Map<string, IamRole>(),
  associations: new Map<string, PodIdentityAssociation>(),
  serviceAccounts: new Map<string, ServiceAccount>(),
  pods: [] as Pod[],
  replicaSets: [] as Workload[],
  allowed: true,
}));

vi.mock('@/lib/aws/iam', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getRole: async (_scope: unknown, arn: string) => cloud.roles.get(arn) ?? null,
}));
vi.mock('@/lib/aws/eks', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  describePodIdentityAssociation: async (_scope: unknown, _cluster: string, id: string) => {
    const found = cloud.associations.get(id);
    if (!found) throw Object.assign(new Error(`No association found for id: ${id}.`), { name: 'ResourceNotFoundException' });
    return found;
  },
}));
vi.mock('@/lib/kube/writes', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServiceAccount: async (_target: unknown, namespace: string, name: string) => {
    const found = cloud.serviceAccounts.get(`${namespace}/${name}`);
    if (!found) throw new Error(`serviceaccounts "${name}" not found`);
    return found;
  },
  consoleMay: async () => ({ allowed: cloud.allowed }),
  patchServiceAccountAnnotations: async () => undefined,
  listPodsOfServiceAccount: async (_target: unknown, namespace: string, sa: string) =>
    cloud.pods.filter((p) => p.metadata.namespace === namespace && p.spec.serviceAccountName === sa),
}));
vi.mock('@/lib/kube/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  kubeListAll: async () => cloud.replicaSets,
}));

const TARGETS: ClusterTarget[] = [{ name: 'prod', context: 'prod-ctx', eks: { name: 'prod', region: REGION, account: ACCOUNT } }];
const API_ROLE = roleArn('api-role');
const NEW_ROLE = roleArn('new-role');
const trusting = (arn: string) => iamRole(arn, [podIdentityStatement()]);
const untrusting = (arn: string) =>
  iamRole(arn, [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

function world(o: { fleet: FleetState; roles?: IamRole[]; associations?: PodIdentityAssociation[]; serviceAccounts?: ServiceAccount[] }) {
  cloud.roles = new Map((o.roles ?? []).map((r) => [r.arn, r]));
  cloud.associations = new Map((o.associations ?? []).map((a) => [a.associationId, a]));
  cloud.serviceAccounts = new Map((o.serviceAccounts ?? []).map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
  return o.fleet;
}

function plan<K extends ActionKind>(type: K, params: ActionParams<K>, state: FleetState): Promise<ActionPlan> {
  return ACTIONS[type].plan(params, actionContextFor(state, TARGETS));
}

const check = (planned: ActionPlan, name: string): PreflightCheck | undefined => planned.preflight.find((c) => c.check === name);

beforeEach(() => {
  cloud.pods = [];
  cloud.replicaSets = [];
  cloud.allowed = true;
});

describe('create-association plan', () => {
  const irsaAccount = serviceAccount('payments', 'api', { 'eks.amazonaws.com/role-arn': roleArn('old-irsa') });
  const params = { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', roleArn: API_ROLE };

  it('passes for a trusting role, warns about the IRSA annotation with the offer to remove it, and names the exact request', async () => {
    const state = world({ fleet: fleet([eksCluster({ serviceAccounts: [irsaAccount] })]), roles: [trusting(API_ROLE)] });
    const planned = await plan('create-association', params, state);
    expect(check(planned, 'existing-association')?.status).toBe('pass');
    expect(check(planned, 'trust-policy')?.status).toBe('pass');
    expect(check(planned, 'irsa-annotation')).toMatchObject({ status: 'warn', offer: { type: 'remove-irsa-annotation' } });
    expect(planned.steps[0].request).toMatchObject({
      operation: 'CreatePodIdentityAssociation',
      path: '/clusters/prod/pod-identity-associations',
      body: { namespace: 'payments', serviceAccount: 'api', roleArn: API_ROLE },
    });
    expect(planned.steps[0].cli).toContain('aws eks create-pod-identity-association --region us-east-1 --cluster-name prod');
    expect(planned.followUp).toEqual({ type: 'roll-pods', params: { cluster: 'prod', namespace: 'payments', serviceAccount: 'api' } });
  });

  it('gives the same idempotency token to the same request, so a double click creates once', async () => {
    const state = world({ fleet: fleet([eksCluster({ serviceAccounts: [irsaAccount] })]), roles: [trusting(API_ROLE)] });
    const token = (p: ActionPlan) => (p.steps[0].request.body as { clientRequestToken: string }).clientRequestToken;
    const first = await plan('create-association', params, state);
    expect(token(await plan('create-association', params, state))).toBe(token(first));
    expect(token(await plan('create-association', { ...params, disableSessionTags: true }, state))).not.toBe(token(first));
    expect(first.steps[0].cli).toContain(`--client-request-token ${token(first)}`);
  });

  it('fails when the service account already has an association, offering to update it instead', async () => {
    const existing = association('payments', 'api', { associationId: 'a-payments1234567' });
    const state = world({
      fleet: fleet([eksCluster({ serviceAccounts: [irsaAccount], associations: [existing] })]),
      roles: [trusting(API_ROLE)],
    });
    const planned = await plan('create-association', params, state);
    expect(check(planned, 'existing-association')).toMatchObject({
      status: 'fail',
      offer: { type: 'update-association', params: { associationId: 'a-payments1234567', roleArn: API_ROLE } },
    });
  });

  it('fails the trust check for a role that does not trust Pod Identity, offering the fix; a missing role fails too', async () => {
    const state = world({ fleet: fleet([eksCluster()]), roles: [untrusting(API_ROLE)] });
    expect(check(await plan('create-association', params, state), 'trust-policy')).toMatchObject({
      status: 'fail',
      offer: { type: 'fix-trust-policy', params: { roleArn: API_ROLE, cluster: 'prod', namespace: 'payments', serviceAccount: 'api' } },
    });
    world({ fleet: state });
    expect(check(await plan('create-association', params, state), 'trust-policy')?.message).toContain('does not exist');
  });
});

describe('update-association plan', () => {
  const current = association('payments', 'api', {
    associationId: 'a-payments1234567',
    roleArn: API_ROLE,
    modifiedAt: '2026-11-20T00:00:00Z',
  });
  const state = () =>
    world({
      fleet: fleet([eksCluster({ associations: [current] })]),
      roles: [trusting(API_ROLE), trusting(NEW_ROLE)],
      associations: [current],
    });

  it('says what changes, judges the new role, and updates by id', async () => {
    const planned = await plan('update-association', { cluster: 'prod', associationId: 'a-payments1234567', roleArn: NEW_ROLE }, state());
    expect(check(planned, 'changes')?.message).toBe(`Changes: role ${API_ROLE} → ${NEW_ROLE}.`);
    expect(check(planned, 'trust-policy')?.status).toBe('pass');
    expect(planned.targets).toEqual([
      { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', associationId: 'a-payments1234567', roleArn: NEW_ROLE },
    ]);
    expect(planned.steps[0].request.path).toBe('/clusters/prod/pod-identity-associations/a-payments1234567');
    expect(planned.steps[0].cli).toContain(`--association-id a-payments1234567 \\\n  --role-arn ${NEW_ROLE}`);
  });

  it('warns when nothing would change', async () => {
    const planned = await plan('update-association', { cluster: 'prod', associationId: 'a-payments1234567', roleArn: API_ROLE }, state());
    expect(check(planned, 'changes')?.status).toBe('warn');
  });

  it('session policy: fails while tags would stay on, passes with tags off, and sends the policy (or "" to remove it)', async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::snapshots/*"}]}';
    const id = { cluster: 'prod', associationId: 'a-payments1234567' };
    const tagsOn = await plan('update-association', { ...id, policy }, state());
    expect(check(tagsOn, 'session-policy')).toMatchObject({ status: 'fail', message: expect.stringContaining('disableSessionTags: true') });
    const tagsOff = await plan('update-association', { ...id, policy, disableSessionTags: true }, state());
    expect(check(tagsOff, 'session-policy')).toMatchObject({ status: 'pass', message: expect.stringContaining('s3:PutObject') });
    expect(check(tagsOff, 'changes')?.message).toBe('Changes: session tags on → off; session policy added.');
    expect(tagsOff.steps[0].request.body).toMatchObject({ disableSessionTags: true, policy });
    expect(tagsOff.terraform).toContain('policy          = jsonencode(');

    // An association that holds a policy: turning tags on without removing it is refused; removing both works.
    const withPolicy = association('payments', 'api', {
      associationId: 'a-payments1234567',
      roleArn: API_ROLE,
      disableSessionTags: true,
      policy,
    });
    const held = () =>
      world({ fleet: fleet([eksCluster({ associations: [withPolicy] })]), roles: [trusting(API_ROLE)], associations: [withPolicy] });
    expect(check(await plan('update-association', { ...id, disableSessionTags: false }, held()), 'session-policy')?.message).toContain(
      'policy: null',
    );
    const removed = await plan('update-association', { ...id, disableSessionTags: false, policy: null }, held());
    expect(check(removed, 'session-policy')).toBeUndefined();
    expect(check(removed, 'changes')?.message).toBe('Changes: session tags off → on; session policy removed.');
    expect(removed.steps[0].request.body).toMatchObject({ disableSessionTags: false, policy: '' });
  });

  it('refuses an association EKS does not know', async () => {
    await expect(
      plan('update-association', { cluster: 'prod', associationId: 'a-zzzzzzzzzzzzzzzzz', roleArn: NEW_ROLE }, state()),
    ).rejects.toMatchObject({ plain: { status: 404, code: 'not-found' } });
  });
});

describe('delete-association plan', () => {
  const current = association('payments', 'api', { associationId: 'a-payments1234567', roleArn: API_ROLE });
  const running = pod('payments', 'api-1', {
    serviceAccount: 'api',
    env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' }],
  });
  const state = () =>
    world({
      fleet: fleet([eksCluster({ associations: [current], serviceAccounts: [serviceAccount('payments', 'api')], pods: [running] })]),
      associations: [current],
    });

  it('needs the service account name typed, and warns about the pods that use the association', async () => {
    const wrong = await plan('delete-association', { cluster: 'prod', associationId: 'a-payments1234567', confirm: 'API' }, state());
    expect(check(wrong, 'confirmation')?.status).toBe('fail');
    const right = await plan('delete-association', { cluster: 'prod', associationId: 'a-payments1234567', confirm: 'api' }, state());
    expect(check(right, 'confirmation')?.status).toBe('pass');
    expect(check(right, 'running-pods')).toMatchObject({ status: 'warn' });
    expect(right.steps[0].cli).toBe(
      'aws eks delete-pod-identity-association --region us-east-1 --cluster-name prod --association-id a-payments1234567',
    );
  });
});

describe('fix-trust-policy plan', () => {
  const current = association('payments', 'api', { associationId: 'a-payments1234567', roleArn: API_ROLE });

  it('replaces the broken statement with one scoped to the association, judged by the evaluator, and is authorized against the service accounts using the role', async () => {
    const role = iamRole(API_ROLE, [podIdentityStatement({ Sid: 'Org', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })]);
    const state = world({
      fleet: fleet([
        eksCluster({ associations: [current], serviceAccounts: [serviceAccount('payments', 'api'), serviceAccount('data', 'etl')] }),
      ]),
      roles: [role],
    });
    const planned = await plan('fix-trust-policy', { roleArn: API_ROLE }, state);
    expect(check(planned, 'trust-policy')?.status).toBe('pass');
    expect(check(planned, 'scoped-statement')?.status).toBe('pass');
    const written = (planned.steps[0].request.body as { PolicyDocument: { Statement: PolicyStatement[] } }).PolicyDocument;
    expect(written.Statement).toHaveLength(1);
    expect(written.Statement[0].Condition).toEqual({
      StringEquals: {
        'aws:SourceAccount': ACCOUNT,
        'aws:RequestTag/eks-cluster-arn': clusterArn('prod'),
        'aws:RequestTag/kubernetes-namespace': 'payments',
        'aws:RequestTag/kubernetes-service-account': 'api',
      },
      ArnEquals: { 'aws:SourceArn': clusterArn('prod') },
    });
    expect(planned.preview?.trustPolicyDiff).toContain('-          "aws:PrincipalOrgID": "o-1"');
    expect(planned.preview?.assumableBy).toMatchObject({ before: [], after: ['prod/payments/api'] });
    expect(planned.preview?.notes?.[0]).toContain('before nobody; after prod/payments/api');
    expect(planned.targets).toEqual([{ cluster: 'prod', namespace: 'payments', serviceAccount: 'api', roleArn: API_ROLE }]);
    expect(ACTIONS['fix-trust-policy'].targets({ roleArn: API_ROLE }, state)).toEqual(planned.targets);
    expect(planned.steps[0].cli).toBe(
      `aws iam update-assume-role-policy --role-name api-role --policy-document '${JSON.stringify(written)}'`,
    );
  });

  it('is authorized against every user of the role in the fleet, by Pod Identity (role or target role) or IRSA, whatever cluster is named', () => {
    const state = world({
      fleet: fleet([
        eksCluster({
          associations: [
            current,
            association('data', 'etl', { associationId: 'a-data1234567890123', roleArn: API_ROLE }),
            association('platform', 'chain', { associationId: 'a-plat1234567890123', roleArn: NEW_ROLE, targetRoleArn: API_ROLE }),
          ],
          serviceAccounts: [serviceAccount('analytics', 'report', { 'eks.amazonaws.com/role-arn': API_ROLE })],
        }),
      ]),
    });
    const users = ACTIONS['fix-trust-policy'].targets({ roleArn: API_ROLE, cluster: 'prod' }, state);
    expect(users.map((target) => `${target.namespace}/${target.serviceAccount}`).sort()).toEqual([
      'analytics/report',
      'data/etl',
      'payments/api',
      'platform/chain',
    ]);
  });

  it('changes only roles in accounts of configured clusters', async () => {
    const state = world({ fleet: fleet([eksCluster({ associations: [current] })]), roles: [untrusting(roleArn('x', '999988887777'))] });
    await expect(plan('fix-trust-policy', { roleArn: roleArn('x', '999988887777') }, state)).rejects.toMatchObject({
      plain: { status: 403, message: expect.stringContaining('accounts of configured clusters') },
    });
  });

  it('for the association about to be created (the trust check offers it), scopes the statement to that service account', async () => {
    const state = world({ fleet: fleet([eksCluster()]), roles: [untrusting(NEW_ROLE)] });
    expect(check(await plan('fix-trust-policy', { roleArn: NEW_ROLE }, state), 'trust-policy')?.status).toBe('fail');
    const params = { roleArn: NEW_ROLE, cluster: 'prod', namespace: 'payments', serviceAccount: 'fresh' };
    const planned = await plan('fix-trust-policy', params, state);
    expect(check(planned, 'trust-policy')?.status).toBe('pass');
    expect(planned.preview?.assumableBy?.after).toEqual(['prod/payments/fresh']);
    expect(ACTIONS['fix-trust-policy'].targets(params, state)).toEqual([
      { cluster: 'prod', namespace: 'payments', serviceAccount: 'fresh', roleArn: NEW_ROLE },
    ]);
  });

  it('fails when the role already trusts Pod Identity, and when an explicit Deny would still win', async () => {
    const state = world({ fleet: fleet([eksCluster({ associations: [current] })]), roles: [trusting(API_ROLE)] });
    expect(check(await plan('fix-trust-policy', { roleArn: API_ROLE }, state), 'trust-policy')?.status).toBe('fail');
    world({
      fleet: state,
      roles: [iamRole(API_ROLE, [{ Effect: 'Deny', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }])],
    });
    expect(check(await plan('fix-trust-policy', { roleArn: API_ROLE }, state), 'explicit-deny')?.status).toBe('fail');
  });

  it('for a role no association uses, is authorized against the role itself', () => {
    const state = world({ fleet: fleet([eksCluster()]) });
    expect(ACTIONS['fix-trust-policy'].targets({ roleArn: NEW_ROLE, cluster: 'prod' }, state)).toEqual([
      { roleArn: NEW_ROLE, cluster: 'prod' },
    ]);
  });
});

describe('annotation plans', () => {
  const annotated = (annotations: Record<string, string>): ServiceAccount => ({
    ...serviceAccount('payments', 'api', annotations),
    metadata: { ...serviceAccount('payments', 'api', annotations).metadata, resourceVersion: '41' },
  });

  it('set-sts-regional-endpoints: says old → new, patches on the resourceVersion read, and warns without IRSA', async () => {
    const state = world({
      fleet: fleet([eksCluster()]),
      serviceAccounts: [annotated({ 'eks.amazonaws.com/sts-regional-endpoints': 'false' })],
    });
    const planned = await plan(
      'set-sts-regional-endpoints',
      { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', value: 'true' },
      state,
    );
    expect(check(planned, 'changes')?.message).toBe('eks.amazonaws.com/sts-regional-endpoints: "false" → "true".');
    expect(check(planned, 'irsa')?.status).toBe('warn');
    expect(check(planned, 'permission')?.status).toBe('pass');
    expect(check(planned, 'dry-run')?.status).toBe('pass');
    expect(planned.steps[0].request.body).toEqual({
      metadata: { annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' }, resourceVersion: '41' },
    });
    expect(planned.steps[0].cli).toContain(
      'kubectl --context prod-ctx -n payments annotate serviceaccount api --overwrite --resource-version=41 eks.amazonaws.com/sts-regional-endpoints=true',
    );
  });

  it("set-sts-regional-endpoints: fails the permission check when the console's identity may not patch", async () => {
    cloud.allowed = false;
    const state = world({ fleet: fleet([eksCluster()]), serviceAccounts: [annotated({})] });
    const planned = await plan(
      'set-sts-regional-endpoints',
      { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', value: null },
      state,
    );
    expect(check(planned, 'permission')?.status).toBe('fail');
    expect(check(planned, 'changes')?.status).toBe('warn');
  });

  it('remove-irsa-annotation: a forcible failure when no association would take over, a pass when one does', async () => {
    const sa = annotated({ 'eks.amazonaws.com/role-arn': roleArn('old-irsa') });
    const bare = world({ fleet: fleet([eksCluster({ serviceAccounts: [sa] })]), serviceAccounts: [sa] });
    const params = { cluster: 'prod', namespace: 'payments', serviceAccount: 'api' };
    expect(check(await plan('remove-irsa-annotation', params, bare), 'pod-identity')).toMatchObject({ status: 'fail', forcible: true });
    const withAssociation = world({
      fleet: fleet([eksCluster({ serviceAccounts: [sa], associations: [association('payments', 'api')] })]),
      serviceAccounts: [sa],
    });
    const planned = await plan('remove-irsa-annotation', params, withAssociation);
    expect(check(planned, 'pod-identity')?.status).toBe('pass');
    expect(check(planned, 'annotation')?.message).toContain(roleArn('old-irsa'));
    expect(planned.steps[0].cli).toContain('annotate serviceaccount api --overwrite --resource-version=41 eks.amazonaws.com/role-arn-');
  });
});

describe('roll-pods plan', () => {
  const owned = (name: string, owner?: { kind: string; name: string }) => pod('payments', name, { serviceAccount: 'api', owner });
  const replicaSet: Workload = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'api-7d9f8b6c5d',
      namespace: 'payments',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd', controller: true }],
    },
  };

  it("restarts the ReplicaSet's Deployment (from ownerReferences), leaves bare pods alone unless opted in, one command per step", async () => {
    cloud.pods = [
      owned('api-1', { kind: 'ReplicaSet', name: 'api-7d9f8b6c5d' }),
      owned('api-2', { kind: 'ReplicaSet', name: 'api-7d9f8b6c5d' }),
      owned('debug'),
    ];
    cloud.replicaSets = [replicaSet];
    const state = world({ fleet: fleet([eksCluster({ associations: [association('payments', 'api')] })]) });
    const params = { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', includeBarePods: false, includeJobPods: false };
    const planned = await plan('roll-pods', params, state);
    expect(planned.preview?.workloads).toEqual([{ kind: 'Deployment', name: 'api', pods: ['api-1', 'api-2'] }]);
    expect(check(planned, 'bare-pods')?.message).toContain('left alone');
    expect(planned.steps.map((step) => step.cli)).toEqual(['kubectl --context prod-ctx -n payments rollout restart deployment/api']);

    const withBare = await plan('roll-pods', { ...params, includeBarePods: true }, state);
    expect(withBare.steps.map((step) => [step.request.operation, step.cli])).toEqual([
      ['PATCH deployments', 'kubectl --context prod-ctx -n payments rollout restart deployment/api'],
      [
        'POST pods/eviction',
        'kubectl --context prod-ctx -n payments delete pod debug  # kubectl drain evicts; delete skips PodDisruptionBudgets',
      ],
    ]);
    expect(planned.preview?.notes?.[0]).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
  });

  it('fails when no pod runs as the service account', async () => {
    const state = world({ fleet: fleet([eksCluster()]) });
    const planned = await plan(
      'roll-pods',
      { cluster: 'prod', namespace: 'payments', serviceAccount: 'api', includeBarePods: false, includeJobPods: false },
      state,
    );
    expect(check(planned, 'pods')).toMatchObject({ status: 'fail', message: 'No pod runs as this service account.' });
    expect(planned.steps).toEqual([]);
  });
});
