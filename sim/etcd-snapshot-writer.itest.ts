import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsCli, runAwsCli } from './aws/aws-cli-test';
import { startSim, type RunningSim } from './index';

// The simulated K3s etcd snapshots seen as an operator sees them: kubectl for the ETCDSnapshotFile records and
// events, the aws CLI for the bucket and the IAM fix. Uploads fail while the bucket denies the account or the IAM
// user lacks s3:PutObject, and the next scheduled run after each fix shows it.

const run = promisify(execFile);
const toolsPresent =
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0 &&
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
if (!toolsPresent) console.log('skipping the etcd snapshot writer checks: kubectl or the aws CLI is not installed');

const ACCOUNT = '111122223333';
const USER_KEY = 'AKIAK3SETCDUSER00001';
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/k3s-etcd-backups`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const listOnly = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::k3s-backups' }],
};

const scenario = {
  now: '2026-11-22T08:00:00Z',
  accounts: [
    {
      id: ACCOUNT,
      managedPolicies: [{ name: 'k3s-etcd-backups', document: listOnly }],
      users: [{ name: 'k3s-etcd', accessKeyId: USER_KEY, secretAccessKey: 'etcd-secret', attachedPolicies: [POLICY] }],
    },
  ],
  buckets: [{ name: 'k3s-backups', owner: ACCOUNT, deny: [ACCOUNT] }],
  clusters: [
    {
      name: 'edge',
      kind: 'k3s',
      version: '1.31',
      etcdSnapshots: { nodes: ['edge-server-0'] },
      objects: [
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'etcdsnapshotfiles.k3s.cattle.io' },
          spec: {
            group: 'k3s.cattle.io',
            scope: 'Cluster',
            names: { plural: 'etcdsnapshotfiles', singular: 'etcdsnapshotfile', kind: 'ETCDSnapshotFile' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
              },
            ],
          },
        },
        // The server runs with --etcd-s3 --etcd-s3-config-secret k3s-etcd-s3 (docs.k3s.io, etcd-snapshot).
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'k3s-etcd-s3', namespace: 'kube-system' },
          type: 'etcd.k3s.cattle.io/s3-config-secret',
          data: {
            'etcd-s3-bucket': b64('k3s-backups'),
            'etcd-s3-folder': b64('edge'),
            'etcd-s3-region': b64('us-east-1'),
            'etcd-s3-access-key': b64(USER_KEY),
            'etcd-s3-secret-key': b64('etcd-secret'),
          },
        },
      ],
    },
  ],
};

let sim: RunningSim;
let dir: string;
let awsPath: string;

beforeAll(async () => {
  if (!toolsPresent) return;
  awsPath = (await findAwsCli())!;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-etcd-writer-'));
  fs.writeFileSync(path.join(dir, 'scenario.yaml'), YAML.stringify(scenario));
  sim = await startSim({ scenarioFile: path.join(dir, 'scenario.yaml'), rolloutReadyDelayMs: 10 });
});
afterAll(async () => {
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function kubectl(args: string[], input?: string): Promise<string> {
  const child = run('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--context', 'edge', ...args], {
    encoding: 'utf8',
    env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', HOME: dir },
  });
  if (input !== undefined) child.child.stdin!.end(input);
  return (await child).stdout;
}

interface Record {
  metadata: { name: string; labels: { [label: string]: string } };
  spec: { snapshotName: string; nodeName: string; location: string };
  status: { readyToUse: boolean; creationTime: string; error?: { message: string } };
}

async function s3Records(): Promise<Record[]> {
  const list = JSON.parse(
    await kubectl(['get', 'etcdsnapshotfiles', '-l', 'etcd.k3s.cattle.io/snapshot-storage-node=s3', '-o', 'json']),
  ) as { items: Record[] };
  return list.items.sort((a, b) => a.status.creationTime.localeCompare(b.status.creationTime));
}

/** Moves the sim clock over HTTP, as a drill would, then runs the writer's pass at once instead of waiting its second. */
async function advanceHours(hours: number): Promise<void> {
  const response = await fetch(`${sim.controlUrl}/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: hours * 3_600_000 }) });
  expect(response.status).toBe(200);
  sim.etcdWriter.check();
}

const asUser = (...args: string[]) => runAwsCli(awsPath, sim.awsUrl, { accessKeyId: USER_KEY, secretAccessKey: 'etcd-secret' }, args);

// The steps share one world and run in order.
describe.skipIf(!toolsPresent)('the simulated K3s etcd snapshots', { timeout: 120_000 }, () => {
  it('has nothing at load, and the 12:00 run fails at the bucket check while the bucket denies the account', async () => {
    expect(await s3Records()).toEqual([]);
    await advanceHours(4);
    const [failed] = await s3Records();
    expect(failed.status.readyToUse).toBe(false);
    expect(failed.status.error?.message).toBe(
      'failed to initialize S3 client: failed to test for existence of bucket k3s-backups: Access Denied.',
    );
    const local = await kubectl(['get', 'etcdsnapshotfiles', '-l', 'etcd.k3s.cattle.io/snapshot-storage-node=edge-server-0', '-o', 'name']);
    expect(local.trim()).toMatch(/^etcdsnapshotfile\.k3s\.cattle\.io\/local-etcd-snapshot-edge-server-0-\d+-[0-9a-f]{6}$/);
    const events = JSON.parse(await kubectl(['get', 'events', '-n', 'default', '-o', 'json'])) as {
      items: { reason: string; message: string; involvedObject: { name: string } }[];
    };
    expect(events.items.find((event) => event.reason === 'ETCDSnapshotFailed')).toMatchObject({
      involvedObject: { name: failed.metadata.name },
      message: expect.stringContaining('Access Denied.'),
    });
  });

  it('with the deny lifted, the upload itself is refused: the user may list the bucket but not put', async () => {
    const lifted = await fetch(`${sim.controlUrl}/buckets/k3s-backups/deny`, { method: 'PUT', body: JSON.stringify({ accounts: [] }) });
    expect(await lifted.json()).toEqual({ accounts: [] });
    await advanceHours(12);
    const last = (await s3Records()).at(-1)!;
    expect(last.status.error?.message).toBe('Access Denied');
    expect(last.spec.location).toMatch(/^s3:\/\/k3s-backups\/edge\/etcd-snapshot-edge-server-0-\d+$/);
  });

  it('once a new version of the user managed policy allows s3:PutObject, the next run uploads, and the object is in the bucket', async () => {
    const root = sim.world.accounts.get(ACCOUNT)!;
    const put = await runAwsCli(awsPath, sim.awsUrl, { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey }, [
      'iam',
      'create-policy-version',
      '--policy-arn',
      POLICY,
      '--set-as-default',
      '--policy-document',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          ...listOnly.Statement,
          { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::k3s-backups/edge/*' },
        ],
      }),
    ]);
    expect(put.ok, put.stderr).toBe(true);
    await advanceHours(12);
    const last = (await s3Records()).at(-1)!;
    expect(last.status.readyToUse).toBe(true);
    const listed = await asUser('s3api', 'list-objects-v2', '--bucket', 'k3s-backups', '--prefix', 'edge/');
    expect(listed.ok, listed.stderr).toBe(true);
    const keys = (JSON.parse(listed.stdout) as { Contents: { Key: string }[] }).Contents.map((object) => object.Key);
    expect(keys).toEqual([last.spec.location.replace('s3://k3s-backups/', '')]);
  });

  it('a CronJob applied with kubectl uploads on its own schedule with the keys its pod gets from a Secret', async () => {
    const manifest = [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'offsite-keys', namespace: 'kube-system' }, stringData: { id: USER_KEY } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'etcd-offsite', namespace: 'kube-system' },
        spec: {
          schedule: '15 * * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  restartPolicy: 'OnFailure',
                  containers: [
                    {
                      name: 'save',
                      image: 'rancher/k3s:v1.31.4-k3s1',
                      command: ['sh', '-c', 'k3s etcd-snapshot save --s3 --s3-bucket k3s-backups --s3-folder edge --name offsite'],
                      env: [{ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'offsite-keys', key: 'id' } } }],
                    },
                  ],
                },
              },
            },
          },
        },
      },
    ];
    await kubectl(['apply', '-f', '-'], manifest.map((object) => YAML.stringify(object)).join('---\n'));
    sim.etcdWriter.check(); // the writer sees the new CronJob: its first run is the next :15
    await advanceHours(1);
    const offsite = (await s3Records()).filter((record) => record.spec.snapshotName.startsWith('offsite-'));
    expect(offsite).toHaveLength(1);
    expect(offsite[0]).toMatchObject({ status: { readyToUse: true }, spec: { nodeName: 'edge-server-0' } });
    const head = await asUser(
      's3api',
      'head-object',
      '--bucket',
      'k3s-backups',
      '--key',
      offsite[0].spec.location.replace('s3://k3s-backups/', ''),
    );
    expect(head.ok, head.stderr).toBe(true);
  });
});
