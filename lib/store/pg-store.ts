import 'server-only';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type {
  ActionProgress,
  AuditActor,
  AuditEntry,
  AuditEvent,
  AuditFilters,
  AuditOutcome,
  AuditReader,
  AuditResult,
  AuditStore,
  AuditTarget,
  AuditVisibility,
  JobState,
  StoredOutcome,
} from '@/lib/audit/audit-store';
import type { NewSession, SessionRecord, SessionStore } from '@/lib/auth/session-store';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertValues,
  entryOf,
  followingIntent,
  jobStateOf,
  type AuditInsert,
  type AuditRow,
} from './audit-rows';
import {
  newSession,
  SESSION_INSERT_COLUMNS,
  sessionIdOf,
  sessionInsertValues,
  sessionPurgeBefore,
  sessionRecordOf,
  type SessionRow,
} from './session-rows';
import type { ConsoleStore, HeldLock } from './console-store';
import type { JobStore, StoredJob, StoredJobStatus } from './job-store';

// The PostgreSQL engine (DATABASE_URL): the same audit trail, sessions and jobs as the SQLite files, shared by
// every replica. The schema is versioned by node-pg-migrate (lib/store/pg-migrations), run at start.

type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

/** Where the migrations are: beside this module in the source tree, and copied there in the image. */
function migrationsDir(): string {
  return process.env.CONSOLE_PG_MIGRATIONS_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), 'lib', 'store', 'pg-migrations');
}

/** Positional parameters for a query built in pieces: `$(value)` adds one and returns its placeholder. */
function parameters() {
  const values: unknown[] = [];
  const $ = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, $ };
}

const leaseInterval = (ms: number) => `make_interval(secs => ${Math.max(0, Math.round(ms)) / 1000})`;

type OutcomeRow = AuditRow & {
  latest_type: string | null;
  latest_outcome: StoredOutcome | null;
  latest_time: string | null;
  job_status: StoredJobStatus | null;
  job_lease_expired: boolean | null;
};

/** What an open intent has come to, from its latest entry and its job's lease (any replica may run it). */
function openOutcome(row: OutcomeRow, now: number, graceMs: number): AuditOutcome {
  if (row.latest_type === 'apply-result' && row.latest_outcome) return row.latest_outcome;
  if (row.job_status) return row.job_status === 'running' && !row.job_lease_expired ? 'pending' : 'unknown outcome';
  const latest = row.latest_time ?? row.time;
  return now - Date.parse(latest) > graceMs ? 'unknown outcome' : 'pending';
}

const WITH_OUTCOME = (inner: string) => `
  SELECT e.*, l.type AS latest_type, l.outcome AS latest_outcome, l.time AS latest_time,
         j.status AS job_status, (j.lease_until < now()) AS job_lease_expired
  FROM (${inner}) e
  LEFT JOIN LATERAL (
    SELECT x.type, x.outcome, x.time FROM audit_entries x WHERE x.correlation_id = e.correlation_id ORDER BY x.id DESC LIMIT 1
  ) l ON e.type IN ('apply-intent', 'progress')
  LEFT JOIN jobs j ON j.id = e.correlation_id AND e.type IN ('apply-intent', 'progress')
  ORDER BY e.id DESC`;

export class PgAuditStore implements AuditStore {
  constructor(
    private readonly query: Query,
    readonly bootId: string,
    readonly graceMs: number,
    private readonly now: () => Date,
  ) {}

  private async insert(entry: AuditInsert): Promise<number> {
    const values = auditInsertValues(entry, this.now().toISOString(), this.bootId);
    const { rows } = await this.query<{ id: string }>(
      `WITH e AS (
         INSERT INTO audit_entries (${AUDIT_INSERT_COLUMNS.join(', ')})
         VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})
         RETURNING id, cluster, namespace),
       s AS (
         INSERT INTO audit_scopes (cluster, namespace) SELECT cluster, coalesce(namespace, '') FROM e WHERE cluster IS NOT NULL
         ON CONFLICT DO NOTHING)
       SELECT id FROM e`,
      values,
    );
    return Number(rows[0].id);
  }

  async recordIntent(intent: { actor: AuditActor; actionType: string; target: AuditTarget; request: unknown }) {
    const correlationId = randomUUID();
    const id = await this.insert({ ...intent, type: 'apply-intent', outcome: 'pending', correlationId });
    return { id, correlationId };
  }

  private async intentRow(correlationId: string): Promise<AuditRow> {
    const { rows } = await this.query<AuditRow>(`SELECT * FROM audit_entries WHERE correlation_id = $1 AND type = 'apply-intent'`, [
      correlationId,
    ]);
    if (!rows[0]) throw new Error(`no audit intent with correlation id ${correlationId}`);
    return rows[0];
  }

  async recordResult(correlationId: string, outcome: AuditResult): Promise<number> {
    const intent = await this.intentRow(correlationId);
    try {
      return await this.insert({
        ...followingIntent(intent, correlationId),
        type: 'apply-result',
        outcome: outcome.outcome,
        result: outcome.result,
        error: outcome.error,
      });
    } catch (error) {
      // audit_entries_one_result: another replica (or an earlier call) recorded it.
      if ((error as { code?: string }).code === '23505') throw new Error(`the action ${correlationId} already has a recorded result`);
      throw error;
    }
  }

  async recordProgress(correlationId: string, progress: ActionProgress): Promise<number> {
    const intent = await this.intentRow(correlationId);
    return this.insert({ ...followingIntent(intent, correlationId), type: 'progress', outcome: 'pending', result: progress });
  }

  async recordEvent(event: AuditEvent): Promise<number> {
    return this.insert(event);
  }

  private toEntry(row: OutcomeRow): AuditEntry {
    return entryOf(row, () => openOutcome(row, this.now().getTime(), this.graceMs));
  }

  private async pairs(filters: AuditFilters, reader: AuditReader) {
    const { rows } = await this.query<{ cluster: string; namespace: string }>(`SELECT cluster, namespace FROM audit_scopes`);
    return rows
      .filter((pair) => (!filters.cluster || pair.cluster === filters.cluster) && reader.canSee(pair.cluster, pair.namespace || undefined))
      .map((pair) => ({ cluster: pair.cluster, namespace: pair.namespace || null }));
  }

  async listAudit(filters: AuditFilters = {}, visible: AuditVisibility = () => true) {
    const limit = Math.min(Math.max(filters.limit ?? 100, 1), 500);
    const reader = visible.reader;
    const pairs = reader ? await this.pairs(filters, reader) : [];
    const items: AuditEntry[] = [];
    let cursor = filters.cursor ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const { values, $ } = parameters();
      const conditions = [`e.id < ${$(cursor)}`];
      if (filters.actor) conditions.push(`e.actor_subject = ${$(filters.actor)}`);
      if (filters.type) conditions.push(`e.type = ${$(filters.type)}`);
      if (filters.cluster) conditions.push(`e.cluster = ${$(filters.cluster)}`);
      if (filters.since) conditions.push(`e.time >= ${$(new Date(filters.since).toISOString())}`);
      const where = conditions.join(' AND ');
      const batch = $(200);
      // For a scoped reader, a UNION of index range reads: its own entries, then those of each visible pair.
      const inner = reader
        ? `(SELECT e.* FROM audit_entries e WHERE e.actor_subject = ${$(reader.subject)} AND e.actor_via = ${$(reader.via)} AND ${where}
              ORDER BY e.id DESC LIMIT ${batch})
           UNION
           (SELECT e.* FROM jsonb_to_recordset(${$(JSON.stringify(pairs))}::jsonb) AS p(cluster text, namespace text)
              JOIN audit_entries e ON e.cluster = p.cluster AND e.namespace IS NOT DISTINCT FROM p.namespace
              WHERE ${where} ORDER BY e.id DESC LIMIT ${batch})
           ORDER BY id DESC LIMIT ${batch}`
        : `SELECT * FROM audit_entries e WHERE ${where} ORDER BY e.id DESC LIMIT ${batch}`;
      const { rows } = await this.query<OutcomeRow>(WITH_OUTCOME(inner), values);
      for (const row of rows) {
        cursor = Number(row.id);
        const entry = this.toEntry(row);
        if (!visible(entry)) continue;
        items.push(entry);
        if (items.length === limit + 1) {
          items.pop();
          return { items, nextCursor: items[items.length - 1].id };
        }
      }
      if (rows.length < 200) return { items };
    }
  }

  async jobState(correlationId: string): Promise<JobState | undefined> {
    const { rows } = await this.query<OutcomeRow>(
      `${WITH_OUTCOME(`SELECT * FROM audit_entries WHERE correlation_id = $1`).replace('ORDER BY e.id DESC', 'ORDER BY e.id')}`,
      [correlationId],
    );
    const intent = rows.find((row) => row.type === 'apply-intent');
    return intent ? jobStateOf(correlationId, rows, openOutcome(intent, this.now().getTime(), this.graceMs)) : undefined;
  }
}

export class PgSessionStore implements SessionStore {
  constructor(
    private readonly query: Query,
    private readonly now: () => Date,
  ) {}

  async create(session: NewSession): Promise<{ token: string; record: SessionRecord }> {
    const created = newSession(session, this.now());
    const values = sessionInsertValues(created.record);
    await this.query(
      `INSERT INTO sessions (${SESSION_INSERT_COLUMNS.join(', ')}) VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})`,
      values,
    );
    await this.query(`DELETE FROM sessions WHERE expires_at < $1`, [sessionPurgeBefore(this.now())]);
    return created;
  }

  async find(token: string): Promise<SessionRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const { rows } = await this.query<SessionRow>(`SELECT * FROM sessions WHERE id = $1`, [sessionIdOf(token)]);
    const row = rows[0];
    if (!row || row.revoked_at || Date.parse(row.expires_at) <= this.now().getTime()) return undefined;
    return sessionRecordOf(row);
  }

  async updateGroups(id: string, groups: string[], refreshToken: string | undefined): Promise<void> {
    await this.query(`UPDATE sessions SET groups = $1, groups_read_at = $2, refresh_token = COALESCE($3, refresh_token) WHERE id = $4`, [
      JSON.stringify(groups),
      this.now().toISOString(),
      refreshToken ?? null,
      id,
    ]);
  }

  async revoke(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.query<SessionRow>(
      `WITH old AS (SELECT * FROM sessions WHERE id = $2 AND revoked_at IS NULL FOR UPDATE)
       UPDATE sessions s SET revoked_at = $1, refresh_token = NULL FROM old WHERE s.id = old.id RETURNING old.*`,
      [this.now().toISOString(), id],
    );
    return rows[0] ? sessionRecordOf(rows[0]) : undefined;
  }

  async revokeSubject(subject: string): Promise<number> {
    const now = this.now().toISOString();
    const result = await this.query(
      `UPDATE sessions SET revoked_at = $1, refresh_token = NULL WHERE subject = $2 AND revoked_at IS NULL AND expires_at > $1`,
      [now, subject],
    );
    return result.rowCount ?? 0;
  }

  async listLive(subject?: string): Promise<Omit<SessionRecord, 'idToken' | 'refreshToken'>[]> {
    const now = this.now().toISOString();
    const { rows } = subject
      ? await this.query<SessionRow>(
          `SELECT * FROM sessions WHERE subject = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC`,
          [subject, now],
        )
      : await this.query<SessionRow>(
          `SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > $1 ORDER BY created_at DESC LIMIT 500`,
          [now],
        );
    return rows.map((row) => {
      const { idToken: _idToken, refreshToken: _refreshToken, ...rest } = sessionRecordOf(row);
      void _idToken;
      void _refreshToken;
      return rest;
    });
  }
}

interface JobRow {
  id: string;
  kind: string;
  status: StoredJobStatus;
  owner: string;
  lease_until: Date;
  lease_expired: boolean;
  cancel_requested: boolean;
  record: unknown;
  created_at: Date;
  updated_at: Date;
}

function storedJob<R>(row: JobRow): StoredJob<R> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    owner: row.owner,
    leaseUntil: row.lease_until.toISOString(),
    leaseExpired: row.lease_expired,
    cancelRequested: row.cancel_requested,
    record: row.record as R,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** How long the holder of a lock waits for its connection to answer before it counts the lock as lost. */
const LOCK_CONFIRM_TIMEOUT_MS = 5_000;

const JOB_COLUMNS = `jobs.*, (jobs.status = 'running' AND jobs.lease_until < now()) AS lease_expired`;

/** Leases are on the database's clock, so replicas whose clocks differ still agree on when one ran out. */
export class PgJobStore implements JobStore {
  constructor(private readonly query: Query) {}

  async create<R>(job: { id: string; kind: string; owner: string; record: R; leaseMs: number }): Promise<void> {
    await this.query(
      `INSERT INTO jobs (id, kind, status, owner, lease_until, record) VALUES ($1, $2, 'running', $3, now() + ${leaseInterval(job.leaseMs)}, $4)`,
      [job.id, job.kind, job.owner, JSON.stringify(job.record)],
    );
  }

  async get<R = unknown>(id: string): Promise<StoredJob<R> | undefined> {
    const { rows } = await this.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
    return rows[0] ? storedJob<R>(rows[0]) : undefined;
  }

  async list<R = unknown>(filter: { kind?: string; status?: StoredJobStatus; limit?: number } = {}): Promise<StoredJob<R>[]> {
    const { rows } = await this.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id LIMIT $3`,
      [filter.kind ?? null, filter.status ?? null, Math.min(filter.limit ?? 100, 1000)],
    );
    return rows.map((row) => storedJob<R>(row));
  }

  async save<R>(id: string, owner: string, status: StoredJobStatus, record: R): Promise<boolean> {
    const result = await this.query(
      `UPDATE jobs SET status = $1, record = $2, updated_at = now() WHERE id = $3 AND owner = $4 AND status = 'running'`,
      [status, JSON.stringify(record), id, owner],
    );
    return result.rowCount === 1;
  }

  async heartbeat(owner: string, leaseMs: number): Promise<{ renewed: string[]; cancelRequested: string[] }> {
    const { rows } = await this.query<{ id: string; cancel_requested: boolean }>(
      `UPDATE jobs SET lease_until = now() + ${leaseInterval(leaseMs)} WHERE owner = $1 AND status = 'running' RETURNING id, cancel_requested`,
      [owner],
    );
    return { renewed: rows.map((row) => row.id), cancelRequested: rows.filter((row) => row.cancel_requested).map((row) => row.id) };
  }

  async requestCancel(id: string): Promise<boolean> {
    const result = await this.query(`UPDATE jobs SET cancel_requested = true WHERE id = $1 AND status = 'running'`, [id]);
    return result.rowCount === 1;
  }

  async claimExpired<R = unknown>(claimant: string, leaseMs: number, limit = 10): Promise<StoredJob<R>[]> {
    // FOR UPDATE SKIP LOCKED: replicas claiming at the same moment each get different jobs, never the same one.
    const { rows } = await this.query<JobRow>(
      `UPDATE jobs SET owner = $1, lease_until = now() + ${leaseInterval(leaseMs)}
       FROM (SELECT id FROM jobs WHERE status = 'running' AND lease_until < now() ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED) claimed
       WHERE jobs.id = claimed.id
       RETURNING jobs.*, false AS lease_expired`,
      [claimant, limit],
    );
    return rows.map((row) => storedJob<R>(row));
  }
}

export class PgConsoleStore implements ConsoleStore {
  readonly engine = 'postgres' as const;
  readonly audit: PgAuditStore;
  readonly sessions: PgSessionStore;
  readonly jobs: PgJobStore;
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;
  private closed = false;
  /** Connections holding advisory locks: closing the store drops them, which frees their locks. */
  private readonly lockClients = new Set<pg.PoolClient>();

  constructor(
    url: string,
    readonly replicaId: string = randomUUID(),
    options: { now?: () => Date; graceMs?: number; poolSize?: number } = {},
  ) {
    const now = options.now ?? (() => new Date());
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle connection the server closed (a restart, a failover) must not end the process.
    this.pool.on('error', (error) => {
      if (!this.closed) console.error(`store: a PostgreSQL connection failed: ${error.message}`);
    });
    this.ready = this.migrate();
    // Callers see the failure on their first query; this keeps it from being an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    const query: Query = async (text, values) => {
      await this.ready;
      return this.pool.query(text, values);
    };
    this.audit = new PgAuditStore(query, replicaId, options.graceMs ?? 15 * 60 * 1000, now);
    this.sessions = new PgSessionStore(query, now);
    this.jobs = new PgJobStore(query);
  }

  /** The versioned schema, by node-pg-migrate; its advisory lock makes replicas starting together wait for one another. */
  private async migrate(): Promise<void> {
    const { runner } = await import('node-pg-migrate');
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await runner({
        dbClient: client,
        dir: migrationsDir(),
        direction: 'up',
        migrationsTable: 'pgmigrations',
        count: Infinity,
        checkOrder: true,
        singleTransaction: true,
        advisoryLockMode: 'wait',
        logger: {
          info: () => undefined,
          debug: () => undefined,
          warn: (message) => console.warn(message),
          error: (message) => console.error(message),
        },
      });
    } catch (error) {
      throw new Error(`DATABASE_URL: the store's migrations failed: ${(error as Error).message}`, { cause: error });
    } finally {
      client?.release();
    }
  }

  async tryLock(name: string): Promise<HeldLock | undefined> {
    await this.ready;
    const client = await this.pool.connect();
    let held = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [
        `workload-identity-console:${name}`,
      ]);
      held = rows[0].locked;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!held) {
      client.release();
      return undefined;
    }
    // A session-level lock: it lasts as long as this connection, which stays checked out until release. When
    // this replica's host vanishes without closing it (a lost node), the server would notice only after the
    // kernel's keepalive (2 h by default): these settings have it probe an idle connection after 10 s and give
    // up after 3 unanswered probes 5 s apart, which frees the lock for another replica within about 25 s.
    try {
      await client.query(`SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`);
    } catch {
      // A server that refuses them (or a Unix socket, where they mean nothing) keeps its defaults.
    }
    this.lockClients.add(client);
    let broken = false;
    client.on('error', () => {
      held = false;
      broken = true;
    });
    return {
      held: () => held && this.lockClients.has(client),
      confirm: async () => {
        if (!held || !this.lockClients.has(client)) return false;
        try {
          await client.query({ text: 'SELECT 1', query_timeout: LOCK_CONFIRM_TIMEOUT_MS } as pg.QueryConfig);
          return true;
        } catch {
          held = false;
          broken = true;
          return false;
        }
      },
      release: async () => {
        if (!this.lockClients.delete(client)) return;
        if (!held && broken) return client.release(true);
        held = false;
        try {
          await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`workload-identity-console:${name}`]);
          client.release();
        } catch {
          client.release(true);
        }
      },
    };
  }

  async check(): Promise<void> {
    await this.ready;
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    for (const client of this.lockClients) client.release(true);
    this.lockClients.clear();
    await this.pool.end();
  }
}
