import 'server-only';
import { ACTION_COMMANDS } from '@/lib/actions/commands';
import type { ActionKind } from '@/lib/actions/schemas';
import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import { auditStore, type AuditActor, type AuditEntry, type AuditFilters, type AuditTarget, type JobState } from '@/lib/audit/audit-store';
import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import { MIGRATION_ACTION_TYPE } from '@/lib/migration/states';

// The Activity page's timeline (issue 14, problem 7): the audit trail read through the store's async interface
// within the caller's scope, one entry per action (its intent, progress and result folded together), every
// entry in words.

export type ActivityKind = 'action' | 'plan' | 'refused' | 'sign-in' | 'sign-out' | 'cancel' | 'session-revoked';

/** What came of an entry: an action still running reads 'running', never 'succeeded'. */
export type ActivityOutcome = 'succeeded' | 'failed' | 'refused' | 'running' | 'unknown outcome';

export interface ActivityItem {
  /** The newest audit entry id it stands for (a stable key). */
  id: number;
  kind: ActivityKind;
  /** When it started: the intent's time for an action. */
  time: string;
  actor: AuditActor;
  /** The action's name in words ("Roll pods…"), when there is one. */
  action?: string;
  target: AuditTarget;
  outcome: ActivityOutcome;
  /** One sentence: the plan's summary, or what a refusal or failure said. */
  summary?: string;
  /** Why it failed or was refused, in words (never raw JSON). */
  reason?: string;
  /** An action's folded steps: its progress reports, oldest first. */
  steps: string[];
  finishedAt?: string;
  /** fix-trust-policy: the diff the plan showed and the apply wrote. */
  trustPolicyDiff?: string;
  /** Where the job's own record is (GET /api/v1/actions/{id} or /api/v1/migrations/{id}). */
  jobHref?: string;
}

export interface ActivityPage {
  items: ActivityItem[];
  nextCursor?: number;
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/** An action type in words: the action's own title, a migration step by its step name. */
export function actionName(actionType: string | undefined): string | undefined {
  if (!actionType) return undefined;
  if (Object.hasOwn(ACTION_COMMANDS, actionType)) return ACTION_COMMANDS[actionType as ActionKind].title;
  if (actionType === MIGRATION_ACTION_TYPE) return 'Migrate to Pod Identity';
  if (actionType.startsWith(`${MIGRATION_ACTION_TYPE} `)) return `Migration step: ${actionType.slice(MIGRATION_ACTION_TYPE.length + 1)}`;
  return actionType;
}

/** An error or refusal as stored (a PlainError, a preflight refusal, a migration step's message) in words. */
export function reasonOf(error: unknown): string | undefined {
  const fields = record(error);
  const checks = Array.isArray(fields.checks) ? fields.checks.map((check) => text(record(check).message)).filter(Boolean) : [];
  if (checks.length > 0) return checks.join(' ');
  return text(fields.message) ?? (error === undefined || error === null ? undefined : 'No reason was recorded.');
}

function progressLine(progress: { done: number; total: number; message?: string }): string {
  return `${progress.done} of ${progress.total}${progress.message ? `: ${progress.message}` : ''}`;
}

function jobHrefOf(correlationId: string, actionType: string | undefined, request: unknown): string {
  if (actionType === MIGRATION_ACTION_TYPE) return `/api/v1/migrations/${encodeURIComponent(correlationId)}`;
  const migrationId = text(record(request).migrationId);
  if (migrationId) return `/api/v1/migrations/${encodeURIComponent(migrationId)}`;
  return `/api/v1/actions/${encodeURIComponent(correlationId)}`;
}

function actionItem(id: number, correlationId: string, job: JobState): ActivityItem {
  const request = record(job.request);
  return {
    id,
    kind: 'action',
    time: job.startedAt,
    actor: job.actor,
    action: actionName(job.actionType),
    target: job.target,
    outcome: job.status === 'running' ? 'running' : job.status,
    summary: text(request.summary),
    reason: job.status === 'succeeded' ? undefined : reasonOf(job.error),
    steps: (job.history ?? []).map(progressLine),
    ...(job.status !== 'running' ? { finishedAt: job.updatedAt } : {}),
    trustPolicyDiff: text(request.trustPolicyDiff),
    jobHref: jobHrefOf(correlationId, job.actionType, job.request),
  };
}

/** A standalone entry (plan, refusal, sign-in, …) in words. */
function eventItem(entry: AuditEntry): ActivityItem {
  const request = record(entry.request);
  const base = {
    id: entry.id,
    time: entry.time,
    actor: entry.actor,
    target: entry.target,
    steps: [],
    action: actionName(entry.actionType),
  };
  switch (entry.type) {
    case 'plan':
      return {
        ...base,
        kind: 'plan',
        outcome: entry.outcome === 'failed' ? 'failed' : 'succeeded',
        summary: text(request.summary),
        reason: entry.outcome === 'failed' ? reasonOf(entry.error) : undefined,
      };
    case 'refused':
      return { ...base, kind: 'refused', outcome: 'refused', reason: reasonOf(entry.error) };
    case 'session-revoked': {
      const result = record(entry.result);
      const subject = text(result.subject) ?? text(request.subject) ?? 'someone';
      const revoked = typeof result.revoked === 'number' ? result.revoked : undefined;
      return {
        ...base,
        kind: 'session-revoked',
        outcome: 'succeeded',
        summary: `Ended ${revoked === undefined ? 'the' : `${revoked}`} session${revoked === 1 ? '' : 's'} of ${subject}${text(request.reason) ? `: ${text(request.reason)}` : ''}`,
      };
    }
    case 'sign-in':
    case 'sign-out':
    case 'cancel':
      return {
        ...base,
        kind: entry.type,
        outcome: entry.outcome === 'failed' ? 'failed' : 'succeeded',
        reason: reasonOf(entry.error),
        ...(entry.type === 'cancel' && text(request.id) ? { jobHref: `/api/v1/actions/${encodeURIComponent(text(request.id)!)}` } : {}),
      };
    default:
      // An intent, progress or result without its correlation id cannot be folded: shown as it stands.
      return { ...base, kind: 'action', outcome: entry.outcome === 'pending' ? 'running' : entry.outcome, reason: reasonOf(entry.error) };
  }
}

/**
 * One page of the timeline, newest first. The entries of one action (intent, progress, result) become one item,
 * read whole from the store's job state, so an action split across two pages still tells its whole story.
 */
export async function getActivity(filters: AuditFilters, principal: Principal, scope: Scope): Promise<ActivityPage> {
  const store = auditStore();
  const page = await store.listAudit({ ...filters, limit: filters.limit ?? 50 }, auditVisibilityFor(principal, scope));
  const seen = new Set<string>();
  const items: ActivityItem[] = [];
  for (const entry of page.items) {
    const correlationId = entry.correlationId;
    if (!correlationId) {
      items.push(eventItem(entry));
      continue;
    }
    if (seen.has(correlationId)) continue;
    seen.add(correlationId);
    const job = await store.jobState(correlationId);
    items.push(job ? actionItem(entry.id, correlationId, job) : eventItem(entry));
  }
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
