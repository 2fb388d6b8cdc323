import * as k8s from '@kubernetes/client-node';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// Large lists are streamed from each object's cached bytes and gzipped when the client accepts it, as the API
// server does above 128 KiB: whatever the encoding, and however it is paged, a client sees the same objects.

let sim: RunningSim;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-list-encoding-'));
  const scenarioFile = path.join(dir, 'scenario.yaml');
  // 3 namespaces x 40 service accounts x 1 pod: about 200 KiB of pods, over the gzip threshold.
  fs.writeFileSync(
    scenarioFile,
    [
      'accounts: [{ id: "111122223333" }]',
      'clusters:',
      '  - { name: gen, kind: eks, account: "111122223333", region: us-east-1, version: "1.31",',
      '      generate: { namespaces: 3, serviceAccountsPerNamespace: 40, podsPerServiceAccount: 1 } }',
    ].join('\n'),
  );
  sim = await startSim({ scenarioFile });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
});
afterAll(async () => sim?.stop());

function getPods(
  acceptEncoding: string,
  query = '',
): Promise<{
  headers: Record<string, unknown>;
  body: { items: { metadata: { namespace: string; name: string } }[]; metadata: { continue?: string } };
}> {
  const cluster = kc.getCurrentCluster()!;
  return new Promise((resolve, reject) => {
    https
      .get(
        `${cluster.server}/api/v1/pods${query}`,
        {
          ca: Buffer.from(cluster.caData!, 'base64'),
          headers: { authorization: `Bearer ${kc.getCurrentUser()!.token}`, 'accept-encoding': acceptEncoding },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');
            resolve({ headers: res.headers, body: JSON.parse(text) });
          });
        },
      )
      .on('error', reject);
  });
}

const names = (items: { metadata: { namespace: string; name: string } }[]) =>
  items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

describe('large lists', () => {
  it('are gzipped for a client that accepts gzip, and sent plain with a length otherwise, with the same pods', async () => {
    const gzipped = await getPods('gzip, deflate');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const plain = await getPods('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBeGreaterThan(128 * 1024);
    expect(plain.body.items.length).toBeGreaterThanOrEqual(120);
    expect(names(gzipped.body.items)).toEqual(names(plain.body.items));
    const refused = await getPods('gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('reach client-node whole (it asks for gzip), and paging with limit and continue returns the same pods in order', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const all = await core.listPodForAllNamespaces();
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 7, _continue: token });
      expect(page.items.length).toBeLessThanOrEqual(7);
      paged.push(...page.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
      token = page.metadata?._continue || undefined;
    } while (token);
    expect(paged).toEqual(all.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
    const oneNamespace = await core.listNamespacedPod({ namespace: 'gen-0001' });
    expect(oneNamespace.items).toHaveLength(40);
    expect(new Set(oneNamespace.items.map((p) => p.metadata!.namespace))).toEqual(new Set(['gen-0001']));
  });
});
