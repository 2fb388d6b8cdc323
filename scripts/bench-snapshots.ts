import { writeBenchScenario } from './bench-scenarios';
import { startSimProcess } from './sim-process';
import { resetAwsClients } from '../lib/aws/clients';
import { CollectCache, DEFAULT_CACHE_OPTIONS } from '../lib/collect/cache';
import { s3ReaderFactory } from '../lib/collect/s3-reader';
import type { FleetState } from '../lib/model/cluster-state';
import { parseSnapshotsConfig, readSnapshotSources } from '../lib/snapshots';

// Issue 6's benchmark: 10 Restate destinations × 128 partitions, read through the same cache and bounded pool
// as every other AWS call (ListObjectsV2, then one GetObject per partition's latest.json), with 20 ms injected
// into every S3 call. Target: under 2 s.

const ACCOUNT = '111122223333';
const DESTINATIONS = 10;
const PARTITIONS = 128;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchSnapshots(): Promise<void> {
  console.log(`\n== snapshots: ${DESTINATIONS} Restate destinations × ${PARTITIONS} partitions, 20 ms per S3 call`);
  const now = Date.now();
  const objects = Array.from({ length: DESTINATIONS }, (_, destination) =>
    Array.from({ length: PARTITIONS }, (_, partition) => {
      const createdAt = new Date(now - (partition === 7 ? 30 : 1) * 3_600_000).toISOString();
      const path = `lsn_${String(1000 + partition).padStart(20, '0')}-snap_${destination}_${partition}`;
      return [
        {
          key: `cluster-${destination}/${partition}/latest.json`,
          json: {
            version: 'V2',
            partition_id: partition,
            node_name: `restate-${partition % 3}`,
            created_at: createdAt,
            snapshot_id: `snap_${destination}_${partition}`,
            min_applied_lsn: 1000 + partition,
            path,
            retained_snapshots: [],
          },
        },
        { key: `cluster-${destination}/${partition}/${path}/metadata.json`, json: {} },
      ];
    }).flat(),
  ).flat();
  const scenarioFile = writeBenchScenario({ clusters: [], s3LatencyMs: 20, buckets: [{ name: 'restate-bench', objects }] });
  const sim = await startSimProcess(scenarioFile);
  const savedEnv = { ...process.env };
  Object.assign(process.env, sim.consoleEnv(ACCOUNT));
  resetAwsClients();
  try {
    const config = parseSnapshotsConfig({
      restate: Array.from({ length: DESTINATIONS }, (_, destination) => ({
        url: `s3://restate-bench/cluster-${destination}`,
        snapshotInterval: '1h',
        account: ACCOUNT,
        region: 'us-east-1',
      })),
    });
    const fleet: FleetState = { clusters: [], roles: {}, accounts: {}, sourceErrors: [], collectedAt: new Date().toISOString() };
    const cache = new CollectCache(DEFAULT_CACHE_OPTIONS);
    const reader = s3ReaderFactory([], cache);

    let start = process.hrtime.bigint();
    const sources = await readSnapshotSources(fleet, config, reader, new Date());
    const cold = ms(start);
    const calls = cache.stats().callsByOperation;
    const partitions = sources.reduce((sum, source) => sum + (source.kind === 'restate' ? source.partitions.length : 0), 0);
    const stale = sources.reduce(
      (sum, source) => sum + (source.kind === 'restate' ? source.partitions.filter((partition) => partition.state === 'stale').length : 0),
      0,
    );
    console.log(
      `cold read: ${cold.toFixed(0)} ms for ${sources.length} sources, ${partitions} partitions (${stale} stale); S3 calls: ${Object.entries(
        calls,
      )
        .map(([operation, count]) => `${operation} ${count}`)
        .join(', ')}; peak S3 concurrency ${cache.stats().peakS3Concurrency} (target < 2 s)`,
    );

    start = process.hrtime.bigint();
    await readSnapshotSources(fleet, config, reader, new Date());
    console.log(`warm read (same cache): ${ms(start).toFixed(0)} ms`);
  } finally {
    sim.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    resetAwsClients();
  }
}
