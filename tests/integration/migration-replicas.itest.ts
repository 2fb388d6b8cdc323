import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from '@/scripts/console-process';
import { DEMO_API_TOKENS, demoConsoleConfig, simulatedFleetClusters, startOidcProvider, type OidcProcess } from '@/scripts/demo-identity';
import { startPostgres, type RunningPostgres } from '@/scripts/postgres-process';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import type { MigrationRecord } from '@/lib/migration/types';
import { callReplica, freePort, until as untilWith } from '../support/replica-calls';

// A console replica killed in the middle of an IRSA → Pod Identity batch (issue 15: "a console restart in the
// middle of a batch resumes or reports it"). Two built consoles share one PostgreSQL: the batch runs on one,
// the other shows it running, then, once the dead one's lease ran out, reports the service account in flight as
// `unknown outcome`; a resume on the survivor finishes it (every step re-checks before it writes), verified with
// the real SDK clients against the simulator, and a rollback there returns everything to IRSA.

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = DEMO_API_TOKENS.find((token) => token.role === 'admin')!.token;
const CLUSTER = 'data-euw1';
const NS = 'data-reports';
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let dir: string;
let postgres: RunningPostgres;
let sim: RunningSim;
let oidc: OidcProcess;
let one: ConsoleProcess;
let two: ConsoleProcess;
let publicUrl: string;
let eks: EKSClient;
let core: CoreV1Api;
const logs: string[] = [];

const call = (replica: ConsoleProcess, pathname: string, init: Parameters<typeof callReplica>[3] = {}) =>
  callReplica(publicUrl, replica, pathname, { ...init, headers: { ...asAdmin, ...init.headers } });

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) =>
  untilWith(read, done, what, () => logs.slice(-30).join('\n'), 400);

async function migration(replica: ConsoleProcess, id: string): Promise<MigrationRecord> {
  const answer = await call(replica, `/api/v1/migrations/${id}`);
  expect(answer.status, answer.body).toBe(200);
  return JSON.parse(answer.body) as MigrationRecord;
}

async function associations(): Promise<string[]> {
  const listed = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: CLUSTER, namespace: NS }));
  return (listed.associations ?? []).map((association) => association.serviceAccount!).sort();
}

/** The credential env the live pods of a service account carry. */
async function mechanisms(serviceAccount: string): Promise<string[]> {
  const pods = await core.listNamespacedPod({ namespace: NS });
  return pods.items
    .filter((pod) => pod.spec?.serviceAccountName === serviceAccount && !pod.metadata?.deletionTimestamp && pod.status?.phase === 'Running')
    .map((pod) => {
      const names = new Set(pod.spec!.containers.flatMap((container) => (container.env ?? []).map((variable) => variable.name)));
      if (names.has('AWS_CONTAINER_CREDENTIALS_FULL_URI') && !names.has('AWS_ROLE_ARN')) return 'pod-identity';
      if (names.has('AWS_ROLE_ARN') && !names.has('AWS_CONTAINER_CREDENTIALS_FULL_URI')) return 'irsa';
      return 'mixed';
    });
}

beforeAll(async () => {
  ensureConsoleBuilt((line) => logs.push(line));
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-migration-replicas-'));
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase('console');
  // Each roll waits 3 s for its new pods, so the batch is still in a roll when its replica is killed.
  sim = await startSim({
    scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'demo.yaml'),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    rolloutReadyDelayMs: 3_000,
  });
  const [portOne, portTwo, oidcPort] = [await freePort(), await freePort(), await freePort()];
  publicUrl = `http://127.0.0.1:${portOne}`;
  const log = (line: string) => logs.push(line);
  oidc = await startOidcProvider({ port: oidcPort, consoleUrl: publicUrl, dataDir: path.join(dir, 'oidc'), log });
  // The console as the demo runs it: its own account, and the data account's clusters through the reader role.
  const consoleConfig = demoConsoleConfig({
    issuer: oidc.issuer,
    consoleUrl: publicUrl,
    extra: { clusters: simulatedFleetClusters(sim, '111122223333') },
  });
  const env = { ...consoleEnvironment(sim, '111122223333'), DATABASE_URL: databaseUrl, CONSOLE_JOB_LEASE_SECONDS: '3' };
  [one, two] = await Promise.all([
    startConsole({ port: portOne, dataDir: path.join(dir, 'one'), consoleConfig, env, log: (line) => log(`[one] ${line}`) }),
    startConsole({ port: portTwo, dataDir: path.join(dir, 'two'), consoleConfig, env, log: (line) => log(`[two] ${line}`) }),
  ]);
  const data = consoleEnvironment(sim, '444455556666');
  eks = new EKSClient({
    region: 'eu-west-1',
    endpoint: sim.awsUrl,
    credentials: { accessKeyId: data.AWS_ACCESS_KEY_ID, secretAccessKey: data.AWS_SECRET_ACCESS_KEY },
  });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(sim.kubeconfigPath);
  kubeconfig.setCurrentContext(kubeconfig.getContexts().find((context) => context.name.includes(CLUSTER))!.name);
  core = kubeconfig.makeApiClient(CoreV1Api);
}, 900_000);

afterAll(async () => {
  await one?.stop().catch(() => undefined);
  await two?.stop();
  await oidc?.stop();
  await sim?.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a console replica killed in the middle of a migration batch', () => {
  it('the other replica shows it running, then reports the service account in flight, resumes it, and rolls it back', async () => {
    const started = await call(one, '/api/v1/migrations', {
      method: 'POST',
      body: { dryRun: false, cluster: CLUSTER, namespaces: [NS], options: { concurrency: 1 } },
    });
    expect(started.status, started.body).toBe(202);
    const id = (JSON.parse(started.body) as { id: string }).id;

    // Replica two shows the batch running on replica one, in the middle of a roll.
    const seen = await until(
      () => migration(two, id),
      (record) => record.items.some((item) => item.status === 'running' && item.step === 'roll'),
      'the batch on replica two',
    );
    expect(seen.status).toBe('running');

    // No drain, no goodbye: the process is gone (as with an OOM kill or a lost node).
    process.kill(one.pid, 'SIGKILL');
    const reported = await until(
      () => migration(two, id),
      // Until the background work of replica two ends the run, the read already says unknown outcome; then the trail says why.
      (record) => record.status !== 'running' && record.message !== undefined,
      'the batch after replica one died',
    );
    expect(reported.status).toBe('unknown outcome');
    const inFlight = reported.items.filter((item) => item.status === 'unknown outcome');
    expect(inFlight).toHaveLength(1);
    expect(inFlight[0].error).toMatch(/stopped during roll/);
    expect(reported.message).toMatch(/replica running this migration stopped/);
    // Recorded, not only inferred: the trail holds the batch's result as unknown outcome.
    const audit = JSON.parse((await call(two, '/api/v1/audit?type=apply-result&actor=platform-automation')).body) as {
      items: { correlationId: string; outcome: string }[];
    };
    expect(audit.items.find((entry) => entry.correlationId === id)?.outcome).toBe('unknown outcome');

    // Resumed on the survivor: every step re-checks before it writes, and the batch ends verified.
    const resumed = await call(two, `/api/v1/migrations/${id}/resume`, { method: 'POST', body: {} });
    expect(resumed.status, resumed.body).toBe(202);
    const done = await until(
      () => migration(two, id),
      (record) => record.status !== 'running',
      'the resumed batch',
    );
    expect(done.status).toBe('succeeded');
    expect(done.items.map((item) => `${item.name}:${item.status}`).sort()).toEqual([
      'daily-report:succeeded',
      'report-archiver:skipped',
      'weekly-report:succeeded',
    ]);
    expect(await associations()).toEqual(['daily-report', 'weekly-report']);
    expect(await mechanisms('daily-report')).toEqual(['pod-identity', 'pod-identity']);
    expect(await mechanisms('weekly-report')).toEqual(['pod-identity']);

    const rollback = await call(two, `/api/v1/migrations/${id}/rollback`, { method: 'POST', body: {} });
    expect(rollback.status, rollback.body).toBe(202);
    expect(
      (
        await until(
          () => migration(two, id),
          (record) => record.status !== 'running',
          'the rollback',
        )
      ).status,
    ).toBe('rolled-back');
    expect(await associations()).toEqual([]);
    expect(await mechanisms('daily-report')).toEqual(['irsa', 'irsa']);
  }, 300_000);
});
