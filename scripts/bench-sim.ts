import * as k8s from '@kubernetes/client-node';
import https from 'node:https';
import zlib from 'node:zlib';
import { writeBenchScenario } from './bench-scenarios';
import { startSimProcess } from './sim-process';

// The simulator's scale figures for `npm run bench`: a generated 50,000-pod cluster, listed whole.
// The sim runs in its own process, as it does under the demo and the tests, so the client's figures are
// not mixed with the server's CPU (both halves in one event loop would serialize their work).

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function fmt(value: number): string {
  return `${value.toFixed(0)} ms`;
}

interface WireList {
  wireBytes: number;
  body: Buffer;
  lastByteMs: number;
}

/** One GET of every pod over HTTPS, decoded as a client does; timed to the last decoded byte. */
function getAllPods(cluster: k8s.Cluster, token: string, acceptEncoding: 'gzip' | 'identity'): Promise<WireList> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = https.get(
      `${cluster.server}/api/v1/pods`,
      { ca: Buffer.from(cluster.caData!, 'base64'), headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`list pods answered HTTP ${response.statusCode}`));
        let wireBytes = 0;
        response.on('data', (chunk: Buffer) => (wireBytes += chunk.length));
        const decoded = response.headers['content-encoding'] === 'gzip' ? response.pipe(zlib.createGunzip()) : response;
        const chunks: Buffer[] = [];
        decoded.on('data', (chunk: Buffer) => chunks.push(chunk));
        decoded.on('error', reject);
        decoded.on('end', () => resolve({ wireBytes, body: Buffer.concat(chunks), lastByteMs: ms(start) }));
      },
    );
    request.on('error', reject);
  });
}

export async function benchSimulator(): Promise<void> {
  console.log('\n== simulator: a generated 50,000-pod cluster (sim in its own process)');
  const scenarioFile = writeBenchScenario({
    clusters: [{ name: 'scale', namespaces: 50, serviceAccountsPerNamespace: 100, podsPerServiceAccount: 10, associationsPerNamespace: 0 }],
  });
  const loadStart = process.hrtime.bigint();
  const { child, kubeconfigPath } = await startSimProcess(scenarioFile);
  console.log(`load (process start to "sim ready", 5,000 Deployments brought to 50,000 pods): ${fmt(ms(loadStart))}`);
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const cluster = kc.getCurrentCluster()!;
    const token = kc.getCurrentUser()!.token!;
    // gzip is what client-node (node-fetch) and kubectl ask for; identity shows the uncompressed wire.
    for (const encoding of ['gzip', 'identity', 'gzip', 'identity'] as const) {
      const list = await getAllPods(cluster, token, encoding);
      const parseStart = process.hrtime.bigint();
      const count = (JSON.parse(list.body.toString('utf8')) as { items: unknown[] }).items.length;
      const parseMs = ms(parseStart);
      console.log(
        `list all pods, Accept-Encoding ${encoding}: ${count} pods, ${(list.body.length / 1e6).toFixed(0)} MB JSON (${(list.wireBytes / 1e6).toFixed(1)} MB on the wire); ` +
          `served in ${fmt(list.lastByteMs)}, + client JSON.parse ${fmt(parseMs)} = ${fmt(list.lastByteMs + parseMs)}`,
      );
    }
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (let round = 1; round <= 2; round++) {
      const start = process.hrtime.bigint();
      const pods = await core.listPodForAllNamespaces();
      console.log(
        `list all pods with client-node's typed deserialization (round ${round}): ${pods.items.length} pods in ${fmt(ms(start))}`,
      );
    }
    const start = process.hrtime.bigint();
    let total = 0;
    let pages = 0;
    let continueToken: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 500, _continue: continueToken });
      total += page.items.length;
      pages += 1;
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken);
    console.log(`list all pods with client-node, limit=500: ${total} pods in ${pages} pages, ${fmt(ms(start))}`);
  } finally {
    child.kill('SIGTERM');
  }
}
