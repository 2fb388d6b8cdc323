import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildWorld } from './build-world';
import { createEtcdSnapshotWriter, type EtcdSnapshotWriter } from './etcd-snapshot-writer';
import { createKubeSim, type KubeSim } from './kube/index';
import type { KubeObj } from './kube/store';
import { parseScenario } from './scenario/load';
import type { SimWorld } from './world';

// K3s/RKE2 etcd snapshots in the simulator (domain.md §2b): the server's schedule and CronJob uploads write
// what k3s would — records, S3 objects, events — only after load, and only as far as their identity may.

let kube: KubeSim | undefined;
afterEach(() => kube?.stop());

const HOUR = 3_600_000;
const ACCOUNT = '111122223333';
const crd = {
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
};
const writeBackups = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::*' },
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::*/*' },
  ],
};
const key = (text: string) => Buffer.from(text).toString('base64');
const cronJob = (name: string, container: Record<string, unknown>, schedule = '*/30 * * * *') => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: 'kube-system' },
  spec: {
    schedule,
    jobTemplate: {
      spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name, image: 'rancher/k3s', ...container }] } } },
    },
  },
});
const k3s = (name: string, etcdSnapshots: unknown, objects: unknown[] = [], kind = 'k3s') => ({
  name,
  kind,
  ...(etcdSnapshots ? { etcdSnapshots } : {}),
  objects: [crd, ...objects],
});

const SCENARIO = {
  now: '2026-11-22T08:00:00Z',
  accounts: [
    {
      id: ACCOUNT,
      users: [
        { name: 'etcd-writer', accessKeyId: 'AKIAETCDWRITER000001', secretAccessKey: 's', inlinePolicies: { s3: writeBackups } },
        {
          name: 'etcd-putless',
          accessKeyId: 'AKIAETCDPUTLESS00001',
          secretAccessKey: 's',
          inlinePolicies: { s3: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] } },
        },
      ],
      roles: [
        {
          name: 'k3s-node',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          inlinePolicies: { s3: writeBackups },
        },
      ],
    },
  ],
  buckets: [
    { name: 'backups', owner: ACCOUNT },
    { name: 'locked', owner: ACCOUNT, deny: [ACCOUNT] },
  ],
  clusters: [
    k3s('edge', { nodes: ['edge-server-0'], retention: 3, s3: { bucket: 'backups', folder: 'edge', user: 'etcd-writer' } }, [
      {
        apiVersion: 'k3s.cattle.io/v1',
        kind: 'ETCDSnapshotFile',
        metadata: { name: 's3-etcd-snapshot-edge-server-0-1', labels: { 'etcd.k3s.cattle.io/snapshot-storage-node': 's3' } },
        spec: {
          snapshotName: 'etcd-snapshot-edge-server-0-1',
          nodeName: 's3',
          location: 's3://backups/edge/etcd-snapshot-edge-server-0-1',
        },
        status: { creationTime: '-2h', readyToUse: false, error: { time: '-2h', message: 'Access Denied' } },
      },
    ]),
    k3s('locked', { nodes: ['locked-server-0'], s3: { bucket: 'locked', folder: 'x', user: 'etcd-writer' } }),
    k3s('putless', { nodes: ['putless-server-0'], s3: { bucket: 'backups', folder: 'putless', accessKeyId: 'AKIAETCDPUTLESS00001' } }),
    k3s('imds', {
      nodes: ['imds-server-0'],
      instanceRoleArn: `arn:aws:iam::${ACCOUNT}:role/k3s-node`,
      s3: { bucket: 'backups', folder: 'imds' },
    }),
    k3s('anonymous', { nodes: ['anonymous-server-0'], s3: { bucket: 'backups' } }),
    k3s('local-only', { nodes: ['local-only-server-0'], schedule: '0 */6 * * *', name: 'nightly' }),
    k3s(
      'secret',
      { nodes: ['secret-server-0'] },
      [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'rke2-etcd-s3', namespace: 'kube-system' },
          type: 'etcd.k3s.cattle.io/s3-config-secret',
          data: { 'etcd-s3-bucket': key('backups'), 'etcd-s3-folder': key('rke2'), 'etcd-s3-access-key': key('AKIAETCDPUTLESS00001') },
        },
      ],
      'rke2',
    ),
    k3s('pods', null, [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'etcd-keys', namespace: 'kube-system' },
        data: { id: key('AKIAETCDWRITER000001'), secret: key('s') },
      },
      cronJob('script-with-env-keys', {
        command: ['sh', '-c', 'k3s etcd-snapshot save --s3 --s3-bucket backups --s3-folder pods && echo done'],
        env: [
          { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'etcd-keys', key: 'id' } } },
          { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'etcd-keys', key: 'secret' } } },
          { name: 'NODE_NAME', value: 'pods-server-1' },
        ],
      }),
      cronJob(
        'flag-keys',
        {
          command: ['/bin/k3s'],
          args: ['etcd-snapshot', '--etcd-s3', '--etcd-s3-bucket=backups', '--name', 'offsite', '--etcd-s3-access-key=$(KEY)'],
          env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'etcd-keys', key: 'id' } } }],
        },
        '0 * * * *',
      ),
      cronJob('irsa-on-k3s', {
        command: ['k3s', 'etcd-snapshot', 'save', '--s3', '--s3-bucket', 'backups'],
        env: [
          { name: 'AWS_ROLE_ARN', value: `arn:aws:iam::${ACCOUNT}:role/k3s-node` },
          { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/token' },
        ],
      }),
      cronJob('lists-only', { command: ['k3s', 'etcd-snapshot', 'ls', '--s3', '--s3-bucket', 'backups'] }),
    ]),
  ],
};

function load(): { world: SimWorld; writer: EtcdSnapshotWriter; advance: (ms: number) => number } {
  const loaded = { file: 'a.yaml', scenario: parseScenario(stringify(SCENARIO), 'a.yaml'), objectFileDocuments: new Map() };
  const world = buildWorld(loaded);
  kube = createKubeSim(world, loaded, { rolloutReadyDelayMs: 10 });
  const writer = createEtcdSnapshotWriter(world, kube, loaded.scenario);
  return {
    world,
    writer,
    advance(ms) {
      world.clock.advance(ms);
      return writer.check();
    },
  };
}

function records(cluster: string): KubeObj[] {
  const c = kube!.clusters.get(cluster)!;
  return c.store
    .list(c.type('k3s.cattle.io', 'v1', 'etcdsnapshotfiles'))
    .map(({ object }) => object)
    .sort((a, b) =>
      String((a.status as { creationTime: string }).creationTime).localeCompare(
        String((b.status as { creationTime: string }).creationTime),
      ),
    );
}

const byStorage = (cluster: string, storage: string, label = 'etcd.k3s.cattle.io/snapshot-storage-node') =>
  records(cluster).filter((r) => (r.metadata.labels as Record<string, string>)[label] === storage);
const status = (record: KubeObj) =>
  record.status as { readyToUse: boolean; creationTime: string; size: string; error?: { message: string; time: string } };

function events(cluster: string): { reason: string; message: string; type: string }[] {
  const c = kube!.clusters.get(cluster)!;
  return c.store.list(c.type('', 'v1', 'events'), 'default').map(({ object }) => object as never);
}

describe('the server schedule', () => {
  it('writes nothing at load and nothing before the first scheduled time after it', () => {
    const { advance } = load();
    expect(records('edge').map((r) => r.metadata.name)).toEqual(['s3-etcd-snapshot-edge-server-0-1']);
    expect(advance(29 * 60_000)).toBe(0);
    advance(3 * HOUR + 30 * 60_000); // 11:59: only the CronJobs (every 30 min) have run
    expect(records('edge')).toHaveLength(1);
    expect(records('locked')).toHaveLength(0);
  });

  it('at 12:00 saves a local snapshot and uploads it with the IAM user of its flags, named and labelled as k3s does', () => {
    const { world, advance } = load();
    advance(4 * HOUR);
    const unix = Date.parse('2026-11-22T12:00:00Z') / 1000;
    const [local] = byStorage('edge', 'edge-server-0');
    expect(local.metadata.name).toMatch(new RegExp(`^local-etcd-snapshot-edge-server-0-${unix}-[0-9a-f]{6}$`));
    expect(local.spec).toEqual({
      snapshotName: `etcd-snapshot-edge-server-0-${unix}`,
      nodeName: 'edge-server-0',
      location: `file:///var/lib/rancher/k3s/server/db/snapshots/etcd-snapshot-edge-server-0-${unix}`,
    });
    expect(status(local)).toMatchObject({ readyToUse: true, creationTime: '2026-11-22T12:00:00Z' });
    const uploaded = byStorage('edge', 's3').find((r) => status(r).readyToUse)!;
    expect(uploaded.metadata.name).toMatch(new RegExp(`^s3-etcd-snapshot-edge-server-0-${unix}-[0-9a-f]{6}$`));
    expect(uploaded.spec).toEqual({
      snapshotName: `etcd-snapshot-edge-server-0-${unix}`,
      nodeName: 'edge-server-0',
      location: `s3://backups/edge/etcd-snapshot-edge-server-0-${unix}`,
      s3: { endpoint: 's3.amazonaws.com', bucket: 'backups', region: 'us-east-1', prefix: 'edge' },
    });
    expect(world.buckets.get('backups')!.objects.has(`edge/etcd-snapshot-edge-server-0-${unix}`)).toBe(true);
    expect(events('edge').map((e) => [e.reason, e.type])).toEqual([
      ['ETCDSnapshotCreated', 'Normal'],
      ['ETCDSnapshotCreated', 'Normal'],
    ]);
    expect(events('edge')[1].message).toBe(`Snapshot etcd-snapshot-edge-server-0-${unix} saved on edge-server-0`);
  });

  it('records the bucket check failing when the bucket denies the account, and succeeds at the next run once the deny is lifted', () => {
    const { world, advance } = load();
    advance(4 * HOUR);
    const [failed] = byStorage('locked', 's3');
    expect(failed.spec).toMatchObject({ nodeName: 's3', location: '', s3: { bucket: 'locked', prefix: 'x' } });
    expect(status(failed)).toMatchObject({
      readyToUse: false,
      size: '0',
      error: {
        time: '2026-11-22T12:00:00Z',
        message: 'failed to initialize S3 client: failed to test for existence of bucket locked: Access Denied.',
      },
    });
    expect(events('locked').find((e) => e.reason === 'ETCDSnapshotFailed')).toMatchObject({
      type: 'Warning',
      message: expect.stringMatching(/^Failed to save snapshot etcd-snapshot-locked-server-0-\d+ on s3: failed to initialize S3 client/),
    });
    world.buckets.get('locked')!.deny.clear();
    advance(12 * HOUR);
    expect(byStorage('locked', 's3').map((r) => status(r).readyToUse)).toEqual([false, true]);
  });

  it('records S3 own message when the upload itself is denied, and the record has its location', () => {
    const { advance } = load();
    advance(4 * HOUR);
    const [failed] = byStorage('putless', 's3');
    expect(status(failed).error?.message).toBe('Access Denied');
    expect((failed.spec as { location: string }).location).toMatch(/^s3:\/\/backups\/putless\/etcd-snapshot-putless-server-0-\d+$/);
  });

  it('falls back to the instance role, and goes anonymous (refused) with no credentials at all', () => {
    const { advance } = load();
    advance(4 * HOUR);
    expect(byStorage('imds', 's3').map((r) => status(r).readyToUse)).toEqual([true]);
    expect(status(byStorage('anonymous', 's3')[0]).error?.message).toBe(
      'failed to initialize S3 client: failed to test for existence of bucket backups: Access Denied.',
    );
  });

  it('keeps the newest `retention` successful snapshots per location, and failed records for 24 h', () => {
    const { world, advance } = load();
    expect(advance(3 * 24 * HOUR)).toBeGreaterThan(0);
    // 6 runs at retention 3: three local and three S3 snapshots are left; the scenario's failure (at -2h) is gone.
    expect(byStorage('edge', 'edge-server-0')).toHaveLength(3);
    expect(byStorage('edge', 's3').map((r) => status(r).readyToUse)).toEqual([true, true, true]);
    expect([...world.buckets.get('backups')!.objects.keys()].filter((k) => k.startsWith('edge/'))).toHaveLength(3);
    // A failing location keeps only its last day of failures.
    expect(byStorage('locked', 's3')).toHaveLength(2);
    // The local-only cluster: its own schedule and name, no S3 record at all.
    expect(byStorage('local-only', 'local-only-server-0').map((r) => (r.spec as { snapshotName: string }).snapshotName)).toHaveLength(5);
    expect(byStorage('local-only', 's3')).toHaveLength(0);
  });

  it('reads a kube-system s3-config-secret at every run (RKE2: its own label), so editing the secret applies next time', () => {
    const { advance } = load();
    advance(4 * HOUR);
    const label = 'etcd.rke2.cattle.io/snapshot-storage-node';
    expect(byStorage('secret', 's3', label).map((r) => status(r).error?.message)).toEqual(['Access Denied']);
    expect(byStorage('secret', 'secret-server-0', label)[0].spec).toMatchObject({
      location: expect.stringMatching(/^file:\/\/\/var\/lib\/rancher\/rke2\/server\/db\/snapshots\//),
    });
    const c = kube!.clusters.get('secret')!;
    const secrets = c.type('', 'v1', 'secrets');
    const secret = c.store.get(secrets, 'kube-system', 'rke2-etcd-s3')!;
    c.store.update(secrets, { ...secret, data: { ...(secret.data as object), 'etcd-s3-access-key': key('AKIAETCDWRITER000001') } });
    advance(12 * HOUR);
    expect(byStorage('secret', 's3', label).map((r) => status(r).readyToUse)).toEqual([false, true]);
  });
});

describe('uploads run by CronJobs', () => {
  it('upload on the CronJob schedule with the credentials the pod would get, and only S3 records', () => {
    const { world, advance } = load();
    expect(advance(29 * 60_000)).toBe(0);
    advance(60_000); // 08:30
    const s3 = byStorage('pods', 's3');
    const at = Date.parse('2026-11-22T08:30:00Z') / 1000;
    // the script with keys in env, on its NODE_NAME
    expect(s3.find((r) => (r.spec as { snapshotName: string }).snapshotName === `on-demand-pods-server-1-${at}`)).toMatchObject({
      spec: { location: `s3://backups/pods/on-demand-pods-server-1-${at}` },
      status: { readyToUse: true },
    });
    // IRSA env on a cluster with no OIDC provider trusted: no credentials, refused at the bucket check
    expect(s3.filter((r) => status(r).error?.message?.includes('failed to test for existence of bucket backups'))).toHaveLength(1);
    expect(byStorage('pods', 'pods-server-0')).toHaveLength(0);
    advance(30 * 60_000); // 09:00: the hourly one with --etcd-s3-access-key=$(KEY) and --name
    expect(world.buckets.get('backups')!.objects.has(`offsite-pods-server-0-${at + 1800}`)).toBe(true);
    // `etcd-snapshot ls` never uploads
    expect(byStorage('pods', 's3').filter((r) => String((r.spec as { snapshotName: string }).snapshotName).includes('lists'))).toHaveLength(
      0,
    );
  });
});

describe('the scenario field', () => {
  it('is refused on an EKS cluster and with a schedule k3s would not run', () => {
    const eks = stringify({ clusters: [{ name: 'p', account: ACCOUNT, region: 'us-east-1', etcdSnapshots: {} }] });
    expect(() => parseScenario(eks, 'a.yaml')).toThrow(/etcdSnapshots is for k3s and rke2 clusters only/);
    const bad = stringify({ clusters: [{ name: 'e', kind: 'k3s', etcdSnapshots: { schedule: 'every day' } }] });
    expect(() => parseScenario(bad, 'a.yaml')).toThrow(/cron expression/);
  });
});
