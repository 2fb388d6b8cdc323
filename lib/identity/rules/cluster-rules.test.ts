import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import { evaluateFleet } from '../evaluate-identity';
import {
  agentDaemonSet,
  association,
  eksCluster,
  fleet,
  healthyIrsa,
  healthyPodIdentity,
  lookupError,
  node,
  roleArn,
} from '../test-fixtures';

const codes = (f: FleetState) => evaluateFleet(f).map((x) => x.code);
const only = (f: FleetState, code: string) => evaluateFleet(f).filter((x) => x.code === code);

describe('CL001: the cluster has associations but no eks-pod-identity-agent add-on', () => {
  it('fires', () => {
    const [finding] = only(healthyPodIdentity({ cluster: { addons: [{ name: 'vpc-cni' }] } }), 'CL001');
    expect(finding.subject).toEqual({ kind: 'cluster', cluster: 'prod' });
    expect(finding.evidence).toMatchObject({ addons: ['vpc-cni'] });
  });
  it('does not fire without associations, or when add-ons are unreadable', () => {
    expect(codes(fleet([eksCluster({ addons: [] })]))).not.toContain('CL001');
    expect(codes(healthyPodIdentity({ cluster: { addons: null } }))).not.toContain('CL001');
  });
  it('does not fire on an EKS Auto Mode cluster (computeConfig.enabled), whose nodes have the agent built in', () => {
    const auto = healthyPodIdentity({
      cluster: { addons: [], autoMode: true, nodes: [node('node-a', { 'eks.amazonaws.com/compute-type': 'auto' })], agentPods: [] },
    });
    expect(codes(auto)).not.toContain('CL001');
    expect(codes(auto)).not.toContain('PI004');
  });
  it('does not fire when DescribeCluster failed (Auto Mode unknown), and does when computeConfig says false', () => {
    expect(codes(healthyPodIdentity({ cluster: { addons: [], eksCluster: null } }))).not.toContain('CL001');
    expect(codes(healthyPodIdentity({ cluster: { addons: [], autoMode: false } }))).toContain('CL001');
  });
});

describe('CL002: the agent DaemonSet has fewer ready pods than desired', () => {
  it('fires for 2 of 3 ready', () => {
    expect(only(fleet([eksCluster({ agentDaemonSet: agentDaemonSet(3, 2) })]), 'CL002')[0].title).toContain('2 of 3');
  });
  it('does not fire when all are ready or the DaemonSet is unknown', () => {
    expect(codes(fleet([eksCluster({ agentDaemonSet: agentDaemonSet(3, 3) })]))).not.toContain('CL002');
    expect(codes(fleet([eksCluster({ agentDaemonSet: null })]))).not.toContain('CL002');
  });
});

describe("CL003: the cluster's platform version is below the Pod Identity minimum for its Kubernetes version", () => {
  it('fires for 1.28 eks.3, 1.27 eks.7, 1.26 eks.8 and 1.25', () => {
    for (const [version, platformVersion] of [
      ['1.28', 'eks.3'],
      ['1.27', 'eks.7'],
      ['1.26', 'eks.8'],
      ['1.25', 'eks.20'],
    ]) {
      expect(codes(fleet([eksCluster({ version, platformVersion })]))).toContain('CL003');
    }
  });
  it('does not fire at the minimums, on 1.29+, or with an unknown platform', () => {
    for (const [version, platformVersion] of [
      ['1.28', 'eks.4'],
      ['1.27', 'eks.8'],
      ['1.26', 'eks.9'],
      ['1.29', 'eks.1'],
      ['1.28', 'unknown'],
    ]) {
      expect(codes(fleet([eksCluster({ version, platformVersion })]))).not.toContain('CL003');
    }
  });
});

describe('CL004: a source could not be read; evidence names the call, the error, and the missing IAM action or RBAC verb', () => {
  it('fires for a cluster source error with the RBAC verb', () => {
    const c = eksCluster({
      pods: null,
      sourceErrors: [
        { source: 'kubernetes', operation: 'list pods', code: 'Forbidden', message: 'pods is forbidden', missingPermission: 'list pods' },
      ],
    });
    const [finding] = only(fleet([c]), 'CL004');
    expect(finding.title).toBe('Could not read list pods in cluster prod: Forbidden; the console lacks list pods');
    expect(finding.evidence).toMatchObject({ operation: 'list pods', code: 'Forbidden', missingPermission: 'list pods' });
  });
  it('fires once for a GetRole AccessDenied on a role this cluster uses, even when also listed in fleet errors', () => {
    const f = healthyPodIdentity();
    const lookup = lookupError(roleArn('api-role'));
    f.roles[roleArn('api-role')] = lookup;
    if (lookup.status === 'error') f.sourceErrors.push(lookup.error);
    const found = only(f, 'CL004');
    expect(found).toHaveLength(1);
    expect(found[0].evidence).toMatchObject({
      operation: 'GetRole',
      missingPermission: 'iam:GetRole',
      subject: { roleArn: roleArn('api-role') },
    });
  });
  it('does not attach another cluster’s error or an unrelated role’s', () => {
    const f = healthyIrsa();
    f.sourceErrors.push({
      cluster: 'staging',
      source: 'eks',
      operation: 'DescribeCluster',
      code: 'ThrottlingException',
      message: 'rate exceeded',
    });
    f.roles[roleArn('unrelated')] = lookupError(roleArn('unrelated'));
    expect(codes(f)).not.toContain('CL004');
  });
  it('attaches an account-level error (ListRoles) to the clusters of that account only', () => {
    const f = healthyPodIdentity();
    f.clusters.push(eksCluster({ name: 'other', account: '444455556666' }));
    f.sourceErrors.push({
      source: 'iam',
      operation: 'ListRoles',
      code: 'AccessDenied',
      message: 'denied',
      missingPermission: 'iam:ListRoles',
      subject: { account: '111122223333' },
    });
    expect(only(f, 'CL004').map((x) => x.subject)).toEqual([{ kind: 'cluster', cluster: 'prod' }]);
  });
  it('fires once per failing call and error, naming how many it left unknown', () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({
      source: 'eks' as const,
      operation: 'DescribePodIdentityAssociation',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
      subject: { associationId: `a-${i}` },
    }));
    const c = eksCluster({
      sourceErrors: [
        ...errors,
        {
          source: 'eks',
          operation: 'DescribePodIdentityAssociation',
          code: 'DeadlineExceeded',
          message: 'no answer',
          subject: { associationId: 'a-99' },
        },
      ],
    });
    const found = only(fleet([c]), 'CL004');
    expect(found.map((x) => x.title).sort()).toEqual([
      'Could not read DescribePodIdentityAssociation (associationId a-99) in cluster prod: DeadlineExceeded',
      'Could not read DescribePodIdentityAssociation for 25 associations in cluster prod: ThrottlingException',
    ]);
    const grouped = found.find((x) => x.evidence.count === 25)!;
    expect(grouped.evidence).toMatchObject({ count: 25, moreSubjects: 5 });
    expect((grouped.evidence.subjects as unknown[]).length).toBe(20);
  });
  it('fires for throttled Describe with the association as subject', () => {
    const c = eksCluster({
      associations: [association('a', 'b', { roleArn: undefined })],
      sourceErrors: [
        {
          source: 'eks',
          operation: 'DescribePodIdentityAssociation',
          code: 'ThrottlingException',
          message: 'Rate exceeded',
          subject: { associationId: 'a-1' },
        },
      ],
    });
    expect(only(fleet([c]), 'CL004')[0].title).toContain('associationId a-1');
  });
});
