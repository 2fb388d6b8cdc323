import { createHash, randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import { md5Etag } from './aws/ids';
import { findRole } from './aws/iam-entities';
import type { Principal } from './aws/principals';
import { s3Allows } from './aws/s3-access';
import type { KubeCluster } from './kube/cluster';
import type { KubeSim } from './kube/index';
import type { KubeObj } from './kube/store';
import type { Scenario, ScenarioCluster } from './scenario/schema';
import { podEnvValue, staticKeyIdentity, workloadIdentity } from './workload-credentials';
import type { SimWorld } from './world';

// K3s/RKE2 etcd snapshots, as the servers and the pods that run `k3s etcd-snapshot save --s3` would take them
// (domain.md §2b). Read from k3s-io/k3s pkg/etcd (snapshot.go, snapshot/types.go, s3/s3.go, s3/config_secret.go):
// - the server snapshots on its cron schedule: a local file on each etcd node, then, with S3 on, an upload. The S3
//   client takes static keys (flags or the config secret), else the node's instance role (IMDS), else goes
//   anonymous (minio's credential chain); it first checks the bucket exists (HeadBucket = s3:ListBucket), then
//   PutObject. A failed check is recorded as "failed to initialize S3 client: …", a failed upload with S3's message;
//   either way an ETCDSnapshotFile with readyToUse false and status.error, which stays 24 h.
// - records are named `local-<snapshot>-<6 hex>` / `s3-<snapshot>-<6 hex>` (sha256 of node + location), labelled
//   etcd.k3s.cattle.io/snapshot-storage-node (RKE2: etcd.rke2.cattle.io/…) = node or "s3"; each new record gets an
//   Event ETCDSnapshotCreated or ETCDSnapshotFailed.
// - retention keeps the newest N successful snapshots per location (default 5); the CLI's on-demand save in a pod
//   does not prune.
//
// Like the Restate writer, it never rewrites what the scenario says at load: a job's first due time is the first
// run of its schedule after load (or after the CronJob appears), and only the clock moving past it writes.

const CHECK_EVERY_MS = 1_000;
/** k3s pkg/etcd/snapshot.go errorTTL: failed records are kept this long. */
const FAILED_RECORD_TTL_MS = 24 * 3_600_000;
/** How many missed runs one check catches up on (a test may move the clock by weeks). */
const MAX_CATCH_UP = 200;
/** A snapshot's size when the node has none yet: a small cluster's etcd database. */
const DEFAULT_SIZE = 18_743_328;
const CONFIG_SECRET_TYPE = 'etcd.k3s.cattle.io/s3-config-secret';

type EtcdSnapshots = NonNullable<ScenarioCluster['etcdSnapshots']>;

interface S3Config {
  bucket: string;
  folder: string;
  region: string;
  endpoint: string;
}

/** What the S3 client would sign with: a principal, or nothing (anonymous requests, which S3 refuses here). */
type Signer = Principal | null;

interface Flavour {
  program: 'k3s' | 'rke2';
  label: string;
  snapshotDir: string;
}

function flavourOf(cluster: KubeCluster): Flavour | null {
  const kind = cluster.options.kind;
  if (kind !== 'k3s' && kind !== 'rke2') return null;
  return {
    program: kind,
    label: `etcd.${kind}.cattle.io/snapshot-storage-node`,
    snapshotDir: `/var/lib/rancher/${kind}/server/db/snapshots`,
  };
}

// ---- credentials ----

function userSigner(world: SimWorld, name: string): Signer {
  for (const account of world.accounts.values()) {
    const user = account.users.get(name);
    if (user) return { kind: 'user', user };
  }
  return null;
}

function keySigner(world: SimWorld, accessKeyId: string): Signer {
  const identity = staticKeyIdentity(world, accessKeyId);
  return identity.ok ? identity.principal : null;
}

function instanceRoleSigner(world: SimWorld, roleArn: string | undefined, node: string): Signer {
  const role = roleArn ? findRole(world, roleArn) : undefined;
  return role ? { kind: 'assumed-role', session: { role, sessionName: `i-${node}`.slice(0, 64), tags: {}, sessionPolicies: [] } } : null;
}

function secretData(cluster: KubeCluster, name: string): Record<string, string> | null {
  const secret = cluster.store.get(cluster.type('', 'v1', 'secrets'), 'kube-system', name);
  if (!secret) return null;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries((secret.data ?? {}) as Record<string, string>))
    data[key] = Buffer.from(value, 'base64').toString('utf8');
  return { ...data, ...((secret.stringData ?? {}) as Record<string, string>) };
}

/** k3s s3/config_secret.go: the keys of an etcd S3 config secret, with the client's defaults. */
function configFromSecret(world: SimWorld, data: Record<string, string>, fallback: () => Signer): { s3: S3Config; signer: Signer } {
  const accessKey = data['etcd-s3-access-key'];
  return {
    s3: {
      bucket: data['etcd-s3-bucket'] ?? '',
      folder: data['etcd-s3-folder'] ?? '',
      region: data['etcd-s3-region'] ?? 'us-east-1',
      endpoint: data['etcd-s3-endpoint'] ?? 's3.amazonaws.com',
    },
    signer: accessKey ? keySigner(world, accessKey) : fallback(),
  };
}

// ---- records ----

interface Outcome {
  snapshotName: string;
  /** The node whose snapshot it is; for S3 records, k3s's NodeSource. */
  node: string;
  storage: 'local' | 's3';
  location: string;
  s3?: S3Config;
  at: Date;
  size: number;
  error?: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 6);
const rfc3339 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** snapshot/types.go GenerateName (names here are always valid DNS subdomains). */
function recordName(outcome: Outcome): string {
  return `${outcome.storage}-${outcome.snapshotName.toLowerCase()}-${digest(outcome.node + outcome.location)}`;
}

function statusOf(record: KubeObj): { creationTime?: string; readyToUse?: boolean; size?: string; error?: { time?: string } } {
  return (record.status ?? {}) as never;
}

class ClusterRecords {
  constructor(
    private readonly cluster: KubeCluster,
    private readonly flavour: Flavour,
  ) {}

  private get type() {
    return this.cluster.registry.get('k3s.cattle.io', 'v1', 'etcdsnapshotfiles');
  }

  all(): KubeObj[] {
    const type = this.type;
    return type ? this.cluster.store.list(type).map(({ object }) => object) : [];
  }

  storageOf(record: KubeObj): string | undefined {
    return (record.metadata.labels as Record<string, string> | undefined)?.[this.flavour.label];
  }

  /** The size of this node's newest snapshot, so a new one looks like its neighbours. */
  sizeFor(node: string): number {
    const sizes = this.all()
      .filter((r) => this.storageOf(r) === node && statusOf(r).readyToUse)
      .sort((a, b) => String(statusOf(b).creationTime).localeCompare(String(statusOf(a).creationTime)))
      .map((r) => Number(statusOf(r).size));
    return sizes.find((size) => Number.isFinite(size) && size > 0) ?? DEFAULT_SIZE;
  }

  write(outcome: Outcome): void {
    const type = this.type;
    if (!type) return;
    const name = recordName(outcome);
    const time = rfc3339(outcome.at);
    const record: KubeObj = {
      apiVersion: 'k3s.cattle.io/v1',
      kind: 'ETCDSnapshotFile',
      metadata: { name, labels: { [this.flavour.label]: outcome.storage === 's3' ? 's3' : outcome.node } },
      spec: {
        snapshotName: outcome.snapshotName,
        nodeName: outcome.node,
        location: outcome.location,
        ...(outcome.s3
          ? { s3: { endpoint: outcome.s3.endpoint, bucket: outcome.s3.bucket, region: outcome.s3.region, prefix: outcome.s3.folder } }
          : {}),
      },
      status: {
        creationTime: time,
        readyToUse: !outcome.error,
        size: String(outcome.error ? 0 : outcome.size),
        ...(outcome.error ? { error: { time, message: outcome.error } } : {}),
      },
    };
    if (this.cluster.store.get(type, undefined, name)) return;
    const created = this.cluster.store.create(type, record);
    this.event(created, outcome);
  }

  /** snapshot.go emitEvent, by the supervisor's recorder (namespace default, as for any cluster-scoped object). */
  private event(record: KubeObj, outcome: Outcome): void {
    const type = this.cluster.registry.get('', 'v1', 'events');
    if (!type) return;
    const spec = record.spec as { snapshotName: string; nodeName: string };
    const time = rfc3339(outcome.at);
    this.cluster.store.create(type, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${record.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: 'default' },
      involvedObject: { apiVersion: 'k3s.cattle.io/v1', kind: 'ETCDSnapshotFile', name: record.metadata.name, uid: record.metadata.uid },
      reason: outcome.error ? 'ETCDSnapshotFailed' : 'ETCDSnapshotCreated',
      message: outcome.error
        ? `Failed to save snapshot ${spec.snapshotName} on ${spec.nodeName}: ${outcome.error}`
        : `Snapshot ${spec.snapshotName} saved on ${spec.nodeName}`,
      type: outcome.error ? 'Warning' : 'Normal',
      source: { component: `${this.flavour.program}-supervisor`, host: outcome.node },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    });
  }

  remove(record: KubeObj): void {
    const type = this.type;
    if (type && this.cluster.store.get(type, undefined, record.metadata.name))
      this.cluster.store.delete(type, undefined, record.metadata.name);
  }

  /** Failed records leave 24 h after their error (snapshot.go reconcileSnapshotData). */
  expireFailures(now: Date): void {
    for (const record of this.all()) {
      const failedAt = Date.parse(String(statusOf(record).error?.time ?? ''));
      if (!statusOf(record).readyToUse && failedAt + FAILED_RECORD_TTL_MS <= now.getTime()) this.remove(record);
    }
  }

  /** The successful snapshots of one location beyond the retention count, newest kept. */
  beyondRetention(storage: string, prefix: string, retention: number, s3?: S3Config): KubeObj[] {
    if (retention < 1) return [];
    return this.all()
      .filter((record) => {
        const spec = record.spec as { snapshotName?: string; s3?: { bucket?: string; prefix?: string } };
        if (this.storageOf(record) !== storage || !statusOf(record).readyToUse) return false;
        if (!String(spec.snapshotName ?? '').startsWith(`${prefix}-`)) return false;
        return !s3 || (spec.s3?.bucket === s3.bucket && (spec.s3?.prefix ?? '') === s3.folder);
      })
      .sort((a, b) => String(statusOf(b).creationTime).localeCompare(String(statusOf(a).creationTime)))
      .slice(retention);
  }
}

// ---- one snapshot ----

const objectKey = (s3: S3Config, snapshotName: string) =>
  s3.folder ? `${s3.folder.replace(/^\/+|\/+$/g, '')}/${snapshotName}` : snapshotName;

/** The S3 half of a snapshot (s3.go GetClient + Upload): the record it leaves, and the object when it succeeds. */
function upload(world: SimWorld, s3: S3Config, signer: Signer, snapshotName: string, node: string, at: Date, size: number): Outcome {
  const key = objectKey(s3, snapshotName);
  const base = { snapshotName, node, storage: 's3' as const, s3, at, size };
  // GetClient checks the bucket first; its failure leaves a record with no location (snapshot.go).
  const initFailed = (reason: string): Outcome => ({
    ...base,
    node: 's3',
    location: '',
    error: `failed to initialize S3 client: ${reason}`,
  });
  if (!s3.bucket) return initFailed('s3 bucket name was not set');
  const bucket = world.buckets.get(s3.bucket);
  // minio's BucketExists: a HEAD with no body, so every 403 reads "Access Denied."; 404 means no such bucket.
  if (!bucket) return initFailed(`bucket ${s3.bucket} does not exist`);
  if (!signer || !s3Allows(world, signer, 's3:ListBucket', s3.bucket))
    return initFailed(`failed to test for existence of bucket ${s3.bucket}: Access Denied.`);
  const location = `s3://${s3.bucket}/${key}`;
  if (!s3Allows(world, signer, 's3:PutObject', s3.bucket, key)) return { ...base, location, error: 'Access Denied' };
  const body = Buffer.from(`simulated etcd snapshot ${snapshotName}\n`);
  bucket.objects.set(key, { key, body, contentType: 'application/octet-stream', lastModified: at.toISOString(), etag: md5Etag(body) });
  return { ...base, location };
}

function pruneS3(world: SimWorld, records: ClusterRecords, s3: S3Config, prefix: string, retention: number): void {
  for (const record of records.beyondRetention('s3', prefix, retention, s3)) {
    world.buckets.get(s3.bucket)?.objects.delete(objectKey(s3, String((record.spec as { snapshotName: string }).snapshotName)));
    records.remove(record);
  }
}

// ---- the server's schedule ----

interface ServerS3 {
  s3: S3Config;
  signer: Signer;
}

/**
 * The server's S3 settings now: its flags, else its config secret (read at every snapshot, so an edited secret
 * applies at the next one), which k3s uses only when no other S3 flag is set. A kube-system Secret of type
 * etcd.k3s.cattle.io/s3-config-secret stands for `--etcd-s3 --etcd-s3-config-secret <its name>` when the scenario
 * names none. null: S3 is off, or the secret is missing (k3s then skips S3 without a record).
 */
function serverS3(world: SimWorld, cluster: KubeCluster, spec: EtcdSnapshots, node: string): ServerS3 | null {
  const fallback = () => instanceRoleSigner(world, spec.instanceRoleArn, node);
  const flags = spec.s3;
  if (flags && (flags.bucket || flags.accessKeyId || flags.user)) {
    const signer = flags.user ? userSigner(world, flags.user) : flags.accessKeyId ? keySigner(world, flags.accessKeyId) : fallback();
    return { s3: { bucket: flags.bucket ?? '', folder: flags.folder, region: flags.region, endpoint: flags.endpoint }, signer };
  }
  const secretName =
    flags?.configSecret ??
    cluster.store.list(cluster.type('', 'v1', 'secrets'), 'kube-system').find(({ object }) => object.type === CONFIG_SECRET_TYPE)?.object
      .metadata.name;
  const data = secretName ? secretData(cluster, secretName) : null;
  return data ? configFromSecret(world, data, fallback) : null;
}

function etcdNodes(cluster: KubeCluster, nodes: string[] | undefined): string[] {
  if (nodes) return nodes;
  return cluster.store
    .list(cluster.type('', 'v1', 'nodes'))
    .map(({ object }) => object)
    .filter((node) => (node.metadata.labels as Record<string, string> | undefined)?.['node-role.kubernetes.io/etcd'] === 'true')
    .map((node) => node.metadata.name);
}

function serverSnapshot(world: SimWorld, cluster: KubeCluster, flavour: Flavour, spec: EtcdSnapshots, node: string, at: Date): void {
  const records = new ClusterRecords(cluster, flavour);
  records.expireFailures(at);
  const snapshotName = `${spec.name}-${node}-${Math.floor(at.getTime() / 1000)}`;
  const size = records.sizeFor(node);
  records.write({ snapshotName, node, storage: 'local', location: `file://${flavour.snapshotDir}/${snapshotName}`, at, size });
  for (const old of records.beyondRetention(node, spec.name, spec.retention)) records.remove(old);
  const s3 = serverS3(world, cluster, spec, node);
  if (!s3) return;
  const outcome = upload(world, s3.s3, s3.signer, snapshotName, node, at, size);
  records.write(outcome);
  // Retention runs after the upload, failed or not, once the client exists (snapshot.go).
  if (outcome.location !== '' || !outcome.error) pruneS3(world, records, s3.s3, spec.name, spec.retention);
}

// ---- uploads run in pods ----

interface PodUpload {
  cronJob: KubeObj;
  schedule: string;
  timeZone?: string;
  /** The pod its Job would run: the job template, the uploading container first. */
  pod: KubeObj;
  tokens: string[];
}

function flagValue(tokens: string[], name: string): string | undefined {
  for (let i = 0; i < tokens.length; i++)
    for (const flag of [`--${name}`, `--etcd-${name}`]) {
      if (tokens[i] === flag) return tokens[i + 1];
      if (tokens[i].startsWith(`${flag}=`)) return tokens[i].slice(flag.length + 1);
    }
  return undefined;
}

/** The words after `k3s|rke2 etcd-snapshot` when they save to S3; a `sh -c` script is split on whitespace. */
function uploadTokens(container: { command?: unknown; args?: unknown }): string[] | null {
  const words = [container.command, container.args]
    .flatMap((list) => (Array.isArray(list) ? list.map(String) : []))
    .flatMap((word) => word.split(/\s+/))
    .map((word) => word.replace(/^["']|["';]$/g, ''))
    .filter(Boolean);
  const at = words.findIndex((word, i) => word === 'etcd-snapshot' && /(^|\/)(k3s|rke2)$/.test(words[i - 1] ?? ''));
  if (at < 0) return null;
  let rest = words.slice(at + 1);
  const end = rest.findIndex((word) => word === '&&' || word === '||' || word === ';' || word === '|');
  if (end >= 0) rest = rest.slice(0, end);
  // `save` is the default subcommand; delete, ls, prune do not upload.
  if (rest[0] && !rest[0].startsWith('-')) {
    if (rest[0] !== 'save') return null;
    rest = rest.slice(1);
  }
  const s3 = rest.some((word) => /^--(etcd-)?s3(=true)?$/.test(word));
  return s3 ? rest : null;
}

function podUploads(cluster: KubeCluster): PodUpload[] {
  const found: PodUpload[] = [];
  for (const { object } of cluster.store.list(cluster.type('batch', 'v1', 'cronjobs'))) {
    const spec = (object.spec ?? {}) as {
      schedule?: string;
      timeZone?: string;
      suspend?: boolean;
      jobTemplate?: { spec?: { template?: { spec?: Record<string, unknown> } } };
    };
    const template = spec.jobTemplate?.spec?.template?.spec;
    if (!spec.schedule || spec.suspend || !template) continue;
    const containers = [...((template.initContainers as KubeObj[]) ?? []), ...((template.containers as KubeObj[]) ?? [])];
    for (const container of containers) {
      const tokens = uploadTokens(container as never);
      if (!tokens) continue;
      const pod: KubeObj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${object.metadata.name}-manual`,
          namespace: object.metadata.namespace,
          uid: `${String(object.metadata.uid)}-pod`,
        },
        spec: { ...template, containers: [container] },
      };
      found.push({ cronJob: object, schedule: spec.schedule, timeZone: spec.timeZone, pod, tokens });
      break;
    }
  }
  return found;
}

/** `$(VAR)` (Kubernetes) and `$VAR`/`${VAR}` (the shell) in a flag value, from the container's environment. */
function expand(cluster: KubeCluster, pod: KubeObj, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const variable = /^\$\(([A-Za-z_]\w*)\)$|^\$\{?([A-Za-z_]\w*)\}?$/.exec(value);
  return variable ? podEnvValue(cluster, pod, variable[1] ?? variable[2]) : value;
}

/** The CLI's S3 client in that pod: flags (and their env), else the config secret, else the pod's AWS identity. */
function podS3(world: SimWorld, cluster: KubeCluster, job: PodUpload, instanceRoleArn: string | undefined, node: string): ServerS3 | null {
  const { pod, tokens } = job;
  const flag = (name: string) => expand(cluster, pod, flagValue(tokens, name));
  // The k3s flags read AWS_ACCESS_KEY_ID from the environment too (k3s CLI reference, etcd-snapshot).
  const accessKey = flag('s3-access-key');
  const bucket = flag('s3-bucket');
  const secretName = flag('s3-config-secret');
  const fallback = (): Signer => {
    if (accessKey) return keySigner(world, accessKey);
    const hasAwsEnv = ['AWS_ACCESS_KEY_ID', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'].some((name) =>
      podEnvValue(cluster, pod, name),
    );
    if (!hasAwsEnv) return instanceRoleSigner(world, instanceRoleArn, node);
    const identity = workloadIdentity(world, cluster, pod);
    return identity.ok ? identity.principal : null;
  };
  if (!bucket && !accessKey && secretName) {
    const data = secretData(cluster, secretName);
    return data ? configFromSecret(world, data, fallback) : null;
  }
  return {
    s3: {
      bucket: bucket ?? '',
      folder: (flag('s3-folder') ?? '').replace(/^\/+|\/+$/g, ''),
      region: flag('s3-region') ?? 'us-east-1',
      endpoint: flag('s3-endpoint') ?? 's3.amazonaws.com',
    },
    signer: fallback(),
  };
}

function podSnapshot(world: SimWorld, cluster: KubeCluster, flavour: Flavour, job: PodUpload, spec: EtcdSnapshots | undefined, at: Date) {
  const records = new ClusterRecords(cluster, flavour);
  records.expireFailures(at);
  const podSpec = job.pod.spec as { nodeName?: string };
  const node =
    expand(cluster, job.pod, flagValue(job.tokens, 'node-name')) ??
    podEnvValue(cluster, job.pod, 'NODE_NAME') ??
    podSpec.nodeName ??
    etcdNodes(cluster, spec?.nodes)[0] ??
    'node';
  // On-demand snapshots are named on-demand-<node>-<unix> unless --name says otherwise (docs.k3s.io, etcd-snapshot).
  const base = expand(cluster, job.pod, flagValue(job.tokens, 'name')) ?? 'on-demand';
  const s3 = podS3(world, cluster, job, spec?.instanceRoleArn, node);
  if (!s3) return;
  const snapshotName = `${base}-${node}-${Math.floor(at.getTime() / 1000)}`;
  records.write(upload(world, s3.s3, s3.signer, snapshotName, node, at, records.sizeFor(node)));
}

// ---- the writer ----

interface Job {
  key: string;
  schedule: string;
  timeZone?: string;
  run(at: Date): void;
}

function jobsOf(world: SimWorld, kube: KubeSim, scenario: Scenario): Job[] {
  const jobs: Job[] = [];
  for (const cluster of kube.clusters.values()) {
    const flavour = flavourOf(cluster);
    if (!flavour) continue;
    const spec = scenario.clusters.find((c) => c.name === cluster.name)?.etcdSnapshots;
    if (spec)
      for (const node of etcdNodes(cluster, spec.nodes))
        jobs.push({
          key: `${cluster.name}/node/${node}`,
          schedule: spec.schedule,
          run: (at) => serverSnapshot(world, cluster, flavour, spec, node, at),
        });
    for (const job of podUploads(cluster))
      jobs.push({
        key: `${cluster.name}/cronjob/${job.cronJob.metadata.namespace}/${job.cronJob.metadata.name}/${String(job.cronJob.metadata.uid)}`,
        schedule: job.schedule,
        timeZone: job.timeZone,
        run: (at) => podSnapshot(world, cluster, flavour, job, spec, at),
      });
  }
  return jobs;
}

export interface EtcdSnapshotWriter {
  /** One pass: runs every scheduled snapshot whose time has come since the last pass; returns how many ran. */
  check(): number;
}

export function createEtcdSnapshotWriter(world: SimWorld, kube: KubeSim, scenario: Scenario): EtcdSnapshotWriter {
  /** Per job: the time its next run is counted from (load, or when the job first appeared). */
  const countFrom = new Map<string, number>();
  for (const job of jobsOf(world, kube, scenario)) countFrom.set(job.key, world.clock.now().getTime());
  return {
    check() {
      let ran = 0;
      const now = world.clock.now();
      for (const job of jobsOf(world, kube, scenario)) {
        const from = countFrom.get(job.key);
        if (from === undefined) {
          countFrom.set(job.key, now.getTime());
          continue;
        }
        let cron: Cron;
        try {
          cron = new Cron(job.schedule, { timezone: job.timeZone ?? 'UTC' });
        } catch {
          continue; // a CronJob whose schedule Kubernetes would refuse never runs
        }
        let last = new Date(from);
        let runs = 0;
        for (let next = cron.nextRun(last); next && next.getTime() <= now.getTime(); next = cron.nextRun(last)) {
          job.run(next);
          last = next;
          if (++runs === MAX_CATCH_UP) {
            last = now; // the rest of a long jump is skipped, as a server that was down would skip it
            break;
          }
        }
        ran += runs;
        countFrom.set(job.key, last.getTime());
      }
      return ran;
    },
  };
}

export function startEtcdSnapshotWriter(
  world: SimWorld,
  kube: KubeSim,
  scenario: Scenario,
): { writer: EtcdSnapshotWriter; stop: () => void } {
  const writer = createEtcdSnapshotWriter(world, kube, scenario);
  const timer = setInterval(() => writer.check(), CHECK_EVERY_MS);
  timer.unref();
  return { writer, stop: () => clearInterval(timer) };
}
