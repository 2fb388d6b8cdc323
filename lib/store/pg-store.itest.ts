import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type RunningPostgres } from '@/scripts/postgres-process';
import type { ConsoleStore } from './console-store';
import { PgConsoleStore } from './pg-store';
import { storeSuite } from './store-suite';

// The shared store suite on a real PostgreSQL that this file starts (initdb in a temporary directory, a free
// port on 127.0.0.1), a fresh database per test; then what only the PostgreSQL engine does.

let postgres: RunningPostgres;
let databases = 0;
let url = '';

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

storeSuite('PostgreSQL', {
  async open(options = {}) {
    url = await postgres.createDatabase(`suite_${++databases}`);
    return new PgConsoleStore(url, options.replicaId, options);
  },
  async reopen(options = {}) {
    return new PgConsoleStore(url, options.replicaId, options);
  },
});

describe('PostgreSQL only', () => {
  const stores: ConsoleStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });
  const open = (databaseUrl: string) => {
    const store = new PgConsoleStore(databaseUrl);
    stores.push(store);
    return store;
  };

  it('replicas starting together migrate the schema once, to its latest version, and refuse to rewrite the audit trail', async () => {
    const databaseUrl = await postgres.createDatabase('migrations');
    const replicas = [open(databaseUrl), open(databaseUrl), open(databaseUrl)];
    await Promise.all(replicas.map((replica) => replica.check()));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
      expect(rows.map((row) => row.name)).toEqual(['1764576000000_console-store']);
      await replicas[0].audit.recordEvent({ actor: { subject: 'ann', groups: [], via: 'oidc' }, type: 'sign-in', outcome: 'succeeded' });
      await expect(client.query(`UPDATE audit_entries SET outcome = 'failed'`)).rejects.toThrow('append-only');
      await expect(client.query('DELETE FROM audit_entries')).rejects.toThrow('append-only');
      await expect(client.query('TRUNCATE audit_entries')).rejects.toThrow('append-only');
    } finally {
      await client.end();
    }
    // A replica started later finds the schema in place.
    await open(databaseUrl).check();
  });

  it('the background lock is held by one replica at a time, and passes on when that replica goes away', async () => {
    const databaseUrl = await postgres.createDatabase('locks');
    const one = open(databaseUrl);
    const two = open(databaseUrl);
    const held = await one.tryLock('background');
    expect(held?.held()).toBe(true);
    expect(await two.tryLock('background')).toBeUndefined();
    // The holder's connection ends (its process died): once the server sees it gone, another replica takes it.
    await one.close();
    let taken = await two.tryLock('background');
    for (let attempt = 0; !taken && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      taken = await two.tryLock('background');
    }
    expect(taken?.held()).toBe(true);
    await taken!.release();
  });

  it('a holder whose lock connection the server ended finds out when it checks, and another replica takes the lock', async () => {
    const databaseUrl = await postgres.createDatabase('lost_lock');
    const one = open(databaseUrl);
    const two = open(databaseUrl);
    const held = await one.tryLock('background');
    expect(await held?.confirm?.()).toBe(true);
    // The server ends the lock's session (a failover, an administrator, a keepalive that found the peer gone).
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    } finally {
      await admin.end();
    }
    expect(await held!.confirm!()).toBe(false);
    expect(held!.held()).toBe(false);
    await held!.release();
    const taken = await two.tryLock('background');
    expect(taken?.held()).toBe(true);
    await taken!.release();
  });

  it('a wrong DATABASE_URL fails the store with the reason, not the process', async () => {
    const store = open(`postgres://postgres@127.0.0.1:${postgres.port}/no_such_database`);
    await expect(store.check()).rejects.toThrow(/DATABASE_URL: the store's migrations failed: .*no_such_database/);
    await expect(store.audit.listAudit()).rejects.toThrow('no_such_database');
  });
});
