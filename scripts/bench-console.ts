import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchScenario } from './bench-scenarios';
import { ensureConsoleBuilt, startConsole } from './console-process';
import { startSimProcess } from './sim-process';

// Issue 12's figures at the default bench's size: the built console's memory when idle (just started, and
// holding the evaluated fleet), and how long a /metrics scrape takes at 5,000 service accounts, 20,000 pods and
// 1,000 associations. `npm run bench -- fleet` prints the same figures at the largest fleet (200,000 pods). The
// console runs as `npm start` runs it, in its own process.

const ACCOUNT = '111122223333';

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchConsole(): Promise<void> {
  console.log('\n== console: idle memory, and /metrics at 5,000 service accounts / 20,000 pods / 1,000 associations');
  ensureConsoleBuilt();
  const scenarioFile = writeBenchScenario({
    clusters: [{ name: 'bench', namespaces: 50, serviceAccountsPerNamespace: 100, podsPerServiceAccount: 4, associationsPerNamespace: 20 }],
    awsLatencyMs: 20,
  });
  const sim = await startSimProcess(scenarioFile);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-bench-console-'));
  const port = Number(process.env.BENCH_PORT ?? 3290);
  const consoleProcess = await startConsole({ port, dataDir, env: sim.consoleEnv(ACCOUNT), log: () => undefined });
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    console.log(`idle after start (no request served but the health check): RSS ${rssMiB(consoleProcess.pid).toFixed(0)} MiB`);

    // The first scrape starts a collection; the fleet gauges appear once it is evaluated.
    const started = process.hrtime.bigint();
    let text = '';
    while (!/^wic_fleet_collected_timestamp_seconds [1-9]/m.test(text)) {
      text = await (await fetch(`${consoleProcess.url}/metrics`)).text();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`first collection through scrapes: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);

    const times: number[] = [];
    let bytes = 0;
    for (let round = 0; round < 20; round++) {
      const start = process.hrtime.bigint();
      const body = await (await fetch(`${consoleProcess.url}/metrics`)).text();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      bytes = Buffer.byteLength(body);
    }
    const series = text.split('\n').filter((line) => line && !line.startsWith('#')).length;
    console.log(
      `/metrics scrape (20 rounds, fleet cached): median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; ${(bytes / 1024).toFixed(0)} KiB, ${series} series`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    console.log(`idle holding the evaluated fleet: RSS ${rssMiB(consoleProcess.pid).toFixed(0)} MiB`);
  } finally {
    await consoleProcess.stop();
    sim.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
