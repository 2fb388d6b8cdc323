import type {
  ActionProgress,
  AuditActor,
  AuditEntry,
  AuditEntryType,
  AuditOutcome,
  AuditTarget,
  JobState,
  StoredOutcome,
} from '@/lib/audit/audit-store';

// The audit_entries row as both engines store it, and the entry a reader sees: one mapping for SQLite and
// PostgreSQL, so both answer alike.

export interface AuditRow {
  id: number;
  time: string;
  actor_subject: string;
  actor_groups: string;
  actor_via: AuditActor['via'];
  type: AuditEntryType;
  action_type: string | null;
  cluster: string | null;
  namespace: string | null;
  service_account: string | null;
  role_arn: string | null;
  association_id: string | null;
  request: string | null;
  outcome: StoredOutcome;
  result: string | null;
  error: string | null;
  correlation_id: string | null;
  boot_id: string;
}

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
export const parsed = (text: string | null) => (text === null ? undefined : (JSON.parse(text) as unknown));

/** One audit_entries row as the stores write it. */
export interface AuditInsert {
  actor: AuditActor;
  type: AuditEntryType;
  actionType?: string;
  target?: AuditTarget;
  request?: unknown;
  outcome: StoredOutcome;
  result?: unknown;
  error?: unknown;
  correlationId?: string;
}

/** The columns an insert fills, in the order of `auditInsertValues`. */
export const AUDIT_INSERT_COLUMNS = [
  'time',
  'actor_subject',
  'actor_groups',
  'actor_via',
  'type',
  'action_type',
  'cluster',
  'namespace',
  'service_account',
  'role_arn',
  'association_id',
  'request',
  'outcome',
  'result',
  'error',
  'correlation_id',
  'boot_id',
] as const;

export function auditInsertValues(entry: AuditInsert, time: string, bootId: string): unknown[] {
  const target = entry.target ?? {};
  return [
    time,
    entry.actor.subject,
    JSON.stringify(entry.actor.groups),
    entry.actor.via,
    entry.type,
    entry.actionType ?? null,
    target.cluster ?? null,
    target.namespace ?? null,
    target.serviceAccount ?? null,
    target.roleArn ?? null,
    target.associationId ?? null,
    json(entry.request),
    entry.outcome,
    json(entry.result),
    json(entry.error),
    entry.correlationId ?? null,
    bootId,
  ];
}

/** A result or progress entry carries its intent's actor and target, so each entry reads on its own. */
export function followingIntent(intent: AuditRow, correlationId: string) {
  return { actor: rowActor(intent), actionType: intent.action_type ?? undefined, target: rowTarget(intent), correlationId };
}

export function rowActor(row: AuditRow): AuditActor {
  return { subject: row.actor_subject, groups: JSON.parse(row.actor_groups) as string[], via: row.actor_via };
}

export function rowTarget(row: AuditRow): AuditTarget {
  const target: AuditTarget = {};
  if (row.cluster !== null) target.cluster = row.cluster;
  if (row.namespace !== null) target.namespace = row.namespace;
  if (row.service_account !== null) target.serviceAccount = row.service_account;
  if (row.role_arn !== null) target.roleArn = row.role_arn;
  if (row.association_id !== null) target.associationId = row.association_id;
  return target;
}

/** An entry as read; `openOutcome` is what an intent or progress entry's action has come to. */
export function entryOf(row: AuditRow, openOutcome: () => AuditOutcome): AuditEntry {
  const entry: AuditEntry = {
    id: Number(row.id),
    time: row.time,
    actor: rowActor(row),
    type: row.type,
    actionType: row.action_type ?? undefined,
    target: rowTarget(row),
    request: parsed(row.request),
    outcome: row.type === 'apply-intent' || row.type === 'progress' ? openOutcome() : row.outcome,
    result: row.type === 'progress' ? undefined : parsed(row.result),
    error: parsed(row.error),
    correlationId: row.correlation_id ?? undefined,
  };
  if (row.type === 'progress') entry.progress = parsed(row.result) as ActionProgress;
  return entry;
}

/** The job state from an action's entries in id order (intent first), given its open outcome. */
export function jobStateOf(correlationId: string, rows: AuditRow[], outcome: AuditOutcome): JobState | undefined {
  const intent = rows.find((row) => row.type === 'apply-intent');
  if (!intent) return undefined;
  const last = rows[rows.length - 1];
  const result = rows.find((row) => row.type === 'apply-result');
  const progressRow = [...rows].reverse().find((row) => row.type === 'progress');
  return {
    correlationId,
    actionType: intent.action_type ?? undefined,
    actor: rowActor(intent),
    target: rowTarget(intent),
    request: parsed(intent.request),
    status: outcome === 'pending' ? 'running' : outcome === 'refused' ? 'failed' : outcome,
    progress: progressRow ? (parsed(progressRow.result) as ActionProgress) : undefined,
    history: rows.filter((row) => row.type === 'progress').map((row) => parsed(row.result) as ActionProgress),
    result: result ? parsed(result.result) : undefined,
    error: result ? parsed(result.error) : undefined,
    startedAt: intent.time,
    updatedAt: last.time,
  };
}
