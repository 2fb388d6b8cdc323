import { describe, expect, it } from 'vitest';
import type { Pod, Workload } from '@/lib/model/kube-objects';
import { carriesExpectedEnv, notReadyReason, rollState, rollTargets } from './roll-plan';

function pod(
  name: string,
  o: {
    owner?: { kind: string; name: string };
    env?: Record<string, string>;
    uid?: string;
    ready?: boolean;
    terminating?: boolean;
    waiting?: string;
  } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'payments',
      uid: o.uid ?? `uid-${name}`,
      ...(o.owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner.kind, name: o.owner.name, uid: 'x', controller: true }] }
        : {}),
      ...(o.terminating ? { deletionTimestamp: '2026-11-22T12:00:00Z' } : {}),
    },
    spec: {
      serviceAccountName: 'api',
      containers: [{ name: 'app', image: 'app:1', env: Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })) }],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      ...(o.waiting
        ? {
            containerStatuses: [
              { name: 'app', state: { waiting: { reason: o.waiting, message: 'back-off 10s restarting failed container' } } },
            ],
          }
        : {}),
    } as Pod['status'],
  };
}

const replicaSet = (name: string, deployment: string | null): Workload => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'payments',
    ...(deployment
      ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment, uid: 'd', controller: true }] }
      : {}),
  },
});

const PI = {
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
};

describe('rollTargets', () => {
  it('restarts a Deployment through its ReplicaSet, and StatefulSets and DaemonSets directly', () => {
    const targets = rollTargets(
      [
        pod('api-1', { owner: { kind: 'ReplicaSet', name: 'api-5d8f' } }),
        pod('api-2', { owner: { kind: 'ReplicaSet', name: 'api-5d8f' } }),
        pod('db-0', { owner: { kind: 'StatefulSet', name: 'db' } }),
        pod('agent-x', { owner: { kind: 'DaemonSet', name: 'agent' } }),
      ],
      [replicaSet('api-5d8f', 'api')],
    );
    expect(targets.workloads).toEqual([
      { kind: 'DaemonSet', name: 'agent', pods: ['agent-x'] },
      { kind: 'Deployment', name: 'api', pods: ['api-1', 'api-2'] },
      { kind: 'StatefulSet', name: 'db', pods: ['db-0'] },
    ]);
    expect(targets.barePods).toEqual([]);
  });

  it('sets bare pods, Job pods and pods of other controllers apart instead of restarting anything for them', () => {
    const targets = rollTargets(
      [
        pod('debug'),
        pod('migrate-abc', { owner: { kind: 'Job', name: 'migrate' } }),
        pod('orphan-rs-1', { owner: { kind: 'ReplicaSet', name: 'orphan-rs' } }),
        pod('gone', { terminating: true }),
      ],
      [replicaSet('orphan-rs', null)],
    );
    expect(targets.workloads).toEqual([]);
    expect(targets.barePods).toEqual(['debug']);
    expect(targets.jobPods).toEqual(['migrate-abc']);
    expect(targets.otherPods).toEqual([{ pod: 'orphan-rs-1', owner: 'ReplicaSet/orphan-rs' }]);
  });
});

describe('carriesExpectedEnv', () => {
  it('Pod Identity: the credentials URI', () => {
    expect(carriesExpectedEnv(pod('a', { env: PI }), { mechanism: 'pod-identity' })).toBe(true);
    expect(carriesExpectedEnv(pod('a'), { mechanism: 'pod-identity' })).toBe(false);
  });

  it('IRSA: the role, the token file, and the STS mode the annotation asks for', () => {
    const irsa = {
      AWS_ROLE_ARN: 'arn:aws:iam::1:role/r',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
    };
    expect(
      carriesExpectedEnv(pod('a', { env: { ...irsa, AWS_STS_REGIONAL_ENDPOINTS: 'regional' } }), {
        mechanism: 'irsa',
        roleArn: 'arn:aws:iam::1:role/r',
        stsRegional: true,
      }),
    ).toBe(true);
    expect(carriesExpectedEnv(pod('a', { env: irsa }), { mechanism: 'irsa', roleArn: 'arn:aws:iam::1:role/r', stsRegional: true })).toBe(
      false,
    );
    expect(carriesExpectedEnv(pod('a', { env: irsa }), { mechanism: 'irsa', roleArn: 'arn:aws:iam::1:role/r', stsRegional: false })).toBe(
      true,
    );
    expect(
      carriesExpectedEnv(pod('a', { env: irsa }), { mechanism: 'irsa', roleArn: 'arn:aws:iam::1:role/other', stsRegional: null }),
    ).toBe(false);
  });

  it('no identity: neither credential env', () => {
    expect(carriesExpectedEnv(pod('a'), { mechanism: 'none' })).toBe(true);
    expect(carriesExpectedEnv(pod('a', { env: PI }), { mechanism: 'none' })).toBe(false);
  });
});

describe('rollState', () => {
  const original = [pod('api-1', { uid: 'u1' }), pod('api-2', { uid: 'u2' })];
  const names = new Set(original.map((p) => p.metadata.name));
  const uids = new Set(['u1', 'u2']);

  it('counts originals replaced and new pods with the expected env, and finishes only when every new pod is ready', () => {
    const midway = rollState(
      names,
      uids,
      [original[1], pod('api-3', { uid: 'u3', env: PI }), pod('api-4', { uid: 'u4', env: PI, ready: false })],
      { mechanism: 'pod-identity' },
    );
    expect(midway).toMatchObject({ done: 1, total: 2, newPods: 2, withExpectedEnv: 2, finished: false });
    expect(midway.message).toBe(
      '1 of 2 pod(s) replaced; 1 of 2 new pod(s) ready, 2 carry AWS_CONTAINER_CREDENTIALS_FULL_URI (Pod Identity).',
    );

    const waiting = rollState(names, uids, [pod('api-3', { uid: 'u3', env: PI }), pod('api-4', { uid: 'u4', env: PI, ready: false })], {
      mechanism: 'pod-identity',
    });
    expect(waiting).toMatchObject({ done: 2, finished: false });

    const done = rollState(names, uids, [pod('api-3', { uid: 'u3', env: PI }), pod('api-4', { uid: 'u4' })], { mechanism: 'pod-identity' });
    expect(done).toMatchObject({ done: 2, total: 2, newPods: 2, withExpectedEnv: 1, finished: true });
  });

  it('a StatefulSet pod recreated under the same name is new when its uid changed', () => {
    const state = rollState(new Set(['db-0']), new Set(['old']), [pod('db-0', { uid: 'new', env: PI })], { mechanism: 'pod-identity' });
    expect(state).toMatchObject({ done: 1, total: 1, newPods: 1, withExpectedEnv: 1, finished: true });
  });

  it('a terminating original still counts as not yet replaced', () => {
    const state = rollState(names, uids, [pod('api-1', { uid: 'u1', terminating: true }), pod('api-3', { uid: 'u3', env: PI })], {
      mechanism: 'pod-identity',
    });
    expect(state).toMatchObject({ done: 1, finished: false });
  });
});

describe('notReadyReason', () => {
  it('names the waiting container and its reason, as kubectl describe does', () => {
    expect(notReadyReason(pod('api-3', { ready: false, waiting: 'CrashLoopBackOff' }))).toBe(
      'pod api-3: container app is waiting (CrashLoopBackOff: back-off 10s restarting failed container)',
    );
    expect(notReadyReason(pod('api-4', { ready: false }))).toBe('pod api-4 is Running and not ready');
  });
});
