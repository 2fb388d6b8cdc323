import { describe, expect, it } from 'vitest';
import type { PodDetail } from '@/lib/model/identity-row';
import { fixCommands, workloadsToRestart } from './action-commands';

const pod = (owner: PodDetail['owner']): PodDetail => ({
  name: 'p',
  namespace: 'payments',
  node: null,
  phase: 'Running',
  startTime: null,
  mechanism: 'none',
  env: [],
  stale: true,
  owner,
  images: [],
});

describe('how-to-fix commands', () => {
  it('restarts the Deployment behind ReplicaSet-owned pods, once each, and skips bare and Job pods', () => {
    const pods = [
      pod({ kind: 'ReplicaSet', name: 'payments-api-7d9f8b6c5d' }),
      pod({ kind: 'ReplicaSet', name: 'payments-api-7d9f8b6c5d' }),
      pod({ kind: 'StatefulSet', name: 'ledger' }),
      pod({ kind: 'Job', name: 'migrate' }),
      pod(null),
    ];
    expect(workloadsToRestart(pods)).toEqual([
      { kind: 'Deployment', name: 'payments-api' },
      { kind: 'StatefulSet', name: 'ledger' },
    ]);
    expect(
      fixCommands({ type: 'roll-pods', params: { cluster: 'prod', namespace: 'payments', serviceAccount: 'payments-api' } }, { pods }),
    ).toEqual(['kubectl -n payments rollout restart deployment/payments-api', 'kubectl -n payments rollout restart statefulset/ledger']);
  });

  it('removes the STS annotation when the value is null and sets it otherwise', () => {
    expect(fixCommands({ type: 'set-sts-regional-endpoints', params: { namespace: 'data', serviceAccount: 'etl', value: null } })[0]).toBe(
      'kubectl -n data annotate serviceaccount etl eks.amazonaws.com/sts-regional-endpoints-',
    );
    expect(
      fixCommands({ type: 'set-sts-regional-endpoints', params: { namespace: 'data', serviceAccount: 'etl', value: 'true' } })[0],
    ).toBe('kubectl -n data annotate serviceaccount etl eks.amazonaws.com/sts-regional-endpoints=true --overwrite');
  });

  it('names the role of a trust-policy fix and the region of EKS calls', () => {
    expect(fixCommands({ type: 'fix-trust-policy', params: { roleArn: 'arn:aws:iam::111122223333:role/team/settlement' } }).at(-1)).toBe(
      'aws iam update-assume-role-policy --role-name settlement --policy-document file://trust-policy.json',
    );
    expect(fixCommands({ type: 'delete-association', params: { cluster: 'prod', associationId: 'a-1' } }, { region: 'us-east-1' })).toEqual(
      ['aws eks delete-pod-identity-association --cluster-name prod --association-id a-1 --region us-east-1'],
    );
  });

  it('asks for what the params cannot know instead of inventing it', () => {
    const commands = fixCommands({ type: 'create-association', params: { cluster: 'prod', roleArn: 'arn:aws:iam::1:role/x' } });
    expect(commands[0]).toMatch(/^NAMESPACE=/);
    expect(commands.at(-1)).toContain('--namespace "$NAMESPACE" --service-account "$SERVICE_ACCOUNT" --role-arn arn:aws:iam::1:role/x');
  });
});
