import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from '@/scripts/console-process';
import { DEMO_API_TOKENS, DEMO_USERS, demoConsoleConfig, startOidcProvider, type OidcProcess } from '@/scripts/demo-identity';
import { startPostgres, type RunningPostgres } from '@/scripts/postgres-process';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { callReplica, freePort, until as untilWith } from '../support/replica-calls';

// Two console processes (the built console, as `npm start` runs it) share one PostgreSQL, as two replicas
// behind a load balancer would: both have the same public URL, and every request names it as its Host. A roll
// started on one is watched and cancelled on the other; a replica killed in the middle of a roll is reported
// by the other; a session signed out on one is refused by the other.

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = DEMO_API_TOKENS.find((token) => token.role === 'admin')!.token;
const ROLL = {
  type: 'roll-pods',
  dryRun: false,
  params: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api', includeBarePods: true },
};

let dir: string;
let postgres: RunningPostgres;
let sim: RunningSim;
let oidc: OidcProcess;
let one: ConsoleProcess;
let two: ConsoleProcess;
let publicUrl: string;
const logs: string[] = [];

/** A request to one replica, as the load balancer forwards it: the Host is the console's public one. */
function call(replica: ConsoleProcess, pathname: string, init: Parameters<typeof callReplica>[3] = {}) {
  return callReplica(publicUrl, replica, pathname, init);
}

const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface ActionState {
  status: string;
  progress?: { done: number; total: number; message: string };
  error?: { code: string; message: string };
}

async function action(replica: ConsoleProcess, id: string): Promise<ActionState> {
  const answer = await call(replica, `/api/v1/actions/${id}`, { headers: asAdmin });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as ActionState;
}

function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  return untilWith(read, done, what, () => logs.slice(-30).join('\n'));
}

async function startRoll(replica: ConsoleProcess): Promise<string> {
  const started = await call(replica, '/api/v1/actions', { method: 'POST', headers: asAdmin, body: ROLL });
  expect(started.status, started.body).toBe(202);
  return (JSON.parse(started.body) as { id: string }).id;
}

beforeAll(async () => {
  ensureConsoleBuilt((line) => logs.push(line));
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-replicas-'));
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase('console');
  sim = await startSim({
    scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'minimal.yaml'),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    rolloutReadyDelayMs: 50,
  });
  // A bare pod whose eviction a PodDisruptionBudget forbids: a roll that includes it keeps running until stopped.
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(sim.kubeconfigPath);
  await kubeconfig.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace: 'payments',
    body: {
      metadata: { name: 'debug-shell', labels: { app: 'debug' } },
      spec: { serviceAccountName: 'api', containers: [{ name: 'sh', image: 'busybox:1.36' }] },
    },
  });
  await kubeconfig.makeApiClient(PolicyV1Api).createNamespacedPodDisruptionBudget({
    namespace: 'payments',
    body: { metadata: { name: 'debug' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'debug' } } } },
  });

  const [portOne, portTwo, oidcPort] = [await freePort(), await freePort(), await freePort()];
  publicUrl = `http://127.0.0.1:${portOne}`;
  const log = (line: string) => logs.push(line);
  oidc = await startOidcProvider({ port: oidcPort, consoleUrl: publicUrl, dataDir: path.join(dir, 'oidc'), log });
  const consoleConfig = demoConsoleConfig({ issuer: oidc.issuer, consoleUrl: publicUrl });
  const env = {
    ...consoleEnvironment(sim),
    DATABASE_URL: databaseUrl,
    // A replica that stops renewing its jobs' leases is noticed within seconds, not the default 30.
    CONSOLE_JOB_LEASE_SECONDS: '3',
    CONSOLE_ROLL_STUCK_SECONDS: '600',
  };
  [one, two] = await Promise.all([
    startConsole({ port: portOne, dataDir: path.join(dir, 'one'), consoleConfig, env, log: (line) => log(`[one] ${line}`) }),
    startConsole({ port: portTwo, dataDir: path.join(dir, 'two'), consoleConfig, env, log: (line) => log(`[two] ${line}`) }),
  ]);
}, 900_000);

afterAll(async () => {
  await one?.stop();
  await two?.stop();
  await oidc?.stop();
  await sim?.stop();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two console replicas on one PostgreSQL', () => {
  it('a roll started on one replica is watched and cancelled on the other', async () => {
    const id = await startRoll(one);
    // The other replica shows it, with the progress the first one reports.
    const seen = await until(
      () => action(two, id),
      (state) => state.status === 'running' && state.progress !== undefined,
      'roll on replica two',
    );
    expect(seen.progress?.message ?? '').not.toBe('');
    const cancelled = await call(two, `/api/v1/actions/${id}/cancel`, { method: 'POST', headers: asAdmin });
    expect(cancelled.status, cancelled.body).toBe(202);
    // The replica that runs it stops, and both say so.
    await until(
      () => action(one, id),
      (state) => state.status !== 'running',
      'roll on replica one',
    );
    expect((await action(one, id)).status).toBe('cancelled');
    expect((await action(two, id)).status).toBe('cancelled');
    // The trail, read on the replica that ran it, holds the cancel asked on the other.
    const audit = JSON.parse((await call(one, `/api/v1/audit?type=cancel`, { headers: asAdmin })).body) as {
      items: { request: { id: string } }[];
    };
    expect(audit.items.map((entry) => entry.request.id)).toContain(id);
    // A second cancel is refused on either replica: it is no longer running.
    expect((await call(one, `/api/v1/actions/${id}/cancel`, { method: 'POST', headers: asAdmin })).status).toBe(409);
  });

  it('a session signed out on one replica is refused by the other', async () => {
    const user = DEMO_USERS.find((candidate) => candidate.role === 'admin')!;
    // The sign-in flow on replica one, through the real OIDC provider, hop by hop as a browser follows it.
    const start = await call(one, '/auth/signin?returnTo=/activity');
    expect([302, 303, 307]).toContain(start.status);
    const consoleCookies = (start.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]);
    const providerCookies = new Map<string, string>();
    let location = new URL(start.headers.location!, publicUrl).href;
    for (let hop = 0; hop < 10 && !location.startsWith(`${publicUrl}/`); hop++) {
      const cookie = [...providerCookies.entries()].map(([name, value]) => `${name}=${value}`).join('; ');
      let response = await fetch(location, { redirect: 'manual', headers: { cookie } });
      const remember = (answer: Response) => {
        for (const line of answer.headers.getSetCookie()) {
          const [name, ...value] = line.split(';')[0].split('=');
          providerCookies.set(name.trim(), value.join('='));
        }
      };
      remember(response);
      if (response.status === 200) {
        const form = /action="([^"]+)"/.exec(await response.text())?.[1];
        const login = new URL(form!, location).href;
        response = await fetch(login, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: [...providerCookies.entries()].map(([name, value]) => `${name}=${value}`).join('; '),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ username: user.username, password: user.password }),
        });
        remember(response);
      }
      location = new URL(response.headers.get('location')!, location).href;
    }
    const callback = await call(one, location.slice(publicUrl.length), { headers: { cookie: consoleCookies.join('; ') } });
    const session = (callback.headers['set-cookie'] ?? [])
      .map((line) => line.split(';')[0])
      .find((pair) => pair.startsWith('wic_session='));
    expect(session, callback.body).toBeDefined();

    // The session works on both replicas.
    for (const replica of [one, two])
      expect((await call(replica, '/api/v1/audit?limit=1', { headers: { cookie: session! } })).status).toBe(200);
    // Signed out on replica two...
    const signedOut = await call(two, '/auth/signout', { method: 'POST', headers: { cookie: session!, origin: publicUrl } });
    expect(signedOut.status).toBe(303);
    // ...the same cookie opens nothing on replica one.
    expect((await call(one, '/api/v1/audit?limit=1', { headers: { cookie: session! } })).status).toBe(401);
    expect((await call(two, '/api/v1/audit?limit=1', { headers: { cookie: session! } })).status).toBe(401);
  });

  it('a replica killed in the middle of a roll: the other reports the roll unknown outcome, with its last progress', async () => {
    const id = await startRoll(one);
    await until(
      () => action(two, id),
      (state) => state.status === 'running' && state.progress !== undefined,
      'roll on replica two',
    );
    // No drain, no goodbye: the process is gone (as with an OOM kill or a lost node).
    process.kill(one.pid, 'SIGKILL');
    const reported = await until(
      () => action(two, id),
      (state) => state.status !== 'running',
      'roll after replica one died',
    );
    expect(reported.status).toBe('unknown outcome');
    expect(reported.error?.code).toBe('unknown-outcome');
    expect(reported.error?.message).toContain('stopped before recording a result');
    expect(reported.error?.message).toMatch(/Last progress: \d+ of \d+/);
    // Recorded, not only inferred: the surviving replica ended the job in the trail too.
    const audit = await until(
      async () =>
        JSON.parse((await call(two, `/api/v1/audit?type=apply-result&actor=platform-automation`, { headers: asAdmin })).body) as {
          items: { correlationId: string; outcome: string }[];
        },
      (page) => page.items.some((entry) => entry.correlationId === id),
      'the apply-result of the lost roll',
    );
    expect(audit.items.find((entry) => entry.correlationId === id)?.outcome).toBe('unknown outcome');
  });
});
