import { describe, expect, it } from 'vitest';
import { buildClusterContext, buildServiceAccountContext } from '@/lib/identity/identity-context';
import type { FleetState } from '@/lib/model/cluster-state';
import {
  ACCOUNT,
  PI_ENV,
  association,
  eksCluster,
  fleet,
  healthyIrsa,
  iamRole,
  irsaEnv,
  node,
  pod,
  roleArn,
  roles,
  serviceAccount,
  webIdentityStatement,
} from '@/lib/identity/test-fixtures';
import { migrationReadiness } from './readiness';

function readinessOf(state: FleetState, namespace = 'shop', name = 'web') {
  const cluster = buildClusterContext(state, state.clusters[0]);
  return migrationReadiness(buildServiceAccountContext(cluster, namespace, name));
}

const WEB = roleArn('web-role');
const annotated = (arn = WEB) => [serviceAccount('shop', 'web', { 'eks.amazonaws.com/role-arn': arn })];
const irsaPod = (name: string, o: Parameters<typeof pod>[2] = {}) => pod('shop', name, { serviceAccount: 'web', env: irsaEnv(WEB), ...o });
const codes = (state: FleetState) => readinessOf(state).reasons.map((reason) => reason.code);

describe('migration readiness', () => {
  it('a healthy IRSA service account on a cluster with the agent is ready', () => {
    expect(readinessOf(healthyIrsa())).toEqual({ state: 'ready', reasons: [] });
  });

  it('a service account without the IRSA annotation is not-applicable, even with an association', () => {
    const state = fleet([eksCluster({ serviceAccounts: [serviceAccount('shop', 'web')], associations: [association('shop', 'web')] })]);
    expect(readinessOf(state).state).toBe('not-applicable');
  });

  it('pods on Fargate or Windows block it with PI006, naming the pods', () => {
    const state = healthyIrsa({
      cluster: {
        nodes: [node('node-a'), node('fargate-ip-1', { 'eks.amazonaws.com/compute-type': 'fargate' })],
        pods: [irsaPod('web-1'), irsaPod('web-2', { node: 'fargate-ip-1' })],
      },
    });
    const readiness = readinessOf(state);
    expect(readiness.state).toBe('blocked');
    expect(readiness.reasons).toEqual([expect.objectContaining({ code: 'PI006', message: expect.stringContaining('web-2') })]);
  });

  it('an image with an SDK too old for Pod Identity blocks it with PI009; a fixed version does not', () => {
    const old = healthyIrsa({ cluster: { pods: [irsaPod('wf-1', { image: 'quay.io/argoproj/argoexec:v3.5.11' })] } });
    expect(codes(old)).toEqual(['PI009']);
    const fixed = healthyIrsa({ cluster: { pods: [irsaPod('wf-1', { image: 'quay.io/argoproj/argoexec:v3.6.2' })] } });
    expect(readinessOf(fixed).state).toBe('ready');
  });

  it('an AWS CLI image older than 2.15.0 reveals an SDK without Pod Identity (domain.md §1a minimums)', () => {
    const old = healthyIrsa({ cluster: { pods: [irsaPod('cli-1', { image: 'amazon/aws-cli:2.14.6' })] } });
    expect(codes(old)).toEqual(['PI009']);
    const current = healthyIrsa({ cluster: { pods: [irsaPod('cli-1', { image: 'public.ecr.aws/aws-cli/aws-cli:2.15.0' })] } });
    expect(readinessOf(current).state).toBe('ready');
  });

  it('no agent add-on on a cluster that is not Auto Mode blocks it with CL001; Auto Mode nodes do not', () => {
    expect(codes(healthyIrsa({ cluster: { addons: [], autoMode: false } }))).toEqual(['CL001']);
    const auto = healthyIrsa({
      cluster: { addons: [], autoMode: true, nodes: [node('node-a', { 'eks.amazonaws.com/compute-type': 'auto' })] },
    });
    expect(readinessOf(auto).state).toBe('ready');
  });

  it('an Auto Mode cluster without the add-on blocks pods on its non-Auto nodes with PI004', () => {
    const mixed = healthyIrsa({ cluster: { addons: [], autoMode: true, nodes: [node('node-a')] } });
    expect(codes(mixed)).toEqual(['PI004']);
  });

  it('a node whose agent pod is not ready blocks the pods on it with PI004', () => {
    const state = healthyIrsa({ cluster: { agentPods: [] } });
    expect(readinessOf(state).reasons).toEqual([expect.objectContaining({ code: 'PI004', message: expect.stringContaining('node-a') })]);
  });

  it('a role in another account is offered as the target role of a role in the cluster account', () => {
    const other = roleArn('web-role', '999988887777');
    const role = iamRole(other, [webIdentityStatement('shop', 'web')]);
    const state = fleet([eksCluster({ serviceAccounts: annotated(other), pods: [irsaPod('web-1')] })], { roles: roles(role) });
    const readiness = readinessOf(state);
    expect(readiness.state).toBe('blocked');
    expect(readiness.reasons).toEqual([
      expect.objectContaining({ code: 'cross-account-role', offer: { targetRoleArn: other, roleAccount: ACCOUNT } }),
    ]);
  });

  it("an installed add-on's service account is add-on-owned; the same name without the add-on is not", () => {
    const sa = [serviceAccount('kube-system', 'ebs-csi-controller-sa', { 'eks.amazonaws.com/role-arn': WEB })];
    const withAddon = fleet([
      eksCluster({
        serviceAccounts: sa,
        addons: [
          { name: 'eks-pod-identity-agent', version: 'v1' },
          { name: 'aws-ebs-csi-driver', version: 'v1' },
        ],
      }),
    ]);
    expect(readinessOf(withAddon, 'kube-system', 'ebs-csi-controller-sa').reasons.map((r) => r.code)).toEqual(['add-on-owned']);
    const without = fleet([eksCluster({ serviceAccounts: sa })]);
    expect(readinessOf(without, 'kube-system', 'ebs-csi-controller-sa').state).toBe('ready');
  });

  it('a cluster at its association limit blocks every IRSA service account', () => {
    const full = healthyIrsa({
      cluster: { associationLimit: 2, associations: [association('a', 'one'), association('a', 'two')] },
    });
    expect(codes(full)).toEqual(['association-limit']);
    const roomForOne = healthyIrsa({ cluster: { associationLimit: 2, associations: [association('a', 'one')] } });
    expect(readinessOf(roomForOne).state).toBe('ready');
  });

  it('a missing role or an annotation that is not a role ARN blocks it', () => {
    const gone = fleet([eksCluster({ serviceAccounts: annotated(), pods: [irsaPod('web-1')] })], {
      roles: { [WEB]: { status: 'missing' } },
    });
    expect(codes(gone)).toEqual(['IR002']);
    const garbage = fleet([eksCluster({ serviceAccounts: annotated('web-role'), pods: [irsaPod('web-1')] })]);
    expect(codes(garbage)).toEqual(['IR001']);
  });

  it('unreadable pods are never taken for ready', () => {
    const readiness = readinessOf(healthyIrsa({ cluster: { pods: null } }));
    expect(readiness.state).toBe('blocked');
    expect(readiness.reasons[0]).toMatchObject({ code: 'unknown', message: expect.stringContaining('pods') });
  });

  it('a K3s cluster cannot use Pod Identity', () => {
    const state = healthyIrsa();
    const k3s = { ...state.clusters[0], kind: 'k3s' as const, eks: undefined };
    expect(codes({ ...state, clusters: [k3s] })).toEqual(['not-eks']);
  });

  it('associated with pods still on IRSA is in-progress; every pod on Pod Identity is migrated', () => {
    const halfway = fleet([
      eksCluster({ serviceAccounts: annotated(), associations: [association('shop', 'web', { roleArn: WEB })], pods: [irsaPod('web-1')] }),
    ]);
    expect(readinessOf(halfway)).toMatchObject({ state: 'in-progress', reasons: [{ code: 'pods-not-rolled' }] });
    const done = fleet([
      eksCluster({
        serviceAccounts: annotated(),
        associations: [association('shop', 'web', { roleArn: WEB })],
        pods: [pod('shop', 'web-2', { serviceAccount: 'web', env: PI_ENV })],
      }),
    ]);
    expect(readinessOf(done)).toEqual({ state: 'migrated', reasons: [] });
  });

  it('collects every reason, not just the first', () => {
    const state = healthyIrsa({
      cluster: {
        addons: [],
        autoMode: false,
        nodes: [node('node-a', { 'kubernetes.io/os': 'windows' })],
        pods: [irsaPod('web-1', { image: 'quay.io/argoproj/argoexec:v3.5.15' })],
      },
    });
    expect(codes(state).sort()).toEqual(['CL001', 'PI006', 'PI009']);
  });
});

describe('the matrix and the API show readiness', () => {
  it('rows carry migration and the migration filter selects by state', async () => {
    const { buildServiceAccountRows } = await import('@/lib/identity/service-account-rows');
    const { serviceAccountFiltersSchema } = await import('@/lib/console/row-filters');
    const { filterServiceAccountRows } = await import('@/lib/console/row-match');
    const state = healthyIrsa({
      cluster: {
        serviceAccounts: [
          ...annotated(),
          serviceAccount('shop', 'cart', { 'eks.amazonaws.com/role-arn': WEB }),
          serviceAccount('shop', 'plain'),
        ],
        pods: [
          irsaPod('web-1'),
          pod('shop', 'cart-1', { serviceAccount: 'cart', env: irsaEnv(WEB), image: 'quay.io/argoproj/argoexec:v3.5.11' }),
        ],
      },
    });
    const rows = buildServiceAccountRows(state);
    const pick = (migration: string) =>
      filterServiceAccountRows(rows, serviceAccountFiltersSchema.parse({ migration })).map((row) => `${row.name}:${row.migration?.state}`);
    expect(pick('blocked')).toEqual(['cart:blocked']);
    expect(pick('ready,not-applicable').sort()).toEqual(['plain:not-applicable', 'web:ready']);
    expect(serviceAccountFiltersSchema.safeParse({ migration: 'done' }).success).toBe(false);
  });
});
