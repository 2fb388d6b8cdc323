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
      pod('shop', 'web-2', { serviceAccount: 'web', env: irsaEnv(roleArn('web-role'), 'regional'), ready: false }),
    ].map((p) =>
      withNoise({
        ...p,
        status: {
          ...p.status,
          qosClass: 'BestEffort',
          hostIP: '10.0.0.1',
          podIP: '10.0.1.7',
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-12T10:00:00Z' },
            ...(p.status?.conditions ?? []).map((condition) => ({ ...condition, lastTransitionTime: '2026-11-12T10:00:01Z' })),
          ],
          containerStatuses: [{ name: 'app', ready: true, image: 'example/app:1.0', imageID: 'example/app@sha256:00', restartCount: 2 }],
        },
      }),
    );
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

  it('the pods of one workload share one copy of what they have alike (memory at 200,000 pods), and nothing else', () => {
    const replica = (name: string, node: string) =>
      projectPod(
        JSON.parse(
          JSON.stringify({
            ...pod('shop', name, { serviceAccount: 'web', env: irsaEnv(roleArn('web-role'), 'regional'), node }),
            metadata: {
              ...pod('shop', name).metadata,
              labels: { app: 'web', 'pod-template-hash': '5d8f' },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'rs-1', controller: true }],
            },
          }),
        ),
      );
    const [a, b] = [replica('web-5d8f-a', 'node-a'), replica('web-5d8f-b', 'node-b')];
    expect(b.spec.containers).toBe(a.spec.containers);
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    // What differs stays each pod's own.
    expect([a.metadata.name, a.spec.nodeName, b.metadata.name, b.spec.nodeName]).toEqual(['web-5d8f-a', 'node-a', 'web-5d8f-b', 'node-b']);
    const other = projectPod(pod('shop', 'web-other', { serviceAccount: 'web', env: PI_ENV }));
    expect(other.spec.containers).not.toBe(a.spec.containers);
    expect(other.spec.containers[0].env).toEqual(PI_ENV);
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
