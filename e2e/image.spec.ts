import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import YAML from 'yaml';
import { repoRoot } from '../scripts/console-process';
import { mountNamespaceAvailable } from './support/in-cluster';
import { readStackInfo } from './stack-info';

// Issue 12 "Container image": docker cannot build here, so this launches the image's content the way its CMD
// does. The runtime stage of the Dockerfile is read for ENTRYPOINT/CMD, WORKDIR, USER and ENV; the content is
// assembled from the same `next build` the other specs use (standalone output) with the same script the
// Dockerfile runs; and the process is started in a private mount namespace where that directory is mounted
// read-only, as UID:GID 65532 with no supplementary groups, and with the image's environment plus only what
// the Deployment adds (config path, secrets). DATA_DIR is the one writable directory, as the volume is.

const IMAGE_NODE = '/nodejs/bin/node';
const SESSION_SECRET = 'image-spec-session-secret-0123456789abcdef';

interface RuntimeStage {
  workdir: string;
  user: string;
  env: Record<string, string>;
  argv: string[];
  healthcheck: string[];
  volumes: string[];
}

function jsonArray(text: string, what: string): string[] {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`Dockerfile ${what}: expected the exec (JSON array) form`);
  return parsed as string[];
}

/** The last stage of the Dockerfile: what `docker run` would execute. */
function runtimeStage(): RuntimeStage {
  const text = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((line) => line.trim());
  const stage = lines.slice(lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true));
  const result: RuntimeStage = { workdir: '/', user: 'root', env: {}, argv: [], healthcheck: [], volumes: [] };
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  for (const line of stage) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction?.toUpperCase()) {
      case 'WORKDIR':
        result.workdir = rest;
        break;
      case 'USER':
        result.user = rest;
        break;
      case 'ENV':
        for (const pair of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) result.env[pair[1]] = pair[2].replace(/^"|"$/g, '');
        break;
      case 'ENTRYPOINT':
        entrypoint = jsonArray(rest, 'ENTRYPOINT');
        break;
      case 'CMD':
        cmd = jsonArray(rest, 'CMD');
        break;
      case 'HEALTHCHECK':
        result.healthcheck = jsonArray(rest.slice(rest.indexOf('CMD') + 3).trim(), 'HEALTHCHECK');
        break;
      case 'VOLUME':
        result.volumes = jsonArray(rest, 'VOLUME');
        break;
    }
  }
  result.argv = [...entrypoint, ...cmd];
  return result;
}

/** The image's node is this machine's node; every other argument is kept as it is. */
function onThisMachine(argv: string[]): string[] {
  return argv.map((arg, index) => (index === 0 && arg === IMAGE_NODE ? process.execPath : arg));
}

interface Launched {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

/** Runs argv as the image would: cwd = the assembled app mounted read-only, as the image's user, with env only. */
function launchAsImage(appDir: string, stage: RuntimeStage, argv: string[], env: Record<string, string>): Launched {
  const [uid, gid] = stage.user.split(':');
  const script = [
    'set -e',
    'mount --bind "$0" "$0"',
    'mount -o remount,bind,ro "$0"',
    'cd "$0"',
    `exec setpriv --reuid ${uid} --regid ${gid ?? uid} --clear-groups -- "$@"`,
  ].join('; ');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, appDir, ...argv], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let pending = '';
  const collect = (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    lines.push(...complete.filter(Boolean));
    if (process.env.E2E_VERBOSE) for (const line of complete) console.log(`[image] ${line}`);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

test.describe('the container image, launched as its CMD', () => {
  test.skip(!mountNamespaceAvailable() || process.getuid?.() !== 0, 'needs root for a read-only bind mount and setpriv');

  const port = Number(process.env.E2E_PORT ?? 3100) + 45;
  let workDir: string;
  let appDir: string;
  let dataDir: string;
  let stage: RuntimeStage;
  let env: Record<string, string>;
  let running: Launched;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    stage = runtimeStage();
    expect(stage.user).toBe('65532:65532');
    expect(stage.argv).toEqual([IMAGE_NODE, 'scripts/start.mjs']);
    expect(stage.volumes).toEqual([stage.env.DATA_DIR]);

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-image-'));
    fs.chmodSync(workDir, 0o755);
    appDir = path.join(workDir, 'app');
    // The Dockerfile's build stage runs exactly this after `next build` (global setup built the tree).
    const assembled = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'assemble-standalone.mjs'), appDir], {
      encoding: 'utf8',
    });
    expect(assembled.status, assembled.stderr).toBe(0);
    expect(fs.existsSync(path.join(appDir, 'next.config.ts'))).toBe(false);

    // The volume: owned by the image's user (the pod's fsGroup does this).
    dataDir = path.join(workDir, 'data');
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, 65532, 65532);

    // The config a platform engineer writes from deploy/base/console.yaml: its auth section as shipped, pointed
    // at the e2e identity provider, and the demo's K3s cluster through a kubeconfig (no AWS involved).
    const stack = readStackInfo();
    const configDir = path.join(workDir, 'config');
    fs.mkdirSync(configDir);
    const kubeconfig = YAML.parse(fs.readFileSync(stack.kubeconfigPath, 'utf8')) as { contexts: { name: string }[] };
    const k3s = kubeconfig.contexts.find((context) => !context.name.startsWith('arn:'))!;
    fs.copyFileSync(stack.kubeconfigPath, path.join(configDir, 'kubeconfig'));
    const shipped = YAML.parse(fs.readFileSync(path.join(repoRoot, 'deploy', 'base', 'console.yaml'), 'utf8')) as {
      auth: { oidc: Record<string, string> };
    };
    const config = {
      ...shipped,
      clusters: [{ name: 'edge', kubeconfig: 'kubeconfig', context: k3s.name, kind: 'k3s' }],
      auth: { ...shipped.auth, oidc: { ...shipped.auth.oidc, issuer: stack.issuer, baseUrl: `http://127.0.0.1:${port}` } },
    };
    fs.writeFileSync(path.join(configDir, 'console.yaml'), YAML.stringify(config));
    for (const file of fs.readdirSync(configDir)) fs.chmodSync(path.join(configDir, file), 0o644);

    env = {
      PATH: '/usr/bin:/bin',
      ...stage.env,
      // What the Deployment sets on top of the image (deploy/base/deployment.yaml); PORT and DATA_DIR name this
      // test's port and volume.
      PORT: String(port),
      DATA_DIR: dataDir,
      CONSOLE_CONFIG: path.join(configDir, 'console.yaml'),
      CONSOLE_SESSION_SECRET: SESSION_SECRET,
      CONSOLE_OIDC_CLIENT_SECRET: 'image-spec-client-secret',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    running = launchAsImage(appDir, stage, onThisMachine(stage.argv), env);
    await expect
      .poll(
        async () => {
          if (running.child.exitCode !== null)
            throw new Error(`the console exited (${running.child.exitCode}):\n${running.lines.join('\n')}`);
          return fetch(`http://127.0.0.1:${port}/api/health`).then(
            (response) => response.status,
            () => 0,
          );
        },
        { timeout: 90_000 },
      )
      .toBe(200);
  });

  test.afterAll(async () => {
    if (running?.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test('serves pages, assets and readiness from a read-only directory as UID 65532', async ({ request }) => {
    const base = `http://127.0.0.1:${port}`;
    const status = fs.readFileSync(`/proc/${running.child.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65532\s+65532\s+65532\s+65532$/m);
    expect(status).toMatch(/^Gid:\s+65532\s+65532\s+65532\s+65532$/m);

    const signin = await request.get(`${base}/signin`);
    expect(signin.status()).toBe(200);
    const html = await signin.text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset, 'the sign-in page loads a script from /_next/static').toBeTruthy();
    expect((await request.get(`${base}${asset}`)).status()).toBe(200);
    // Not signed in: the API refuses, as the shipped auth config (OIDC) asks.
    expect((await request.get(`${base}/api/v1/clusters`)).status()).toBe(401);

    const ready = await request.get(`${base}/api/health/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const metrics = await request.get(`${base}/metrics`);
    expect(await metrics.text()).toContain('# TYPE wic_findings gauge');

    // The HEALTHCHECK, run with the image's environment.
    const healthcheck = onThisMachine(stage.healthcheck);
    const probe = spawnSync(healthcheck[0], healthcheck.slice(1), { cwd: appDir, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
    expect(probe.status, probe.stderr).toBe(0);
  });

  test('readiness fails, naming the store, when DATA_DIR is not writable, while liveness holds', async ({ request }) => {
    const base = `http://127.0.0.1:${port}`;
    fs.chmodSync(dataDir, 0o555);
    try {
      const ready = await request.get(`${base}/api/health/ready`);
      expect(ready.status()).toBe(503);
      const body = (await ready.json()) as { checks: { check: string; ok: boolean; message: string }[] };
      expect(body.checks.find((check) => !check.ok)).toMatchObject({ check: 'store', message: expect.stringContaining(dataDir) });
      expect((await request.get(`${base}/api/health`)).status()).toBe(200);
    } finally {
      fs.chmodSync(dataDir, 0o755);
    }
    expect((await request.get(`${base}/api/health/ready`)).status()).toBe(200);
  });

  test('logs one JSON object per line, requests with their id; SIGTERM drains and exits 0', async ({ request }) => {
    const base = `http://127.0.0.1:${port}`;
    const response = await request.get(`${base}/signin`, { headers: { 'x-request-id': 'image-spec-request-1' } });
    expect(response.headers()['x-request-id']).toBe('image-spec-request-1');

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    const records = running.lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    expect(records).toContainEqual(
      expect.objectContaining({ reqId: 'image-spec-request-1', method: 'GET', path: '/signin', status: 200, msg: 'request' }),
    );
    expect(records.map((record) => record.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^draining/), 'stopped']));
    // Nothing failed on the read-only filesystem (Next's caches, the store) while it served.
    expect(records.filter((record) => Number(record.level) >= 50)).toEqual([]);
  });
});
