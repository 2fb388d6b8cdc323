import * as k8s from '@kubernetes/client-node';
import { execFile, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// Watches as the API server serves them, checked with the real clients: client-node's informer (list, then watch
// from the list's resourceVersion, relist on 410) and `kubectl get --watch`. History is kept short (20 events per
// resource) and bookmarks come every 200 ms, so compaction and bookmarks happen within a test.

const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

let sim: RunningSim;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  sim = await startSim({
    scenarioFile: path.join(__dirname, '..', 'scenarios', 'minimal.yaml'),
    rolloutReadyDelayMs: 50,
    watchHistory: 20,
    bookmarkIntervalMs: 200,
  });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
afterAll(async () => sim?.stop());

// Async on purpose: the simulator serves from this same process, so a sync exec would deadlock it.
const kubectl = async (...args: string[]) =>
  (await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const control = (what: string, body: unknown = {}) =>
  fetch(`${sim.controlUrl}/${what}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

async function annotatePod(name: string, value: string) {
  await core.patchNamespacedPod(
    { name, namespace: 'payments', body: { metadata: { annotations: { 'watch-test': value } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

interface WatchEvent {
  type: string;
  object: k8s.KubernetesObject & { code?: number; reason?: string };
}

/** A raw watch through client-node's Watch, collecting every event until stopped or ended by the server. */
async function watchPods(query: Record<string, string | boolean | number>) {
  const events: WatchEvent[] = [];
  let ended = false;
  let error: unknown;
  const request = await new k8s.Watch(kc).watch(
    '/api/v1/namespaces/payments/pods',
    query,
    (type, object) => events.push({ type, object }),
    (err) => {
      ended = true;
      error = err;
    },
  );
  return { events, ended: () => ended, error: () => error, stop: () => request.abort() };
}

const podNames = async () => (await core.listNamespacedPod({ namespace: 'payments' })).items.map((p) => p.metadata!.name!);

describe('watch', () => {
  it('feeds an informer: list, then every change, and a relist after a 410 once its version was compacted', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/payments/pods', () => core.listNamespacedPod({ namespace: 'payments' }));
    const seen = new Map<string, string | undefined>();
    const record = (pod: k8s.V1Pod) => seen.set(pod.metadata!.name!, pod.metadata?.annotations?.['watch-test']);
    informer.on('add', record);
    informer.on('update', record);
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      const [first, second] = await podNames();
      await until(() => seen.has(first) && seen.has(second), 'the listed pods');

      await annotatePod(first, 'one');
      await until(() => seen.get(first) === 'one', 'the update of a watched pod');

      // The watch goes down (the API server refuses it for now), the world moves on and is compacted meanwhile.
      await fetch(`${sim.controlUrl}/faults`, {
        method: 'POST',
        body: JSON.stringify({
          id: 'no-watch',
          service: 'kube',
          operation: 'watch pods',
          error: { status: 503, code: 'ServiceUnavailable' },
        }),
      });
      // makeInformer returns a ListWatch; its typing hides the version the informer has reached.
      const staleVersion = (informer as unknown as k8s.ListWatch<k8s.V1Pod>).latestResourceVersion();
      expect((await control('kube/close-watches', { cluster: 'prod-use1' })).closed['prod-use1']).toBeGreaterThan(0);
      await until(() => errors.length > 0, 'the informer to report its refused watch');
      await annotatePod(second, 'missed');
      await control('kube/compact');

      // Its old version is gone: the API server answers 200, then one ERROR event with a 410 Status, and ends.
      await fetch(`${sim.controlUrl}/faults/no-watch`, { method: 'DELETE' });
      const stale = await watchPods({ resourceVersion: staleVersion });
      await until(() => stale.ended(), 'the stale watch to end');
      expect(stale.events).toEqual([
        {
          type: 'ERROR',
          object: expect.objectContaining({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 }),
        },
      ]);
      expect((stale.events[0].object as { message?: string }).message).toMatch(/^too old resource version: \d+ \(\d+\)$/);

      // Restarted (as a client restarts an informer on error), it gets the 410, relists and sees what it missed.
      await informer.start();
      await until(() => seen.get(second) === 'missed', 'the relist to bring the missed change');
      await annotatePod(first, 'after');
      await until(() => seen.get(first) === 'after', 'updates after the relist');
    } finally {
      await informer.stop();
    }
  });

  it('answers 410 once more changes happened than the history holds', async () => {
    const listed = await core.listNamespacedPod({ namespace: 'payments' });
    const [name] = listed.items.map((p) => p.metadata!.name!);
    for (let i = 0; i < 30; i++) await annotatePod(name, `burst-${i}`);
    const watch = await watchPods({ resourceVersion: listed.metadata!.resourceVersion! });
    await until(() => watch.ended(), 'the watch to end');
    expect(watch.events.map((e) => [e.type, e.object.code])).toEqual([['ERROR', 410]]);
  });

  it('sends bookmarks with the latest resourceVersion when asked, and ends at timeoutSeconds', async () => {
    const listed = await core.listNamespacedPod({ namespace: 'payments' });
    const started = Date.now();
    const watch = await watchPods({ resourceVersion: listed.metadata!.resourceVersion!, allowWatchBookmarks: true, timeoutSeconds: 1 });
    await until(() => watch.ended(), 'the watch to time out', 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const bookmarks = watch.events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThanOrEqual(3);
    expect(bookmarks[0].object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(Number(bookmarks[0].object.metadata!.resourceVersion)).toBeGreaterThanOrEqual(Number(listed.metadata!.resourceVersion));
    const plain = await watchPods({ resourceVersion: listed.metadata!.resourceVersion!, timeoutSeconds: 1 });
    await until(() => plain.ended(), 'the watch without bookmarks to time out', 5_000);
    expect(plain.events.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
  });

  it('streams the initial state when asked (sendInitialEvents), ending it with the initial-events-end bookmark', async () => {
    const names = await podNames();
    const watch = await watchPods({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
    try {
      const end = await until(
        () => watch.events.find((e) => e.type === 'BOOKMARK' && e.object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'),
        'the end of the initial events',
      );
      const initial = watch.events.slice(0, watch.events.indexOf(end));
      expect(initial.map((e) => `${e.type} ${e.object.metadata!.name}`).sort()).toEqual(names.map((n) => `ADDED ${n}`).sort());
    } finally {
      watch.stop();
    }
    // Without resourceVersionMatch=NotOlderThan the API server refuses a streaming list (422 Invalid).
    const invalid = await watchPods({ sendInitialEvents: true });
    await until(() => invalid.ended(), 'the refused streaming list');
    expect(invalid.events).toEqual([]);
    expect(invalid.error()).toMatchObject({ statusCode: 422 });
  });

  it('tells a selector watch when an object enters or leaves the selection', async () => {
    const [name] = await podNames();
    const label = (value: string | null) =>
      core.patchNamespacedPod(
        { name, namespace: 'payments', body: { metadata: { labels: { 'watch-tier': value } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    const listed = await core.listNamespacedPod({ namespace: 'payments' });
    const watch = await watchPods({ resourceVersion: listed.metadata!.resourceVersion!, labelSelector: 'watch-tier=gold' });
    try {
      await label('gold');
      await label(null);
      await until(() => watch.events.length >= 2, 'two events');
      expect(watch.events.map((e) => `${e.type} ${e.object.metadata!.name} ${e.object.metadata!.labels?.['watch-tier']}`)).toEqual([
        `ADDED ${name} gold`,
        `DELETED ${name} gold`,
      ]);
      // The DELETED event carries the object as it was, at the version of the change that took it out.
      const after = await core.readNamespacedPod({ name, namespace: 'payments' });
      expect(watch.events[1].object.metadata!.resourceVersion).toBe(after.metadata!.resourceVersion);
    } finally {
      watch.stop();
    }
  });

  it('answers a continue token from before a compaction with 410 and a token that goes on', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 1 });
    expect(first.metadata!._continue).toBeTruthy();
    // Compaction keeps the current revision readable: the list's version must have been left behind first.
    await core.patchNamespacedPod(
      {
        name: first.items[0].metadata!.name!,
        namespace: first.items[0].metadata!.namespace!,
        body: { metadata: { labels: { moved: 'on' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await control('kube/compact', { cluster: 'prod-use1' });
    const err = await core.listPodForAllNamespaces({ limit: 1, _continue: first.metadata!._continue }).catch((e) => e);
    expect(err.code).toBe(410);
    const status = JSON.parse(err.body);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410, metadata: { continue: expect.any(String) } });
    expect(status.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
    const rest = await core.listPodForAllNamespaces({ limit: 1, _continue: status.metadata.continue });
    expect(rest.items).toHaveLength(1);
  });

  it.skipIf(!kubectlPresent)('kubectl get pods --watch prints a kubectl annotate as it happens', async () => {
    const [name] = await podNames();
    const watch = spawn(
      'kubectl',
      ['--kubeconfig', sim.kubeconfigPath, '-n', 'payments', 'get', 'pods', '--watch', '--output-watch-events'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    watch.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(() => output.includes(name), 'the initial rows');
      await kubectl('-n', 'payments', 'annotate', 'pod', name, 'watch-test=kubectl', '--overwrite');
      await until(() => /^MODIFIED\s/m.test(output), 'the MODIFIED row');
    } finally {
      watch.kill('SIGTERM');
    }
    expect(
      output
        .split('\n')[0]
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['EVENT', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(output.split('\n').find((l) => l.startsWith('MODIFIED'))).toContain(name);
  });
});
