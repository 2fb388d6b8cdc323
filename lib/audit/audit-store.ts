import 'server-only';
import { consoleStore } from '@/lib/store/console-store';

// The audit trail: its entries, and the one interface its engines implement (lib/store: SQLite embedded,
// PostgreSQL with DATABASE_URL). Append-only in both.

export type AuditEntryType =
  'plan' | 'apply-intent' | 'apply-result' | 'progress' | 'refused' | 'sign-in' | 'sign-out' | 'cancel' | 'session-revoked';
/** 'unknown outcome' is stored when the job's replica stopped answering before it could record a result. */
export type StoredOutcome = 'succeeded' | 'failed' | 'refused' | 'pending' | 'unknown outcome';
/** What a reader sees: an intent without a result becomes 'unknown outcome' once it can no longer finish. */
export type AuditOutcome = StoredOutcome;

export interface AuditActor {
  subject: string;
  groups: string[];
  via: 'oidc' | 'proxy' | 'token' | 'none';
}

export interface AuditTarget {
  cluster?: string;
  namespace?: string;
  serviceAccount?: string;
  roleArn?: string;
  associationId?: string;
}

export interface ActionProgress {
  done: number;
  total: number;
  message?: string;
  /** A long job's own record of what happened (a migration's step events), replayed after a restart. */
  detail?: unknown;
}

export interface AuditEntry {
  id: number;
  time: string;
  actor: AuditActor;
  type: AuditEntryType;
  actionType?: string;
  target: AuditTarget;
  request?: unknown;
  outcome: AuditOutcome;
  result?: unknown;
  error?: unknown;
  progress?: ActionProgress;
  correlationId?: string;
}

export interface AuditFilters {
  actor?: string;
  type?: AuditEntryType;
  cluster?: string;
  /** RFC 3339; entries at or after this time. */
  since?: string;
  limit?: number;
  /** The id of the last entry of the previous page. */
  cursor?: number;
}

/**
 * Lets the caller hide entries whose target is outside the reader's scope. With `reader`, the store also narrows
 * the query itself through its indexes (the reader's own entries, and the cluster/namespace pairs it may see),
 * so a scoped read never scans other teams' entries.
 */
export type AuditVisibility = ((entry: AuditEntry) => boolean) & { reader?: AuditReader };

export interface AuditReader {
  subject: string;
  via: AuditActor['via'];
  /** Whether entries targeting this cluster (and namespace; undefined = a cluster-level target) are visible. */
  canSee(cluster: string, namespace: string | undefined): boolean;
}

export interface JobState {
  correlationId: string;
  actionType?: string;
  actor: AuditActor;
  target: AuditTarget;
  request?: unknown;
  status: 'running' | 'succeeded' | 'failed' | 'unknown outcome';
  progress?: ActionProgress;
  /** Every progress entry, oldest first. */
  history?: ActionProgress[];
  result?: unknown;
  error?: unknown;
  startedAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  actor: AuditActor;
  type: 'plan' | 'refused' | 'sign-in' | 'sign-out' | 'cancel' | 'session-revoked';
  actionType?: string;
  target?: AuditTarget;
  request?: unknown;
  outcome: StoredOutcome;
  result?: unknown;
  error?: unknown;
}

export type AuditResult = { outcome: 'succeeded' | 'failed' | 'unknown outcome'; result?: unknown; error?: unknown };

/** Every engine implements it; async so a network database (PostgreSQL) fits it. */
export interface AuditStore {
  /** Written BEFORE the apply reaches AWS or Kubernetes; returns the correlation id for recordResult/recordProgress. */
  recordIntent(intent: { actor: AuditActor; actionType: string; target: AuditTarget; request: unknown }): Promise<{
    id: number;
    correlationId: string;
  }>;
  /** Written after the apply; carries the intent's actor and target so each entry reads on its own. Once only. */
  recordResult(correlationId: string, outcome: AuditResult): Promise<number>;
  /** Progress of a long action (roll-pods); the latest one is the job's progress. */
  recordProgress(correlationId: string, progress: ActionProgress): Promise<number>;
  /** Plans, refusals, sign-ins: entries that stand alone. */
  recordEvent(event: AuditEvent): Promise<number>;
  /** Newest first. `visible` drops entries outside the reader's scope before the limit is applied. */
  listAudit(filters?: AuditFilters, visible?: AuditVisibility): Promise<{ items: AuditEntry[]; nextCursor?: number }>;
  /** The state of a (long) action, derived from its intent, progress and result entries. */
  jobState(correlationId: string): Promise<JobState | undefined>;
}

/** The console's audit store (SQLite under DATA_DIR, or PostgreSQL with DATABASE_URL), one per process. */
export function auditStore(): AuditStore {
  return consoleStore().audit;
}
