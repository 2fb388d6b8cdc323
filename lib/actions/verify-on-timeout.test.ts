import { describe, expect, it } from 'vitest';
import type { PodIdentityAssociation, IamRole } from '@/lib/model/cluster-state';
import type { Pod, ServiceAccount } from '@/lib/model/kube-objects';
import { annotationStep } from './annotation-change';
import { settle } from './definition';
import { scopeTrustPolicyToAssociations } from './fix-trust-policy/policy-edit';
import { ACTIONS, type VerifiedValue } from './registry';
import { rollState } from './roll-pods/roll-plan';
import type { ActionKind, ActionParams } from './schemas';
import type { ActionPlan, PlanStep } from './types';

// The verify-on-timeout path, for every action: the write went through, but the re-read never shows the effect
// within the wait. The action must end failed with what was last seen (or unknown outcome when nothing could be
// read), never succeeded; and the same action succeeds once the re-read does show it.

interface Case<K extends ActionKind> {
  params: ActionParams<K>;
  step?: PlanStep;
  /** What the re-read shows while the effect is not visible, and once it is. */
  stale: VerifiedValue[K];
  fresh: VerifiedValue[K];
  /** Words of the failure message that say what was last seen. */
  seen: string;
}

const ROLE = 'arn:aws:iam::111122223333:role/payments-api';
const OLD_ROLE = 'arn:aws:iam::111122223333:role/old-role';
const association = (over: Partial<PodIdentityAssociation> = {}): PodIdentityAssociation => ({
  associationId: 'a-abcdefghijklmno12',
  associationArn: 'arn:aws:eks:us-east-1:111122223333:podidentityassociation/prod/a-abcdefghijklmno12',
  clusterName: 'prod',
  namespace: 'payments',
  serviceAccount: 'api',
  roleArn: OLD_ROLE,
  ...over,
});
const serviceAccount = (annotations: Record<string, string>): ServiceAccount => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'api', namespace: 'payments', resourceVersion: '42', annotations },
});
const target = { cluster: 'prod', namespace: 'payments', serviceAccount: 'api' };
const annotate = (annotations: Record<string, string | null>) => annotationStep({ ...target, annotations }, '41', []);

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow' as const, Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const fix = scopeTrustPolicyToAssociations(trustPolicy, [
  {
    cluster: 'prod',
    clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod',
    clusterName: 'prod',
    account: '111122223333',
    namespace: 'payments',
    serviceAccount: 'api',
  },
]);
const role = (policy: IamRole['trustPolicy']): IamRole => ({
  arn: ROLE,
  name: 'payments-api',
  account: '111122223333',
  trustPolicy: policy,
});

const pod = (name: string, uid: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'payments', uid },
  spec: { serviceAccountName: 'api', containers: [{ name: 'app', image: 'app:1' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const roll = (pods: Pod[]) => {
  const state = rollState(new Set(['api-1']), new Set(['uid-1']), pods, { mechanism: 'pod-identity' });
  return { state, result: { replaced: state.done, total: state.total, newPods: state.newPods, withExpectedEnv: 0, expectedEnv: '' } };
};

const CASES: { [K in ActionKind]: Case<K> } = {
  'create-association': {
    params: { ...target, roleArn: ROLE },
    stale: association(),
    fresh: association({ roleArn: ROLE }),
    seen: `role ${OLD_ROLE}`,
  },
  'update-association': {
    params: { cluster: 'prod', associationId: 'a-abcdefghijklmno12', roleArn: ROLE, disableSessionTags: true },
    stale: association({ roleArn: ROLE, disableSessionTags: false }),
    fresh: association({ roleArn: ROLE, disableSessionTags: true }),
    seen: 'session tags on',
  },
  'delete-association': {
    params: { cluster: 'prod', associationId: 'a-abcdefghijklmno12', confirm: 'api' },
    stale: { gone: false, association: association() },
    fresh: { gone: true },
    seen: 'association a-abcdefghijklmno12',
  },
  'fix-trust-policy': {
    params: { roleArn: ROLE },
    step: {
      description: 'update',
      request: { service: 'iam', operation: 'UpdateAssumeRolePolicy', body: { RoleName: 'payments-api', PolicyDocument: fix.after } },
      cli: '',
    },
    stale: role(trustPolicy),
    fresh: role(fix.after),
    seen: 'a trust policy of 1 statement(s)',
  },
  'set-sts-regional-endpoints': {
    params: { ...target, value: 'true' },
    step: annotate({ 'eks.amazonaws.com/sts-regional-endpoints': 'true' }),
    stale: serviceAccount({ 'eks.amazonaws.com/sts-regional-endpoints': 'false' }),
    fresh: serviceAccount({ 'eks.amazonaws.com/sts-regional-endpoints': 'true' }),
    seen: '"eks.amazonaws.com/sts-regional-endpoints":"false"',
  },
  'remove-irsa-annotation': {
    params: target,
    step: annotate({ 'eks.amazonaws.com/role-arn': null }),
    stale: serviceAccount({ 'eks.amazonaws.com/role-arn': OLD_ROLE }),
    fresh: serviceAccount({}),
    seen: OLD_ROLE,
  },
  'roll-pods': {
    params: { ...target, includeBarePods: false, includeJobPods: false },
    stale: roll([pod('api-1', 'uid-1'), pod('api-2', 'uid-2')]),
    fresh: roll([pod('api-2', 'uid-2')]),
    seen: '0 of 1 pod(s) replaced',
  },
};

const planOf = <K extends ActionKind>(type: K, c: Case<K>): ActionPlan => ({
  type,
  params: { ...c.params },
  targets: [],
  summary: type,
  preflight: [],
  steps: c.step ? [c.step] : [],
});

// A short wait where the effect never shows; a long one where it does, so a busy machine cannot fail the test.
async function settleWith<K extends ActionKind>(type: K, read: (c: Case<K>) => Promise<VerifiedValue[K]>, timeoutMs = 200) {
  const c: Case<K> = CASES[type];
  return settle(ACTIONS[type], c.params, planOf(type, c), { status: 'written', read: () => read(c) }, { timeoutMs, intervalMs: 1 });
}

describe.each(Object.keys(CASES) as ActionKind[])('%s: the effect is verified, not assumed', (type) => {
  it('ends failed with what was last seen when the re-read never shows the effect', async () => {
    let reads = 0;
    const outcome = await settleWith(type, async (c) => {
      reads++;
      return c.stale;
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('not-verified');
    expect(outcome.error?.message).toContain(CASES[type].seen);
    expect(outcome.result).toEqual({ lastSeen: CASES[type].stale });
    expect(reads).toBeGreaterThan(1);
  });

  it('ends in unknown outcome when it cannot be read back at all', async () => {
    const outcome = await settleWith(type, () => Promise.reject(new Error('ThrottlingException: Rate exceeded')));
    expect(outcome.status).toBe('unknown outcome');
    expect(outcome.error?.message).toContain('Rate exceeded');
  });

  it('succeeds once a re-read shows the effect, even after stale reads', async () => {
    let reads = 0;
    const outcome = await settleWith(type, async (c) => (++reads < 3 ? c.stale : c.fresh), 60_000);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.error).toBeUndefined();
  });
});
