import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { podIdentityTrustPolicy } from './aws/trust-policy';
import { startSim, type RunningSim } from './index';
import { writeDueRestateSnapshots } from './restate-snapshot-writer';

// The simulated Restate writes partition snapshots only while its identity works, like the real one.

const latest = (partition: number, createdAt: string) => ({
  key: `payments/${partition}/latest.json`,
  json: {
    version: 'V2',
    partition_id: partition,
    node_name: 'restate-0',
    created_at: createdAt,
    snapshot_id: `snap_${partition}`,
    min_applied_lsn: 100,
    path: `lsn_${partition}`,
    retained_snapshots: [],
  },
});

const scenario = {
  now: '2026-11-22T12:00:00Z',
  accounts: [
    {
      id: '111122223333',
      roles: [
        {
          name: 'restate-snapshots',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
        },
      ],
    },
  ],
  clusters: [
    {
      name: 'prod',
      kind: 'eks',
      account: '111122223333',
      region: 'us-east-1',
      version: '1.31',
      platformVersion: 'eks.12',
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      objects: [
        {
          apiVersion: 'restate.dev/v1',
          kind: 'RestateCluster',
          metadata: { name: 'restate-payments' },
          spec: {
            compute: { replicas: 1 },
            security: { awsPodIdentityAssociationRoleArn: 'arn:aws:iam::111122223333:role/restate-snapshots' },
            config: '[worker.snapshots]\ndestination = "s3://restate-snapshots/payments"\nsnapshot-interval = "1h"\n',
          },
        },
      ],
    },
  ],
  buckets: [{ name: 'restate-snapshots', region: 'us-east-1', owner: '111122223333', objects: [latest(0, '-20m'), latest(1, '-26h')] }],
};

let sim: RunningSim;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-restate-'));
  writeFileSync(path.join(dir, 'scenario.yaml'), stringify(scenario));
  sim = await startSim({ scenarioFile: path.join(dir, 'scenario.yaml'), rolloutReadyDelayMs: 10 });
});
afterAll(async () => sim?.stop());

const createdAt = (partition: number) =>
  JSON.parse(sim.world.buckets.get('restate-snapshots')!.objects.get(`payments/${partition}/latest.json`)!.body.toString('utf8'))
    .created_at as string;

describe('the simulated Restate snapshot writer', () => {
  it('writes nothing while the role lacks sts:TagSession, then snapshots only the overdue partition once the trust is fixed', async () => {
    const before = [createdAt(0), createdAt(1)];
    expect(writeDueRestateSnapshots(sim.world, sim.kube)).toBe(0);
    expect([createdAt(0), createdAt(1)]).toEqual(before);

    sim.world.accounts.get('111122223333')!.roles.get('restate-snapshots')!.trustPolicy = podIdentityTrustPolicy();
    expect(writeDueRestateSnapshots(sim.world, sim.kube)).toBe(1);
    expect(createdAt(0)).toBe(before[0]);
    expect(Date.parse(createdAt(1))).toBeGreaterThan(sim.world.clock.now().getTime() - 5_000);
    const objects = [...sim.world.buckets.get('restate-snapshots')!.objects.keys()];
    expect(objects.some((key) => key.startsWith('payments/1/lsn_00000000000000001100-'))).toBe(true);
  });
});
