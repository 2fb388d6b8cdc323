import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { podIdentityTrustPolicy } from './aws/trust-policy';
import { startSim, type RunningSim } from './index';

// The simulated Restate writes partition snapshots only while its identity works, like the real one.

const latest = (partition: number, createdAt: string, prefix = 'payments', extra: Record<string, unknown> = {}) => ({
  key: `${prefix}/${partition}/latest.json`,
  ...extra,
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

const podIdentityTrustWithoutTagSession = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const putUnder = (bucket: string, prefix: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/${prefix}/*` }],
});
const restateCluster = (name: string, role: string, destination: string) => ({
  apiVersion: 'restate.dev/v1',
  kind: 'RestateCluster',
  metadata: { name },
  spec: {
    compute: { replicas: 1 },
    security: { awsPodIdentityAssociationRoleArn: `arn:aws:iam::111122223333:role/${role}` },
    config: `[worker.snapshots]\ndestination = "${destination}"\nsnapshot-interval = "1h"\n`,
  },
});

const scenario = {
  now: '2026-11-22T12:00:00Z',
  accounts: [
    {
      id: '111122223333',
      roles: [
        // broken at load: the trust lacks sts:TagSession, and the role may not write either
        { name: 'restate-snapshots', trustPolicy: podIdentityTrustWithoutTagSession },
        // healthy at load
        {
          name: 'restate-ledger',
          trustPolicy: podIdentityTrustPolicy(),
          inlinePolicies: { write: putUnder('restate-snapshots', 'ledger') },
        },
        // allowed by its own policy, denied by the bucket's
        { name: 'restate-audit', trustPolicy: podIdentityTrustPolicy(), inlinePolicies: { write: putUnder('audit-snapshots', 'audit') } },
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
        restateCluster('restate-payments', 'restate-snapshots', 's3://restate-snapshots/payments'),
        restateCluster('restate-ledger', 'restate-ledger', 's3://restate-snapshots/ledger'),
        restateCluster('restate-audit', 'restate-audit', 's3://audit-snapshots/audit'),
      ],
    },
  ],
  buckets: [
    {
      name: 'restate-snapshots',
      region: 'us-east-1',
      owner: '111122223333',
      objects: [latest(0, '-20m'), latest(1, '-26h'), latest(0, '-5h', 'ledger'), latest(1, '-3h', 'ledger', { leaderStuck: true })],
    },
    {
      name: 'audit-snapshots',
      region: 'us-east-1',
      owner: '111122223333',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'NoRestateWrites',
            Effect: 'Deny',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/restate-audit' },
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::audit-snapshots/*',
          },
        ],
      },
      objects: [latest(0, '-2h', 'audit')],
    },
  ],
};

let sim: RunningSim;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-restate-'));
  writeFileSync(path.join(dir, 'scenario.yaml'), stringify(scenario));
  sim = await startSim({ scenarioFile: path.join(dir, 'scenario.yaml'), rolloutReadyDelayMs: 10 });
});
afterAll(async () => sim?.stop());

const createdAt = (partition: number, prefix = 'payments', bucket = 'restate-snapshots') =>
  JSON.parse(sim.world.buckets.get(bucket)!.objects.get(`${prefix}/${partition}/latest.json`)!.body.toString('utf8')).created_at as string;
const HOUR = 3_600_000;

// The tests run in order and share one world; each step is synchronous from its change to its check, so the
// writer's own one-second timer cannot act in between.
describe('the simulated Restate snapshot writer', () => {
  it('keeps every partition as the scenario gives it at load, however old', () => {
    expect(sim.restateWriter.check()).toBe(0);
    expect(createdAt(0, 'ledger')).toBe('2026-11-22T07:00:00Z'); // 5 h old with a healthy writer: still 5 h old
    expect(createdAt(1, 'payments')).toBe('2026-11-21T10:00:00Z');
    expect(createdAt(0, 'audit', 'audit-snapshots')).toBe('2026-11-22T10:00:00Z');
  });

  it('uploads only once both the trust policy and the role permissions are fixed, and only the overdue partition', () => {
    const role = sim.world.accounts.get('111122223333')!.roles.get('restate-snapshots')!;
    const before = [createdAt(0), createdAt(1)];
    role.trustPolicy = podIdentityTrustPolicy();
    expect(sim.restateWriter.check()).toBe(0); // the role still lacks s3:PutObject
    expect([createdAt(0), createdAt(1)]).toEqual(before);

    role.inlinePolicies.set('write', putUnder('restate-snapshots', 'payments'));
    expect(sim.restateWriter.check()).toBe(1);
    expect(createdAt(0)).toBe(before[0]);
    expect(Date.parse(createdAt(1))).toBeGreaterThan(sim.world.clock.now().getTime() - 5_000);
    const objects = [...sim.world.buckets.get('restate-snapshots')!.objects.keys()];
    expect(objects.some((key) => key.startsWith('payments/1/lsn_00000000000000001100-'))).toBe(true);
  });

  it('a healthy writer snapshots an interval after load; a stuck leader and a bucket policy that denies the writer never do', () => {
    sim.world.clock.advance(HOUR + 1_000);
    const written = sim.restateWriter.check();
    expect(Date.parse(createdAt(0, 'ledger'))).toBeGreaterThan(Date.parse('2026-11-22T12:00:00Z'));
    expect(createdAt(1, 'ledger')).toBe('2026-11-22T09:00:00Z'); // leaderStuck
    expect(createdAt(0, 'audit', 'audit-snapshots')).toBe('2026-11-22T10:00:00Z'); // explicit deny in the bucket policy
    // ledger/0, payments/0 (now 80 min old) and payments/1 (written an hour ago) were due
    expect(Date.parse(createdAt(0))).toBeGreaterThan(Date.parse('2026-11-22T12:00:00Z'));
    expect(written).toBe(3);
  });
});
