import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { consoleStore } from '@/lib/store/console-store';
import {
  newSession,
  SESSION_INSERT_COLUMNS,
  sessionIdOf,
  sessionInsertValues,
  sessionPurgeBefore,
  sessionRecordOf,
  type SessionRow,
} from '@/lib/store/session-rows';

// Sessions live server-side in the console's store (design.md "Stores": one interface, engines SQLite and
// PostgreSQL, lib/store), so sign-out and an admin's revocation end them at once, and the groups they carry are
// re-read from the IdP on a schedule. The cookie holds only a random token; the store keeps its SHA-256, so a
// copy of the database opens no session.

export interface SessionRecord {
  /** SHA-256 of the cookie token, hex: how the store and the admin API name a session. */
  id: string;
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  /** For the IdP's end_session id_token_hint. */
  idToken?: string;
  /** When the IdP gave one (scope offline_access): groups are re-read with it instead of a new sign-in. */
  refreshToken?: string;
  createdAt: string;
  expiresAt: string;
  /** When the groups were last read from the IdP. */
  groupsReadAt: string;
  revokedAt?: string;
}

export type NewSession = Omit<SessionRecord, 'id' | 'createdAt' | 'groupsReadAt' | 'revokedAt'>;

/** The interface every engine implements; async so a network database (PostgreSQL, issue 16) fits it. */
export interface SessionStore {
  /** Stores the session and returns the token for the cookie (never stored itself). */
  create(session: NewSession): Promise<{ token: string; record: SessionRecord }>;
  /** The live session of a cookie token: undefined when unknown, revoked or expired. */
  find(token: string): Promise<SessionRecord | undefined>;
  /** After re-reading the IdP: new groups (and a rotated refresh token). */
  updateGroups(id: string, groups: string[], refreshToken: string | undefined): Promise<void>;
  revoke(id: string): Promise<SessionRecord | undefined>;
  /** Every live session of a subject; returns how many were ended. */
  revokeSubject(subject: string): Promise<number>;
  /** Live sessions, newest first (for the admin page); tokens are never part of them. */
  listLive(subject?: string): Promise<Omit<SessionRecord, 'idToken' | 'refreshToken'>[]>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  email TEXT,
  name TEXT,
  groups TEXT NOT NULL,
  id_token TEXT,
  refresh_token TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  groups_read_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS sessions_subject ON sessions (subject, revoked_at);
`;

export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  async create(session: NewSession): Promise<{ token: string; record: SessionRecord }> {
    const created = newSession(session, this.now());
    const values = sessionInsertValues(created.record);
    this.db
      .prepare(`INSERT INTO sessions (${SESSION_INSERT_COLUMNS.join(', ')}) VALUES (${values.map(() => '?').join(', ')})`)
      .run(...values);
    this.db.prepare(`DELETE FROM sessions WHERE expires_at < ?`).run(sessionPurgeBefore(this.now()));
    return created;
  }

  async find(token: string): Promise<SessionRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const row = this.db.prepare(`SELECT * FROM sessions WHERE id = ?`).get(sessionIdOf(token)) as SessionRow | undefined;
    if (!row || row.revoked_at || Date.parse(row.expires_at) <= this.now().getTime()) return undefined;
    return sessionRecordOf(row);
  }

  async updateGroups(id: string, groups: string[], refreshToken: string | undefined): Promise<void> {
    this.db
      .prepare(`UPDATE sessions SET groups = ?, groups_read_at = ?, refresh_token = COALESCE(?, refresh_token) WHERE id = ?`)
      .run(JSON.stringify(groups), this.now().toISOString(), refreshToken ?? null, id);
  }

  async revoke(id: string): Promise<SessionRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM sessions WHERE id = ? AND revoked_at IS NULL`).get(id) as SessionRow | undefined;
    if (!row) return undefined;
    this.db.prepare(`UPDATE sessions SET revoked_at = ?, refresh_token = NULL WHERE id = ?`).run(this.now().toISOString(), id);
    return sessionRecordOf(row);
  }

  async revokeSubject(subject: string): Promise<number> {
    return this.db
      .prepare(`UPDATE sessions SET revoked_at = ?, refresh_token = NULL WHERE subject = ? AND revoked_at IS NULL AND expires_at > ?`)
      .run(this.now().toISOString(), subject, this.now().toISOString()).changes;
  }

  async listLive(subject?: string): Promise<Omit<SessionRecord, 'idToken' | 'refreshToken'>[]> {
    const now = this.now().toISOString();
    const rows = (
      subject
        ? this.db
            .prepare(`SELECT * FROM sessions WHERE subject = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC`)
            .all(subject, now)
        : this.db.prepare(`SELECT * FROM sessions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 500`).all(now)
    ) as SessionRow[];
    return rows.map((row) => {
      const { idToken: _idToken, refreshToken: _refreshToken, ...rest } = sessionRecordOf(row);
      void _idToken;
      void _refreshToken;
      return rest;
    });
  }
}

/** The console's session store: the console store's (SQLite under DATA_DIR, or PostgreSQL with DATABASE_URL). */
export function sessionStore(): SessionStore {
  return consoleStore().sessions;
}
