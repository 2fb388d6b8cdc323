import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from '@/scripts/console-process';
import { DEMO_API_TOKENS, demoConsoleConfig, startOidcProvider, type OidcProcess } from '@/scripts/demo-identity';
import { startPostgres, type RunningPostgres } from '@/scripts/postgres-process';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { callReplica, freePort, until as untilWith } from '../support/replica-calls';

// Issue 16: "Only one replica runs background refreshes at a time (advisory lock). The others serve from the
// shared state or their own cache." Two built consoles share one PostgreSQL; nobody asks either of them
// anything, and the simulator counts the AWS calls that still arrive: the association listings, re-describes and
// IAM re-reads of the one replica holding the lock. The other makes none until a request needs its own cache.
// Killed without a goodbye, the holder's lock passes to the other, which carries the refreshes on.

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = DEMO_API_TOKENS.find((token) => token.role === 'admin')!.token;
/** CONSOLE_JOB_LEASE_SECONDS below: heartbeats every 0.5 s, so the lock is tried that often. */
const LEASE_SECONDS = 3;
/** The hand-over bound this test holds the console to: a killed holder's lock is taken within it. */
const HANDOVER_BOUND_MS = 5_000;
/**
 * The fleet is collected again every 2 s, listed every 2 s, associations re-described and roles re-read every 2 s
 * (0.5–1.5× each), with no re-read budget stretching those periods.
 */
const AWS = { cacheTtlSeconds: 2, listSeconds: 2, redescribeSeconds: 2, iamRereadSeconds: 2, rereadCallsPerMinute: 0 };
const QUIET_WINDOW_MS = 10_000;

let dir: string;
let postgres: RunningPostgres;
let sim: RunningSim;
let oidc: OidcProcess;
let replicas: ConsoleProcess[] = [];
let publicUrl: string;
const logs: string[] = [];

function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  return untilWith(read, done, what, () => logs.slice(-30).join('\n'));
}

interface Health {
  status: string;
  backgroundWork: { held: boolean; since?: string };
}

async function health(replica: ConsoleProcess): Promise<Health> {
  const answer = await callReplica(publicUrl, replica, '/api/health');
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Health;
}

/** Which of the running replicas say they hold the background lock. */
async function holders(running: ConsoleProcess[]): Promise<ConsoleProcess[]> {
  const answers = await Promise.all(running.map(async (replica) => ({ replica, held: (await health(replica)).backgroundWork.held })));
  return answers.filter((answer) => answer.held).map((answer) => answer.replica);
}

/** AWS calls this replica made (its own wic_upstream_requests_total for EKS, IAM, STS and S3). */
async function awsCallsOf(replica: ConsoleProcess): Promise<number> {
  const answer = await callReplica(publicUrl, replica, '/metrics');
  expect(answer.status).toBe(200);
  let total = 0;
  for (const match of answer.body.matchAll(/^wic_upstream_requests_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm)) {
    if (/service="(eks|iam|sts|s3)"/.test(match[1])) total += Number(match[2]);
  }
  return total;
}

/** The AWS calls the simulator answered since it last started counting, per operation. */
async function simCalls(): Promise<Record<string, number>> {
  const answer = (await (await fetch(`${sim.awsUrl}/_sim/calls`)).json()) as { aws: { operation: string; calls: number }[] };
  const counts: Record<string, number> = {};
  for (const count of answer.aws) counts[count.operation] = (counts[count.operation] ?? 0) + count.calls;
  return counts;
}

async function resetSimCalls(): Promise<void> {
  await fetch(`${sim.awsUrl}/_sim/calls`, { method: 'DELETE' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  ensureConsoleBuilt((line) => logs.push(line));
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-background-'));
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase('console');
  sim = await startSim({ scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'minimal.yaml'), kubeconfigPath: path.join(dir, 'kubeconfig') });
  const [portOne, portTwo, oidcPort] = [await freePort(), await freePort(), await freePort()];
  publicUrl = `http://127.0.0.1:${portOne}`;
  const log = (line: string) => logs.push(line);
  oidc = await startOidcProvider({ port: oidcPort, consoleUrl: publicUrl, dataDir: path.join(dir, 'oidc'), log });
  const consoleConfig = demoConsoleConfig({ issuer: oidc.issuer, consoleUrl: publicUrl, extra: { aws: AWS } });
  const env = { ...consoleEnvironment(sim), DATABASE_URL: databaseUrl, CONSOLE_JOB_LEASE_SECONDS: String(LEASE_SECONDS) };
  replicas = await Promise.all(
    [portOne, portTwo].map((port, index) =>
      startConsole({ port, dataDir: path.join(dir, `r${index}`), consoleConfig, env, log: (line) => log(`[${index}] ${line}`) }),
    ),
  );
}, 900_000);

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await oidc?.stop();
  await sim?.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('background refreshes on two console replicas sharing one PostgreSQL', () => {
  let holder: ConsoleProcess;
  let other: ConsoleProcess;

  it('only the replica holding the lock re-reads AWS when nobody asks', async () => {
    [holder] = await until(
      () => holders(replicas),
      (held) => held.length === 1,
      'one holder of the background lock',
    );
    other = replicas.find((replica) => replica !== holder)!;
    // The holder's refreshes start on their own: the association is described again, the roles read again.
    await until(
      simCalls,
      (calls) => (calls.DescribePodIdentityAssociation ?? 0) >= 2 && (calls.GetRole ?? 0) >= 2,
      'the holder re-describing the association and re-reading its roles',
    );

    const before = { holder: await awsCallsOf(holder), other: await awsCallsOf(other) };
    await resetSimCalls();
    await sleep(QUIET_WINDOW_MS);
    const calls = await simCalls();
    const after = { holder: await awsCallsOf(holder), other: await awsCallsOf(other) };

    // ~3 refreshes in the window: listings on their cadence, re-describes and IAM re-reads on their rolling schedule.
    expect(calls.ListPodIdentityAssociations ?? 0).toBeGreaterThanOrEqual(2);
    expect(calls.DescribePodIdentityAssociation ?? 0).toBeGreaterThanOrEqual(1);
    expect(calls.GetRole ?? 0).toBeGreaterThanOrEqual(1);
    // All of them the holder's: the other replica made none, and still says it does not hold the lock.
    expect(after.other - before.other).toBe(0);
    expect(after.holder - before.holder).toBeGreaterThan(0);
    expect((await health(other)).backgroundWork.held).toBe(false);
  }, 120_000);

  it('the other replica answers from its own cache, loading on demand only what it lacks', async () => {
    const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const before = await awsCallsOf(other);
    const first = await callReplica(publicUrl, other, '/api/v1/clusters', { headers: asAdmin });
    expect(first.status, first.body).toBe(200);
    expect((JSON.parse(first.body) as { items: { name: string }[] }).items.map((cluster) => cluster.name)).toContain('prod-use1');
    const loaded = await awsCallsOf(other);
    // Its cache was empty: this request read what the page needs.
    expect(loaded).toBeGreaterThan(before);
    // Asked again within the cache TTL, it answers from its cache.
    const second = await callReplica(publicUrl, other, '/api/v1/clusters', { headers: asAdmin });
    expect(second.status).toBe(200);
    expect(await awsCallsOf(other)).toBe(loaded);
    // And it does not keep refreshing on its own afterwards: that stays the holder's work.
    await sleep(QUIET_WINDOW_MS);
    expect(await awsCallsOf(other)).toBe(loaded);
  }, 120_000);

  it('when the holder is killed, the other replica takes the refreshes over within the bound', async () => {
    const killedAt = Date.now();
    // No drain, no goodbye (an OOM kill, a lost pod): the lock ends with the holder's database connection.
    process.kill(holder.pid, 'SIGKILL');
    await until(
      () => health(other),
      (answer) => answer.backgroundWork.held,
      'the other replica taking the background lock',
    );
    const handover = Date.now() - killedAt;
    logs.push(`hand-over took ${handover} ms`);
    expect(handover).toBeLessThan(HANDOVER_BOUND_MS);

    await resetSimCalls();
    const before = await awsCallsOf(other);
    await sleep(QUIET_WINDOW_MS);
    const calls = await simCalls();
    expect(calls.ListPodIdentityAssociations ?? 0).toBeGreaterThanOrEqual(2);
    expect(calls.DescribePodIdentityAssociation ?? 0).toBeGreaterThanOrEqual(1);
    expect(calls.GetRole ?? 0).toBeGreaterThanOrEqual(1);
    expect((await awsCallsOf(other)) - before).toBeGreaterThan(0);
    console.log(`background lock hand-over after SIGKILL: ${handover} ms (bound ${HANDOVER_BOUND_MS} ms)`);
  }, 120_000);
});
