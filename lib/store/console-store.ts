import 'server-only';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AuditStore } from '@/lib/audit/audit-store';
import { SqliteSessionStore, type SessionStore } from '@/lib/auth/session-store';
import type { JobStore } from './job-store';
import { PgConsoleStore } from './pg-store';
import { SqliteAuditStore } from './sqlite-audit-store';
import { SqliteJobStore } from './sqlite-job-store';

// The console's state (design.md "Stores"): audit trail, sessions and jobs behind one interface, with two
// engines. SQLite files under DATA_DIR are the embedded default, for one replica; DATABASE_URL=postgres://…
// moves everything to PostgreSQL, which any number of replicas share.

/** Held while this replica runs a piece of background work no other replica may run at the same time. */
export interface HeldLock {
  release(): Promise<void>;
  /** Whether the lock is still held (a PostgreSQL lock ends with its connection). */
  held(): boolean;
  /** Asks the database whether the lock's connection still answers (PostgreSQL); false or a throw: it is gone. */
  confirm?(): Promise<boolean>;
}

export interface ConsoleStore {
  readonly engine: 'sqlite' | 'postgres';
  /** This process, as the owner of the jobs it runs. */
  readonly replicaId: string;
  readonly audit: AuditStore;
  readonly sessions: SessionStore;
  readonly jobs: JobStore;
  /** Takes the named lock if no replica holds it (a PostgreSQL advisory lock); undefined when another holds it. */
  tryLock(name: string): Promise<HeldLock | undefined>;
  /** Throws when the store cannot be read and written (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export class SqliteConsoleStore implements ConsoleStore {
  readonly engine = 'sqlite' as const;
  readonly audit: SqliteAuditStore;
  readonly sessions: SqliteSessionStore;
  readonly jobs: SqliteJobStore;
  private readonly locks = new Set<string>();

  constructor(
    dataDir: string,
    readonly replicaId: string = randomUUID(),
    options: { now?: () => Date; graceMs?: number } = {},
  ) {
    this.audit = new SqliteAuditStore(path.join(dataDir, 'audit.sqlite'), {
      bootId: replicaId,
      now: options.now,
      graceMs: options.graceMs,
    });
    // Leases are on the real clock, as PostgreSQL's are on the database's.
    this.jobs = new SqliteJobStore(path.join(dataDir, 'audit.sqlite'));
    this.sessions = new SqliteSessionStore(path.join(dataDir, 'sessions.sqlite'), options.now);
  }

  /** One replica: the lock only keeps this process from running the same work twice. */
  async tryLock(name: string): Promise<HeldLock | undefined> {
    if (this.locks.has(name)) return undefined;
    this.locks.add(name);
    let held = true;
    return {
      release: async () => {
        held = false;
        this.locks.delete(name);
      },
      held: () => held,
    };
  }

  async check(): Promise<void> {
    await this.audit.listAudit({ limit: 1 });
  }

  async close(): Promise<void> {
    this.audit.close();
    this.jobs.close();
    this.sessions.close();
  }
}

/** Which engine the environment asks for: PostgreSQL for a postgres:// or postgresql:// DATABASE_URL. */
export function openConsoleStore(env: NodeJS.ProcessEnv = process.env): ConsoleStore {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got a ${url.split(':')[0]}: URL)`);
    return new PgConsoleStore(url);
  }
  return new SqliteConsoleStore(path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? '.data'));
}

// One store per process, on globalThis: Next compiles pages and route handlers into separate module graphs.
const shared = globalThis as typeof globalThis & { __workloadIdentityConsoleStore?: ConsoleStore };

/** The console's store, opened once per process. */
export function consoleStore(): ConsoleStore {
  shared.__workloadIdentityConsoleStore ??= openConsoleStore();
  return shared.__workloadIdentityConsoleStore;
}
