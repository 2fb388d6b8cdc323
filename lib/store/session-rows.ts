import { createHash, randomBytes } from 'node:crypto';
import type { NewSession, SessionRecord } from '@/lib/auth/session-store';

// The sessions row as both engines store it, and the record a reader sees: one mapping for SQLite and
// PostgreSQL, as audit-rows.ts is for the audit trail.

/** SHA-256 of the cookie token, hex: the store keeps only this, so a copy of the database opens no session. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionRow {
  id: string;
  subject: string;
  email: string | null;
  name: string | null;
  groups: string;
  id_token: string | null;
  refresh_token: string | null;
  created_at: string;
  expires_at: string;
  groups_read_at: string;
  revoked_at: string | null;
}

export function sessionRecordOf(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    subject: row.subject,
    ...(row.email ? { email: row.email } : {}),
    ...(row.name ? { name: row.name } : {}),
    groups: JSON.parse(row.groups) as string[],
    ...(row.id_token ? { idToken: row.id_token } : {}),
    ...(row.refresh_token ? { refreshToken: row.refresh_token } : {}),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    groupsReadAt: row.groups_read_at,
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  };
}

/** A new session: the cookie's random token (never stored) and the record the store keeps under its SHA-256. */
export function newSession(session: NewSession, now: Date): { token: string; record: SessionRecord } {
  const token = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  return { token, record: { ...session, id: sessionIdOf(token), createdAt: at, groupsReadAt: at } };
}

/** The columns a new session fills, in the order of `sessionInsertValues`. */
export const SESSION_INSERT_COLUMNS = [
  'id',
  'subject',
  'email',
  'name',
  'groups',
  'id_token',
  'refresh_token',
  'created_at',
  'expires_at',
  'groups_read_at',
] as const;

export function sessionInsertValues(record: SessionRecord): unknown[] {
  return [
    record.id,
    record.subject,
    record.email ?? null,
    record.name ?? null,
    JSON.stringify(record.groups),
    record.idToken ?? null,
    record.refreshToken ?? null,
    record.createdAt,
    record.expiresAt,
    record.groupsReadAt,
  ];
}

/** Expired and revoked sessions are kept a day for the admin's view, then dropped: rows expiring before this go. */
export function sessionPurgeBefore(now: Date): string {
  return new Date(now.getTime() - 24 * 3600_000).toISOString();
}
