import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { JobStore, StoredJob, StoredJobStatus } from './job-store';

// Jobs in the embedded store (the audit database file). SQLite serves one replica: a job still running when the
// file is opened belongs to an earlier process, which can no longer finish it, so its lease ends at once.

interface JobRow {
  id: string;
  kind: string;
  status: StoredJobStatus;
  owner: string;
  lease_until: string;
  cancel_requested: number;
  record: string;
  created_at: string;
  updated_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  record TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_running ON jobs (status, lease_until);
CREATE INDEX IF NOT EXISTS jobs_kind ON jobs (kind, created_at);
`;

export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    this.db.prepare(`UPDATE jobs SET lease_until = ? WHERE status = 'running'`).run(new Date(0).toISOString());
  }

  close(): void {
    this.db.close();
  }

  private toJob<R>(row: JobRow): StoredJob<R> {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      owner: row.owner,
      leaseUntil: row.lease_until,
      leaseExpired: row.status === 'running' && Date.parse(row.lease_until) < this.now().getTime(),
      cancelRequested: row.cancel_requested === 1,
      record: JSON.parse(row.record) as R,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private leaseUntil(leaseMs: number): string {
    return new Date(this.now().getTime() + leaseMs).toISOString();
  }

  async create<R>(job: { id: string; kind: string; owner: string; record: R; leaseMs: number }): Promise<void> {
    const now = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, status, owner, lease_until, record, created_at, updated_at) VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
      )
      .run(job.id, job.kind, job.owner, this.leaseUntil(job.leaseMs), JSON.stringify(job.record), now, now);
  }

  async get<R = unknown>(id: string): Promise<StoredJob<R> | undefined> {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return row ? this.toJob<R>(row) : undefined;
  }

  async list<R = unknown>(filter: { kind?: string; status?: StoredJobStatus; limit?: number } = {}): Promise<StoredJob<R>[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM jobs WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status)
         ORDER BY created_at DESC, id LIMIT @limit`,
      )
      .all({ kind: filter.kind ?? null, status: filter.status ?? null, limit: Math.min(filter.limit ?? 100, 1000) }) as JobRow[];
    return rows.map((row) => this.toJob<R>(row));
  }

  async save<R>(id: string, owner: string, status: StoredJobStatus, record: R): Promise<boolean> {
    return (
      this.db
        .prepare(`UPDATE jobs SET status = ?, record = ?, updated_at = ? WHERE id = ? AND owner = ? AND status = 'running'`)
        .run(status, JSON.stringify(record), this.now().toISOString(), id, owner).changes === 1
    );
  }

  async heartbeat(owner: string, leaseMs: number): Promise<{ renewed: string[]; cancelRequested: string[] }> {
    const rows = this.db
      .prepare(`UPDATE jobs SET lease_until = ? WHERE owner = ? AND status = 'running' RETURNING id, cancel_requested`)
      .all(this.leaseUntil(leaseMs), owner) as { id: string; cancel_requested: number }[];
    return { renewed: rows.map((row) => row.id), cancelRequested: rows.filter((row) => row.cancel_requested === 1).map((row) => row.id) };
  }

  async requestCancel(id: string): Promise<boolean> {
    return this.db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'`).run(id).changes === 1;
  }

  async claimExpired<R = unknown>(claimant: string, leaseMs: number, limit = 10): Promise<StoredJob<R>[]> {
    // IMMEDIATE takes the write lock first: two processes on one file claim one after the other.
    const claim = this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT * FROM jobs WHERE status = 'running' AND lease_until < ? ORDER BY lease_until LIMIT ?`)
        .all(this.now().toISOString(), limit) as JobRow[];
      const update = this.db.prepare(`UPDATE jobs SET owner = ?, lease_until = ? WHERE id = ?`);
      const lease = this.leaseUntil(leaseMs);
      for (const row of rows) update.run(claimant, lease, row.id);
      return rows.map((row) => ({ ...row, owner: claimant, lease_until: lease }));
    });
    return claim.immediate().map((row) => this.toJob<R>(row));
  }
}
