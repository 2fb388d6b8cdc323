import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from '@/scripts/console-process';
import { DEMO_API_TOKENS, demoConsoleConfig, startOidcProvider, type OidcProcess } from '@/scripts/demo-identity';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';

// GET /api/v1/events over HTTP, from the built console on the simulator: two callers hold streams open while a
// service account changes in each of two namespaces (kubectl). The admin hears both; a viewer whose team has only
// the `reports` namespace hears the one there, and nothing of the other reaches their rows, not even its name.
// (Cluster-level events carry what GET /api/v1/clusters shows the caller.)

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = DEMO_API_TOKENS.find((token) => token.role === 'admin')!.token;
const REPORTS_TOKEN = 'test-reports-viewer-token';
const CONTEXT = 'arn:aws:eks:us-east-1:111122223333:cluster/prod-use1';

let dir: string;
let sim: RunningSim;
let oidc: OidcProcess;
let consoleProcess: ConsoleProcess;
const logs: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface SseEvent {
  event: string;
  data: string;
}

/** An open event stream: every event so far, and its raw text, for what must never appear in it. */
class EventStream {
  readonly events: SseEvent[] = [];
  raw = '';
  private readonly controller = new AbortController();
  readonly response: Promise<Response>;

  constructor(url: string, token: string) {
    this.response = fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: this.controller.signal,
    });
    void this.read();
  }

  private async read(): Promise<void> {
    try {
      const response = await this.response;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event && data !== undefined) this.events.push({ event, data });
        }
      }
    } catch {
      // aborted by close()
    }
  }

  rowsEvents(): {
    upserts: { cluster: string; namespace: string; name: string; sts: { annotation: string | null } }[];
    removed: unknown[];
  }[] {
    return this.events.filter((event) => event.event === 'rows').map((event) => JSON.parse(event.data));
  }

  close(): void {
    this.controller.abort();
  }
}

async function until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${logs.slice(-20).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Asynchronously: the simulator answers from this very process, so a blocking kubectl would wait on itself.
async function annotate(namespace: string, name: string, value: string): Promise<void> {
  await promisify(execFile)('kubectl', [
    '--kubeconfig',
    sim.kubeconfigPath,
    '--context',
    CONTEXT,
    '-n',
    namespace,
    'annotate',
    '--overwrite',
    `serviceaccount/${name}`,
    `eks.amazonaws.com/sts-regional-endpoints=${value}`,
  ]);
}

beforeAll(async () => {
  ensureConsoleBuilt((line) => logs.push(line));
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-live-events-'));
  sim = await startSim({ scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'minimal.yaml'), kubeconfigPath: path.join(dir, 'kubeconfig') });
  const [port, oidcPort] = [await freePort(), await freePort()];
  const consoleUrl = `http://127.0.0.1:${port}`;
  const log = (line: string) => logs.push(line);
  oidc = await startOidcProvider({ port: oidcPort, consoleUrl, dataDir: path.join(dir, 'oidc'), log });
  // The demo config plus a team that sees one namespace, and its viewer token.
  const config = YAML.parse(demoConsoleConfig({ issuer: oidc.issuer, consoleUrl })) as {
    auth: { apiTokens: unknown[] };
    teams: unknown[];
  };
  config.teams.push({ name: 'reports', clusters: [{ cluster: '*', namespaces: ['reports'], role: 'viewer' }] });
  config.auth.apiTokens.push({
    sha256: createHash('sha256').update(REPORTS_TOKEN).digest('hex'),
    subject: 'reports-ci',
    team: 'reports',
    role: 'viewer',
  });
  consoleProcess = await startConsole({
    port,
    dataDir: path.join(dir, 'console'),
    consoleConfig: YAML.stringify(config),
    env: consoleEnvironment(sim),
    log,
  });
}, 900_000);

afterAll(async () => {
  await consoleProcess?.stop();
  await oidc?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/events', () => {
  it('refuses a caller without credentials, like every API route', async () => {
    const response = await fetch(`${consoleProcess.url}/api/v1/events`);
    expect(response.status).toBe(401);
  });

  it('sends each caller the rows that changed inside their scope, and nothing of the others', async () => {
    const list = (token: string) =>
      fetch(`${consoleProcess.url}/api/v1/serviceaccounts`, { headers: { authorization: `Bearer ${token}` } }).then(
        (response) => response.json() as Promise<{ items: { namespace: string; name: string }[] }>,
      );
    // The first view is what the streams' changes are measured against.
    expect((await list(ADMIN_TOKEN)).items.map((row) => row.namespace)).toEqual(expect.arrayContaining(['payments', 'reports']));
    expect(new Set((await list(REPORTS_TOKEN)).items.map((row) => row.namespace))).toEqual(new Set(['reports']));

    const admin = new EventStream(`${consoleProcess.url}/api/v1/events`, ADMIN_TOKEN);
    const viewer = new EventStream(`${consoleProcess.url}/api/v1/events`, REPORTS_TOKEN);
    try {
      const response = await viewer.response;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('cache-control')).toContain('no-store');
      await until(
        () => admin.events.some((e) => e.event === 'ready') && viewer.events.some((e) => e.event === 'ready'),
        'both streams ready',
      );
      expect(viewer.raw).toMatch(/^retry: \d+/);

      await annotate('payments', 'api', 'true');
      await annotate('reports', 'exporter', 'true');
      // No informers yet to notice by themselves: a Refresh re-reads the clusters, and the rebuilt view publishes its changes.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const refreshed = await fetch(`${consoleProcess.url}/api/v1/serviceaccounts?refresh=1`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(refreshed.status).toBe(200);

      const named = (stream: EventStream, namespace: string, name: string) =>
        stream.rowsEvents().flatMap((event) => event.upserts.filter((row) => row.namespace === namespace && row.name === name));
      await until(
        () => named(admin, 'payments', 'api').length > 0 && named(admin, 'reports', 'exporter').length > 0,
        'the admin hears both',
      );
      await until(() => named(viewer, 'reports', 'exporter').length > 0, 'the viewer hears the reports row');
      // The pushed row is the API's row, with the change in it.
      expect(named(viewer, 'reports', 'exporter').at(-1)!.sts.annotation).toBe('true');
      // Nothing outside the viewer's namespace, by row or by name.
      for (const event of viewer.rowsEvents()) {
        for (const row of event.upserts) expect(row.namespace).toBe('reports');
        for (const row of event.removed as { namespace: string }[]) expect(row.namespace).toBe('reports');
      }
      expect(JSON.stringify(viewer.rowsEvents())).not.toContain('payments');
    } finally {
      admin.close();
      viewer.close();
    }
  });
});
