import { writeBenchScenario } from './bench-scenarios';
import { startSimProcess } from './sim-process';
import { resetAwsClients } from '../lib/aws/clients';
import { resetKubeConnections } from '../lib/kube/client';
import { CollectCache, DEFAULT_CACHE_OPTIONS } from '../lib/collect/cache';
import { collectFleet } from '../lib/collect/collect-fleet';
import { collectFleetNaive } from '../lib/collect/naive';
import { parseConsoleConfig } from '../lib/config/console-config';
import { resolveClusterTargets } from '../lib/config/cluster-targets';
import { buildServiceAccountRows } from '../lib/identity';

// Issue 3's benchmark: the matrix of a generated cluster (5,000 service accounts, 20,000 pods, 1,000
// associations) with 20 ms injected into every AWS call, built cold, warm, and the naive way (list, then
// describe and get-role one at a time), all in one run against the same simulator.

const ACCOUNT = '111122223333';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const fmt = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(0)} ms`);
const rssMiB = () => (process.memoryUsage().rss / 1024 / 1024).toFixed(0);

function totalCalls(callsByOperation: Record<string, number>, prefixes: string[]): number {
  return Object.entries(callsByOperation)
    .filter(([operation]) => prefixes.some((prefix) => operation.startsWith(prefix)))
    .reduce((sum, [, count]) => sum + count, 0);
}

export async function benchMatrix(): Promise<void> {
  console.log('\n== matrix: 5,000 service accounts, 20,000 pods, 1,000 associations, 20 ms per AWS call');
  const scenarioFile = writeBenchScenario({
    clusters: [{ name: 'bench', namespaces: 50, serviceAccountsPerNamespace: 100, podsPerServiceAccount: 4, associationsPerNamespace: 20 }],
    awsLatencyMs: 20,
  });
  const sim = await startSimProcess(scenarioFile);
  const savedEnv = { ...process.env };
  Object.assign(process.env, sim.consoleEnv(ACCOUNT));
  delete process.env.CONSOLE_CONFIG;
  resetAwsClients();
  resetKubeConnections();
  try {
    const targets = resolveClusterTargets(parseConsoleConfig({}, '(zero config)'));
    const cache = new CollectCache(DEFAULT_CACHE_OPTIONS);

    let start = process.hrtime.bigint();
    const fleet = await collectFleet(targets, { cache });
    const rows = buildServiceAccountRows(fleet);
    const cold = ms(start);
    const coldStats = cache.stats();
    const awsCalls = totalCalls(coldStats.callsByOperation, ['eks:', 'iam:', 'sts:']);
    const withFindings = rows.filter((row) => row.findings.length > 0).length;
    console.log(
      `cold build: ${fmt(cold)} (${rows.length} rows, ${withFindings} with findings, ${fleet.sourceErrors.length + fleet.clusters.flatMap((c) => c.sourceErrors).length} source errors)`,
    );
    console.log(
      `  AWS calls: ${awsCalls} (${Object.entries(coldStats.callsByOperation)
        .filter(([operation]) => !operation.startsWith('kube:'))
        .map(([operation, count]) => `${operation} ${count}`)
        .join(', ')}); peak concurrency ${coldStats.peakConcurrency}`,
    );
    console.log(`  RSS after cold build: ${rssMiB()} MiB`);

    const warmTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      start = process.hrtime.bigint();
      const warmFleet = await collectFleet(targets, { cache });
      buildServiceAccountRows(warmFleet);
      warmTimes.push(ms(start));
    }
    const warmAwsCalls = totalCalls(cache.stats().callsByOperation, ['eks:', 'iam:', 'sts:']) - awsCalls;
    console.log(`warm build (same cache, 3 rounds): ${warmTimes.map(fmt).join(', ')}; AWS calls made: ${warmAwsCalls}`);

    const naiveStats = { awsCalls: 0 };
    start = process.hrtime.bigint();
    const naiveFleet = await collectFleetNaive(targets, naiveStats);
    buildServiceAccountRows(naiveFleet);
    const naive = ms(start);
    console.log(`naive cold build (list, then describe and get-role one at a time): ${fmt(naive)}; AWS calls ${naiveStats.awsCalls}`);
    console.log(
      `ratio naive / cold: ${(naive / cold).toFixed(1)}x (target ≥ 10x); warm best ${fmt(Math.min(...warmTimes))} (target < 200 ms)`,
    );
    console.log(`peak RSS so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    sim.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    resetAwsClients();
    resetKubeConnections();
  }
}
