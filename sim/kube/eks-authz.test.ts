import { describe, expect, it } from 'vitest';
import type { SimAccessEntry } from '../world';
import { accessPoliciesAllow } from './eks-authz';
import type { RequestAttributes } from './rbac';

const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

function entry(...policies: { name: string; namespaces?: string[] }[]): SimAccessEntry {
  return {
    principalArn: 'arn:aws:iam::111111111111:role/console',
    accessEntryArn: 'arn:aws:eks:eu-west-1:111111111111:access-entry/prod/role/111111111111/console/x',
    kubernetesGroups: [],
    username: 'u',
    type: 'STANDARD',
    tags: {},
    createdAt: '',
    modifiedAt: '',
    accessPolicies: new Map(
      policies.map((p) => [
        policy(p.name),
        {
          policyArn: policy(p.name),
          accessScope: p.namespaces
            ? { type: 'namespace' as const, namespaces: p.namespaces }
            : { type: 'cluster' as const, namespaces: [] },
          associatedAt: '',
          modifiedAt: '',
        },
      ]),
    ),
  };
}

const list = (resource: string, namespace?: string, apiGroup = ''): RequestAttributes => ({
  verb: 'list',
  resourceRequest: true,
  apiGroup,
  resource,
  ...(namespace ? { namespace } : {}),
});

describe('access policies as EKS defines them', () => {
  it('AmazonEKSViewPolicy reads workloads everywhere but not nodes, secrets or custom resources', () => {
    const view = entry({ name: 'AmazonEKSViewPolicy' });
    expect(accessPoliciesAllow(view, list('pods'))).toBe('AmazonEKSViewPolicy');
    expect(accessPoliciesAllow(view, list('deployments', undefined, 'apps'))).toBe('AmazonEKSViewPolicy');
    expect(accessPoliciesAllow(view, list('nodes'))).toBeUndefined();
    expect(accessPoliciesAllow(view, list('secrets', 'payments'))).toBeUndefined();
    expect(accessPoliciesAllow(view, list('restateclusters', undefined, 'restate.dev'))).toBeUndefined();
    expect(accessPoliciesAllow(view, { ...list('pods', 'payments'), verb: 'delete', name: 'x' })).toBeUndefined();
    expect(
      accessPoliciesAllow(view, {
        verb: 'create',
        resourceRequest: true,
        apiGroup: '',
        resource: 'pods',
        subresource: 'eviction',
        namespace: 'a',
      }),
    ).toBeUndefined();
  });

  it('AmazonEKSEditPolicy writes pods but not RBAC; AmazonEKSAdminPolicy writes roles; cluster admin does everything', () => {
    const edit = { verb: 'create', resourceRequest: true, apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'a' };
    expect(accessPoliciesAllow(entry({ name: 'AmazonEKSEditPolicy' }), { ...list('pods', 'a'), verb: 'delete' })).toBe(
      'AmazonEKSEditPolicy',
    );
    expect(accessPoliciesAllow(entry({ name: 'AmazonEKSEditPolicy' }), edit)).toBeUndefined();
    expect(accessPoliciesAllow(entry({ name: 'AmazonEKSAdminPolicy' }), edit)).toBe('AmazonEKSAdminPolicy');
    expect(accessPoliciesAllow(entry({ name: 'AmazonEKSClusterAdminPolicy' }), list('nodes'))).toBe('AmazonEKSClusterAdminPolicy');
    expect(
      accessPoliciesAllow(entry({ name: 'AmazonEKSClusterAdminPolicy' }), { verb: 'get', resourceRequest: false, path: '/metrics' }),
    ).toBe('AmazonEKSClusterAdminPolicy');
  });

  it('a namespace scope (with a trailing * as a prefix) allows only requests inside its namespaces', () => {
    const scoped = entry({ name: 'AmazonEKSViewPolicy', namespaces: ['pay*', 'data'] });
    expect(accessPoliciesAllow(scoped, list('pods', 'payments'))).toBeDefined();
    expect(accessPoliciesAllow(scoped, list('pods', 'data'))).toBeDefined();
    expect(accessPoliciesAllow(scoped, list('pods', 'database'))).toBeUndefined();
    expect(accessPoliciesAllow(scoped, list('pods'))).toBeUndefined();
    const admin = entry({ name: 'AmazonEKSClusterAdminPolicy', namespaces: ['a'] });
    expect(accessPoliciesAllow(admin, { verb: 'get', resourceRequest: false, path: '/version' })).toBeUndefined();
  });
});
