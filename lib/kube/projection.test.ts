import { describe, expect, it } from 'vitest';
import { buildClusterRows, buildServiceAccountRows } from '@/lib/identity';
import {
  PI_ENV,
  association,
  eksCluster,
  fleet,
  iamRole,
  irsaEnv,
  node,
  pod,
  podIdentityStatement,
  roleArn,
  roles,
  serviceAccount,
} from '@/lib/identity/test-fixtures';
import type { KubeObject, Pod, Workload } from '@/lib/model/kube-objects';
import { projectConfigMap, projectNode, projectPod, projectServiceAccount, projectWorkload } from './projection';

// An informer keeps projections, not whole objects (issue 17): the rules must judge a projected fleet exactly as
// the whole one, and what is dropped must be what is large and unread.

const role = iamRole(roleArn('api-role'), [podIdentityStatement()]);

function withNoise<T extends KubeObject>(object: T): T {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:metadata': {} } }],
      annotations: { ...object.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': '{"a":"very long"}' },
    },
  };
}

describe('projections', () => {
  it('the rules judge a projected fleet exactly as the whole one', () => {
    const pods: Pod[] = [
      pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV, startTime: '2026-11-12T10:00:00Z' }),
      pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(roleArn('web-role'), 'regional') }),
      pod('shop', 'bare', { serviceAccount: 'web' }),
    ].map((p) => withNoise({ ...p, status: { ...p.status, qosClass: 'BestEffort', hostIP: '10.0.0.1' } }));
    const whole = fleet(
      [
        eksCluster({
          serviceAccounts: [
            serviceAccount('payments', 'api'),
            serviceAccount('shop', 'web', { 'eks.amazonaws.com/role-arn': roleArn('web-role') }),
          ].map(withNoise),
          associations: [association('payments', 'api', { roleArn: role.arn, associationId: 'a-payments1234567' })],
          pods,
          nodes: [withNoise(node('node-a', { 'eks.amazonaws.com/compute-type': 'auto' }))],
        }),
      ],
      { roles: roles(role) },
    );
    const kube = whole.clusters[0].kube;
    const projected = {
      ...whole,
      clusters: [
        {
          ...whole.clusters[0],
          kube: {
            ...kube,
            serviceAccounts: kube.serviceAccounts!.map(projectServiceAccount),
            pods: kube.pods!.map(projectPod),
            nodes: kube.nodes!.map(projectNode),
            workloads: kube.workloads?.map(projectWorkload) ?? kube.workloads,
          },
        },
      ],
    };
    expect(buildServiceAccountRows(projected)).toEqual(buildServiceAccountRows(whole));
    expect(buildClusterRows(projected)).toEqual(buildClusterRows(whole));
  });

  it('drops managedFields, the last-applied copy and unread status, and keeps what the rules read', () => {
    const projected = projectPod(
      withNoise({
        ...pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV }),
        status: { phase: 'Running', qosClass: 'BestEffort' },
      }),
    );
    expect(projected.metadata).not.toHaveProperty('managedFields');
    expect(projected.metadata.annotations).toEqual({});
    expect(projected.status).toEqual({ phase: 'Running' });
    expect(projected.spec.serviceAccountName).toBe('api');
    expect(projected.spec.containers[0].env).toEqual(PI_ENV);
  });

  it("keeps a CronJob's job template, and a ConfigMap's data", () => {
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'batch' },
      spec: {
        schedule: '0 0 * * *',
        jobTemplate: { spec: { template: { spec: { serviceAccountName: 'worker', containers: [{ name: 'w' }] } } } },
      },
    } as unknown as Workload;
    expect(projectWorkload(cronJob).spec).toEqual({
      jobTemplate: { spec: { template: { spec: { serviceAccountName: 'worker', containers: [{ name: 'w' }] } } } },
    });
    expect(
      projectConfigMap({ metadata: { name: 'proxy', namespace: 'shop' }, data: { HTTPS_PROXY: 'http://proxy:3128' } } as KubeObject),
    ).toEqual({
      metadata: { name: 'proxy', namespace: 'shop' },
      data: { HTTPS_PROXY: 'http://proxy:3128' },
    });
  });
});
