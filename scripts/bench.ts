import * as k8s from '@kubernetes/client-node';
import { startSim } from '../sim/index';
import { writeBenchScenario } from './bench-scenarios';

// `npm run bench`: prints figures; never a pass/fail timed test. Run with --conditions=react-server so that
// product modules marked 'server-only' load outside Next.

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function fmt(value: number): string {
  return `${value.toFixed(1)} ms`;
}

async function benchSimulatorScale() {
  console.log('\n== simulator: a generated 50,000-pod cluster');
  const scenarioFile = writeBenchScenario({
    clusters: [{ name: 'scale', namespaces: 50, serviceAccountsPerNamespace: 100, podsPerServiceAccount: 10, associationsPerNamespace: 0 }],
  });
  const loadStart = process.hrtime.bigint();
  const sim = await startSim({ scenarioFile });
  console.log(`load: ${fmt(ms(loadStart))}`);
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
    // The wire alone: one GET of every pod, parsed as plain JSON (what the console's collector pays).
    const cluster = kc.getCurrentCluster()!;
    const user = kc.getCurrentUser()!;
    const https = await import('node:https');
    for (let round = 1; round <= 2; round++) {
      const start = process.hrtime.bigint();
      const body = await new Promise<string>((resolve, reject) => {
        const req = https.get(`${cluster.server}/api/v1/pods`, { ca: Buffer.from(cluster.caData!, 'base64'), headers: { authorization: `Bearer ${user.token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', reject);
      });
      const count = (JSON.parse(body) as { items: unknown[] }).items.length;
      console.log(`list all pods over HTTP + JSON.parse (round ${round}): ${count} pods, ${(body.length / 1e6).toFixed(0)} MB, ${fmt(ms(start))}`);
    }
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (let round = 1; round <= 2; round++) {
      const start = process.hrtime.bigint();
      const pods = await core.listPodForAllNamespaces();
      console.log(`list all pods with client-node's typed deserialization (round ${round}): ${pods.items.length} pods in ${fmt(ms(start))}`);
    }
    const start = process.hrtime.bigint();
    let total = 0;
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 500, _continue: token });
      total += page.items.length;
      pages += 1;
      token = page.metadata?._continue || undefined;
    } while (token);
    console.log(`list all pods, limit=500: ${total} pods in ${pages} pages, ${fmt(ms(start))}`);
  } finally {
    await sim.stop();
  }
}

async function main() {
  const only = process.argv.slice(2);
  const sections: [string, () => Promise<void>][] = [['sim', benchSimulatorScale]];
  for (const [name, run] of sections) if (only.length === 0 || only.includes(name)) await run();
  console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
