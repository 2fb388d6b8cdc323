import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
} from '@/lib/audit/audit-store';
import {
  AUDIT_INSERT_COLUMNS,
  auditInsertValues,
  entryOf,
  followingIntent,
  jobStateOf,
  type AuditInsert,
  type AuditRow as Row,
} from './audit-rows';

// The embedded engine of the audit trail: one SQLite file under DATA_DIR, for one replica.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  actor_subject TEXT NOT NULL,
  actor_groups TEXT NOT NULL,
  actor_via TEXT NOT NULL,
  type TEXT NOT NULL,
  action_type TEXT,
  cluster TEXT,
  namespace TEXT,
  service_account TEXT,
  role_arn TEXT,
  association_id TEXT,
  request TEXT,
  outcome TEXT NOT NULL,
  result TEXT,
  error TEXT,
  correlation_id TEXT,
  boot_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_entries_correlation ON audit_entries (correlation_id, id);
CREATE INDEX IF NOT EXISTS audit_entries_actor ON audit_entries (actor_subject, id);
CREATE INDEX IF NOT EXISTS audit_entries_cluster ON audit_entries (cluster, id);
CREATE INDEX IF NOT EXISTS audit_entries_scope ON audit_entries (cluster, namespace, id);
CREATE INDEX IF NOT EXISTS audit_entries_actor_via ON audit_entries (actor_subject, actor_via, id);
-- Every (cluster, namespace) an entry targets ('' = cluster-level): a scoped read picks its visible pairs here
-- and reads only their entries through audit_entries_scope.
CREATE TABLE IF NOT EXISTS audit_scopes (cluster TEXT NOT NULL, namespace TEXT NOT NULL, PRIMARY KEY (cluster, namespace)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END;
`;

export class SqliteAuditStore implements AuditStore {
  private readonly db: Database.Database;
  /** Identifies this process: an intent from an earlier boot can never receive its result. */
  readonly bootId: string;
  /** An intent with no result or progress for this long is reported as 'unknown outcome'. */
  readonly graceMs: number;
  private readonly now: () => Date;

  constructor(file: string, options: { bootId?: string; graceMs?: number; now?: () => Date } = {}) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: an intent is on disk before the caller goes on to touch AWS or Kubernetes.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.db.exec(
      `INSERT OR IGNORE INTO audit_scopes SELECT DISTINCT cluster, coalesce(namespace, '') FROM audit_entries WHERE cluster IS NOT NULL`,
    );
    this.bootId = options.bootId ?? randomUUID();
    this.graceMs = options.graceMs ?? 15 * 60 * 1000;
    this.now = options.now ?? (() => new Date());
  }

  close(): void {
    this.db.close();
  }

  private insert(entry: AuditInsert): number {
    const values = auditInsertValues(entry, this.now().toISOString(), this.bootId);
    const info = this.db
      .prepare(`INSERT INTO audit_entries (${AUDIT_INSERT_COLUMNS.join(', ')}) VALUES (${values.map(() => '?').join(', ')})`)
      .run(...values);
    if (entry.target?.cluster)
      this.db
        .prepare(`INSERT OR IGNORE INTO audit_scopes (cluster, namespace) VALUES (?, ?)`)
        .run(entry.target.cluster, entry.target.namespace ?? '');
    return Number(info.lastInsertRowid);
  }

  /** Written BEFORE the apply reaches AWS or Kubernetes; returns the correlation id for recordResult/recordProgress. */
  async recordIntent(intent: { actor: AuditActor; actionType: string; target: AuditTarget; request: unknown }): Promise<{
    id: number;
    correlationId: string;
  }> {
    const correlationId = randomUUID();
    const id = this.insert({ ...intent, type: 'apply-intent', outcome: 'pending', correlationId });
    return { id, correlationId };
  }

  private intentRow(correlationId: string): Row {
    const row = this.db.prepare(`SELECT * FROM audit_entries WHERE correlation_id = ? AND type = 'apply-intent'`).get(correlationId) as
      Row | undefined;
    if (!row) throw new Error(`no audit intent with correlation id ${correlationId}`);
    return row;
  }

  /** Written after the apply; carries the intent's actor and target so each entry reads on its own. */
  async recordResult(correlationId: string, outcome: AuditResult): Promise<number> {
    const intent = this.intentRow(correlationId);
    const finished = this.db.prepare(`SELECT 1 FROM audit_entries WHERE correlation_id = ? AND type = 'apply-result'`).get(correlationId);
    if (finished) throw new Error(`the action ${correlationId} already has a recorded result`);
    return this.insert({
      ...followingIntent(intent, correlationId),
      type: 'apply-result',
      outcome: outcome.outcome,
      result: outcome.result,
      error: outcome.error,
    });
  }

  /** Progress of a long action (roll-pods); the latest one is the job's progress. */
  async recordProgress(correlationId: string, progress: ActionProgress): Promise<number> {
    const intent = this.intentRow(correlationId);
    return this.insert({ ...followingIntent(intent, correlationId), type: 'progress', outcome: 'pending', result: progress });
  }

  /** Plans, refusals, sign-ins: entries that stand alone. */
  async recordEvent(event: AuditEvent): Promise<number> {
    return this.insert(event);
  }

  private openIntentOutcome(intent: Row): AuditOutcome {
    const latest = this.db
      .prepare(`SELECT * FROM audit_entries WHERE correlation_id = ? ORDER BY id DESC LIMIT 1`)
      .get(intent.correlation_id) as Row;
    if (latest.type === 'apply-result') return latest.outcome;
    const stale = this.now().getTime() - Date.parse(latest.time) > this.graceMs;
    return latest.boot_id !== this.bootId || stale ? 'unknown outcome' : 'pending';
  }

  private toEntry(row: Row): AuditEntry {
    return entryOf(row, () => this.openIntentOutcome(row));
  }

  /** The query of a list read: filters, and for a scoped reader only its own entries and its visible pairs. */
  private listQuery(filters: AuditFilters, reader: AuditReader | undefined): { sql: string; params: Record<string, unknown> } {
    const conditions: string[] = ['id < @cursor'];
    const params: Record<string, unknown> = {
      actor: filters.actor,
      type: filters.type,
      cluster: filters.cluster,
      since: filters.since ? new Date(filters.since).toISOString() : undefined,
    };
    if (filters.actor) conditions.push('actor_subject = @actor');
    if (filters.type) conditions.push('type = @type');
    if (filters.cluster) conditions.push('cluster = @cluster');
    if (filters.since) conditions.push('time >= @since');
    if (!reader) return { sql: `SELECT * FROM audit_entries WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT @batch`, params };
    // A UNION of index range reads: the reader's own entries, then one per visible (cluster, namespace) pair.
    const pairs = (this.db.prepare(`SELECT cluster, namespace FROM audit_scopes`).all() as { cluster: string; namespace: string }[]).filter(
      (pair) => (!filters.cluster || pair.cluster === filters.cluster) && reader.canSee(pair.cluster, pair.namespace || undefined),
    );
    params.readerSubject = reader.subject;
    params.readerVia = reader.via;
    params.pairs = JSON.stringify(pairs.map((pair) => [pair.cluster, pair.namespace || null]));
    // Qualify the columns, not the @parameters of the same name.
    const where = conditions.map((condition) => condition.replace(/(?<!@)\b(id|actor_subject|type|cluster|time)\b/g, 'e.$1')).join(' AND ');
    const sql = [
      `SELECT e.* FROM audit_entries e WHERE e.actor_subject = @readerSubject AND e.actor_via = @readerVia AND ${where}`,
      'UNION',
      `SELECT e.* FROM json_each(@pairs) p JOIN audit_entries e ON e.cluster = p.value ->> 0 AND e.namespace IS p.value ->> 1 WHERE ${where}`,
      'ORDER BY id DESC LIMIT @batch',
    ].join(' ');
    return { sql, params };
  }

  /** How SQLite runs a list read (EXPLAIN QUERY PLAN details), so a test can hold it to its indexes. */
  listQueryPlan(filters: AuditFilters, reader?: AuditReader): string[] {
    const { sql, params } = this.listQuery(filters, reader);
    return (
      this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...params, cursor: Number.MAX_SAFE_INTEGER, batch: 200 }) as { detail: string }[]
    ).map((row) => row.detail);
  }

  /** Newest first. `visible` drops entries outside the reader's scope before the limit is applied. */
  async listAudit(
    filters: AuditFilters = {},
    visible: AuditVisibility = () => true,
  ): Promise<{ items: AuditEntry[]; nextCursor?: number }> {
    const limit = Math.min(Math.max(filters.limit ?? 100, 1), 500);
    const { sql, params } = this.listQuery(filters, visible.reader);
    const statement = this.db.prepare(sql);
    const items: AuditEntry[] = [];
    let cursor = filters.cursor ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = statement.all({ ...params, cursor, batch: 200 }) as Row[];
      for (const row of rows) {
        cursor = row.id;
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

  /** The state of a (long) action, derived from its intent, progress and result entries. */
  async jobState(correlationId: string): Promise<JobState | undefined> {
    const rows = this.db.prepare(`SELECT * FROM audit_entries WHERE correlation_id = ? ORDER BY id`).all(correlationId) as Row[];
    const intent = rows.find((row) => row.type === 'apply-intent');
    return intent ? jobStateOf(correlationId, rows, this.openIntentOutcome(intent)) : undefined;
  }
}
