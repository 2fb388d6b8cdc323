import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { sha256Hex } from '@/lib/auth/api-token';
import { resolveClusterTargets } from '@/lib/config/cluster-targets';
import { parseConsoleConfig } from '@/lib/config/console-config';
import { Informer } from '@/lib/kube/informer';
import { projectServiceAccount } from '@/lib/kube/projection';
import { kubeInformers } from '@/lib/collect/kube-informers';
import { subscribeFleetChanges, type FleetChange } from '@/lib/collect/fleet-changes';
import type { KubeObject } from '@/lib/model/kube-objects';
import { pointConsoleAt } from '../support/console-environment';

// Informers against the simulator through the real client (client-node's Watch): a change made with kubectl reaches
// GET /api/v1/serviceaccounts without a refresh, a watch that fails recovers by itself, and a watch whose
// resourceVersion was compacted away relists.

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let sim: RunningSim;
let restore: () => void;

async function addFault(fault: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${sim.controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBeLessThan(300);
  return ((await response.json()) as { id: string }).id;
}

async function removeFault(id: string): Promise<void> {
  await fetch(`${sim.controlUrl}/faults/${id}`, { method: 'DELETE' });
}

/** Polls until `done` holds, at most `withinMs`: the bound is the behaviour under test (a change shows within 2 s). */
async function within<T>(withinMs: number, read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** kubectl, asynchronously: the simulator answers it from this same process. */
async function kubectl(...args: string[]): Promise<void> {
  await promisify(execFile)('kubectl', ['--context', 'arn:aws:eks:us-east-1:111122223333:cluster/prod-use1', ...args], {
    env: { ...process.env, KUBECONFIG: sim.kubeconfigPath },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-informers-'));
  sim = await startSim({ scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'minimal.yaml'), kubeconfigPath: path.join(dir, 'kubeconfig') });
  writeFileSync(
    path.join(dir, 'console.yaml'),
    `auth:
  mode: proxy
  publicUrl: https://console.example.com
  proxy: { type: oauth2-proxy, oauth2Proxy: { trustedProxies: [10.0.0.1] } }
  apiTokens:
    - { sha256: ${sha256Hex('admin-token')}, subject: ops, role: admin }
kube: { backoffInitialMs: 50, backoffMaxMs: 200 }
`,
  );
  restore = pointConsoleAt({ ...consoleEnvironment(sim), CONSOLE_CONFIG: path.join(dir, 'console.yaml'), DATA_DIR: dir });
});

afterAll(async () => {
  kubeInformers().stopAll();
  restore?.();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function target() {
  const config = parseConsoleConfig({}, 'console.yaml');
  return resolveClusterTargets(config).find((candidate) => candidate.name === 'prod-use1')!;
}

describe('informers', () => {
  it('a kubectl annotate shows in GET /api/v1/serviceaccounts within 2 s, without ?refresh=1, and is published as a change', async () => {
    const { GET } = await import('@/app/api/v1/serviceaccounts/route');
    const list = async () => {
      const response = await GET(
        new Request('http://127.0.0.1/api/v1/serviceaccounts?cluster=prod-use1&q=exporter', {
          headers: { authorization: 'Bearer admin-token' },
        }),
      );
      expect(response.status).toBe(200);
      return (await response.json()) as { items: { name: string; namespace: string; irsa: { roleArn: string } | null }[] };
    };
    const before = await list();
    const exporter = before.items.find((row) => row.namespace === 'reports' && row.name === 'exporter');
    expect(exporter).toBeDefined();
    const changes: FleetChange[] = [];
    const unsubscribe = subscribeFleetChanges((change) => changes.push(change));
    try {
      const roleArn = 'arn:aws:iam::111122223333:role/catalog-reader';
      await kubectl('annotate', '--overwrite', '-n', 'reports', 'serviceaccount', 'exporter', `eks.amazonaws.com/role-arn=${roleArn}`);
      const after = await within(2_000, list, (answer) =>
        answer.items.some((row) => row.namespace === 'reports' && row.name === 'exporter' && row.irsa?.roleArn === roleArn),
      );
      expect(after.items.find((row) => row.name === 'exporter')?.irsa?.roleArn).toBe(roleArn);
      expect(changes.flatMap((change) => change.serviceAccounts)).toContainEqual({
        cluster: 'prod-use1',
        namespace: 'reports',
        name: 'exporter',
      });
    } finally {
      unsubscribe();
    }
  });

  it('GET /api/v1/clusters says how current each source is: the watch and the AWS reads', async () => {
    const { GET } = await import('@/app/api/v1/clusters/route');
    const response = await GET(new Request('http://127.0.0.1/api/v1/clusters', { headers: { authorization: 'Bearer admin-token' } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: {
        name: string;
        sources?: {
          kube: { state: string; ageSeconds: number };
          aws?: { ageSeconds: number; associationsListedSeconds?: number; iamReadSeconds?: number; stale?: true };
        };
      }[];
    };
    const prod = body.items.find((item) => item.name === 'prod-use1');
    expect(prod?.sources?.kube).toEqual({ state: 'watching', ageSeconds: 0 });
    expect(prod?.sources?.aws?.ageSeconds).toBeGreaterThanOrEqual(0);
    // The association listing and the IAM reads of this cluster's roles, each with its own age, none stale.
    expect(prod?.sources?.aws?.associationsListedSeconds).toBeGreaterThanOrEqual(0);
    expect(prod?.sources?.aws?.iamReadSeconds).toBeGreaterThanOrEqual(0);
    expect(prod?.sources?.aws?.stale).toBeUndefined();
  });

  it('a watch that fails comes back on its own, and what changed meanwhile arrives', async () => {
    const seen: string[] = [];
    const informer = new Informer<KubeObject>({
      target: target(),
      path: '/api/v1/serviceaccounts',
      project: projectServiceAccount,
      onChanges: (changes) => seen.push(...changes.map((change) => `${change.type} ${change.object.metadata.name}`)),
      timings: { watchTimeoutSeconds: 1, backoffInitialMs: 50, backoffMaxMs: 200 },
    });
    informer.start();
    try {
      await informer.ready();
      expect(informer.getStatus().state).toBe('synced');
      const fault = await addFault({
        service: 'kube',
        operation: 'watch serviceaccounts',
        cluster: 'prod-use1',
        error: { status: 503, code: 'ServiceUnavailable', message: 'the API server is restarting' },
      });
      // The open watch ends after its timeoutSeconds; reopening it fails while the fault holds.
      const down = await within(
        5_000,
        () => informer.getStatus(),
        (status) => status.state === 'down',
      );
      expect(down.state).toBe('down');
      expect(down.failedOperation).toBe('watch serviceaccounts');
      // A Refresh relists: the list answers, but the cache is not live until a watch opens, so it stays down (now
      // current as of that list) instead of reading "watching" until the watch fails again a moment later.
      const relistedAt = Date.now();
      await informer.relist();
      const relisted = informer.getStatus();
      expect(relisted).toMatchObject({ state: 'down', failedOperation: 'watch serviceaccounts' });
      expect(Date.parse(relisted.currentAt!)).toBeGreaterThanOrEqual(relistedAt - 1_000);
      await kubectl('create', 'serviceaccount', '-n', 'reports', 'while-down');
      expect(informer.list()?.some((sa) => sa.metadata.name === 'while-down')).toBe(false);
      await removeFault(fault);
      const back = await within(
        5_000,
        () => informer.list() ?? [],
        (items) => items.some((sa) => sa.metadata.name === 'while-down'),
      );
      expect(back.some((sa) => sa.metadata.name === 'while-down')).toBe(true);
      expect(informer.getStatus().state).toBe('synced');
      expect(seen).toContain('ADDED while-down');
    } finally {
      informer.stop();
    }
  });

  it('a watch whose resourceVersion was compacted away (410 Gone after compaction) relists, and the relist tells what changed', async () => {
    const seen: string[] = [];
    const informer = new Informer<KubeObject>({
      target: target(),
      path: '/api/v1/serviceaccounts',
      project: projectServiceAccount,
      onChanges: (changes) => seen.push(...changes.map((change) => `${change.type} ${change.object.metadata.name}`)),
      timings: { watchTimeoutSeconds: 1, backoffInitialMs: 50, backoffMaxMs: 200 },
    });
    informer.start();
    try {
      await informer.ready();
      const relists = informer.getStatus().relists;
      const fault = await addFault({
        service: 'kube',
        operation: 'watch serviceaccounts',
        cluster: 'prod-use1',
        error: { status: 503, code: 'ServiceUnavailable', message: 'the API server is restarting' },
      });
      await within(
        5_000,
        () => informer.getStatus(),
        (status) => status.state === 'down',
      );
      // While the watch is down, a change, then etcd compaction: the informer's resourceVersion is gone, so
      // reopening the watch answers 410 Gone and only a relist can tell what changed.
      await kubectl('delete', 'serviceaccount', '-n', 'reports', 'while-down');
      const compacted = await fetch(`${sim.controlUrl}/kube/compact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cluster: 'prod-use1' }),
      });
      expect(compacted.status).toBe(200);
      await removeFault(fault);
      const after = await within(
        5_000,
        () => informer.getStatus(),
        (status) => status.relists > relists && status.state === 'synced',
      );
      expect(after.relists).toBeGreaterThan(relists);
      expect(informer.list()?.some((sa) => sa.metadata.name === 'while-down')).toBe(false);
      expect(seen).toContain('DELETED while-down');
    } finally {
      informer.stop();
    }
  });
});
