import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteConsoleStore, type ConsoleStore } from '../lib/store/console-store';
import { PgConsoleStore } from '../lib/store/pg-store';
import { startPostgres } from './postgres-process';

// The console's store, both engines (lib/store): audit writes per second (each one a durable insert, as an
// action's intent must be before anything reaches AWS or Kubernetes), audit reads (a page of 100 newest
// entries, unfiltered and by actor), and the latency of claiming a job (create, claimed by this replica) and of
// claiming an expired one (the takeover after a replica died). PostgreSQL is the throwaway local server the
// tests use (fsync off), so its figures show the engine's and the driver's cost, not a network's or a disk's.

const WRITES = 2_000;
const READS = 200;
const CLAIMS = 300;

const actor = { subject: 'bench', groups: ['platform'], via: 'token' as const };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function benchOne(name: string, store: ConsoleStore): Promise<void> {
  const write = await timed(async () => {
    for (let i = 0; i < WRITES; i++)
      await store.audit.recordEvent({
        actor: { ...actor, subject: `user-${i % 50}` },
        type: 'plan',
        actionType: 'roll-pods',
        target: { cluster: `prod-${i % 5}`, namespace: `team-${i % 40}`, serviceAccount: 'api' },
        request: { i },
        outcome: 'succeeded',
      });
  });
  const readAll = await timed(async () => {
    for (let i = 0; i < READS; i++) await store.audit.listAudit({ limit: 100 });
  });
  const readActor = await timed(async () => {
    for (let i = 0; i < READS; i++) await store.audit.listAudit({ limit: 100, actor: `user-${i % 50}` });
  });
  const claims: number[] = [];
  for (let i = 0; i < CLAIMS; i++)
    claims.push(
      await timed(() => store.jobs.create({ id: `${name}-job-${i}`, kind: 'action', owner: store.replicaId, record: { i }, leaseMs: 1 })),
    );
  await new Promise((resolve) => setTimeout(resolve, 20));
  const takeovers: number[] = [];
  for (let i = 0; i < CLAIMS; i++) takeovers.push(await timed(() => store.jobs.claimExpired('bench-claimant', 60_000, 1)));
  claims.sort((a, b) => a - b);
  takeovers.sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(10)} audit writes ${Math.round((WRITES / write) * 1000)}/s; ` +
      `reads of 100 entries ${Math.round((READS / readAll) * 1000)}/s (by actor ${Math.round((READS / readActor) * 1000)}/s); ` +
      `job claim p50 ${percentile(claims, 50).toFixed(2)} ms, p99 ${percentile(claims, 99).toFixed(2)} ms; ` +
      `expired-job claim p50 ${percentile(takeovers, 50).toFixed(2)} ms, p99 ${percentile(takeovers, 99).toFixed(2)} ms`,
  );
}

export async function benchStore(): Promise<void> {
  console.log(`\n== store: ${WRITES} audit writes, ${READS} page reads, ${CLAIMS} job claims and ${CLAIMS} takeovers, per engine`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-bench-store-'));
  const sqlite = new SqliteConsoleStore(dir);
  try {
    await benchOne('SQLite', sqlite);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const postgres = await startPostgres();
  const store = new PgConsoleStore(await postgres.createDatabase('bench'));
  try {
    await benchOne('PostgreSQL', store);
  } finally {
    await store.close();
    await postgres.stop();
  }
}
