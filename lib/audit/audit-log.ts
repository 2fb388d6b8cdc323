import 'server-only';
import type { Principal } from '@/lib/auth/principal';
import {
  auditStore,
  type ActionProgress,
  type AuditActor,
  type AuditFilters,
  type AuditResult,
  type AuditTarget,
  type AuditVisibility,
} from './audit-store';

/** The actor recorded for a principal: who, with which groups, authenticated how. */
export function auditActor(principal: Principal): AuditActor {
  return { subject: principal.subject, groups: principal.groups, via: principal.via };
}

/** Before the apply reaches AWS or Kubernetes. Returns the correlation id (also the action/job id). */
export async function recordIntent(principal: Principal, actionType: string, target: AuditTarget, request: unknown): Promise<string> {
  return (await auditStore().recordIntent({ actor: auditActor(principal), actionType, target, request })).correlationId;
}

type AuditFailureListener = (correlationId: string, error: unknown) => void;
const failureListeners = ((
  globalThis as typeof globalThis & { __wicAuditFailureListeners?: AuditFailureListener[] }
).__wicAuditFailureListeners ??= []);

/**
 * Called when the result or progress of an action cannot be written (disk full, database locked): lib/actions
 * marks the job `unknown outcome`, since the trail no longer proves what happened.
 */
export function onAuditWriteFailure(listener: AuditFailureListener): void {
  if (!failureListeners.includes(listener)) failureListeners.push(listener);
}

function auditWriteFailed(correlationId: string, what: string, error: unknown): void {
  console.error(
    `audit: the ${what} of action ${correlationId} could not be written: ${error instanceof Error ? error.message : String(error)}`,
  );
  for (const listener of failureListeners) {
    try {
      listener(correlationId, error);
    } catch {
      // A listener's failure must not become the action's.
    }
  }
}

/** Never throws: a failed write marks the job `unknown outcome` (onAuditWriteFailure) and is logged. */
export async function recordResult(correlationId: string, outcome: AuditResult): Promise<boolean> {
  try {
    await auditStore().recordResult(correlationId, outcome);
    return true;
  } catch (error) {
    auditWriteFailed(correlationId, 'result', error);
    return false;
  }
}

/** Never throws, like recordResult. */
export async function recordProgress(correlationId: string, progress: ActionProgress): Promise<boolean> {
  try {
    await auditStore().recordProgress(correlationId, progress);
    return true;
  } catch (error) {
    auditWriteFailed(correlationId, 'progress', error);
    return false;
  }
}

/** A cancel of a running action (issue 10: cancels are audited). */
export async function recordCancel(principal: Principal, actionType: string, target: AuditTarget, id: string): Promise<void> {
  await auditStore().recordEvent({
    actor: auditActor(principal),
    type: 'cancel',
    actionType,
    target,
    request: { id },
    outcome: 'succeeded',
  });
}

/** An admin ended someone's sessions (issue 10: revocations are audited). */
export async function recordSessionRevocation(principal: Principal, subject: string, revoked: number, reason?: string): Promise<void> {
  await auditStore().recordEvent({
    actor: auditActor(principal),
    type: 'session-revoked',
    request: { subject, ...(reason ? { reason } : {}) },
    outcome: 'succeeded',
    result: { subject, revoked },
  });
}

export async function recordPlan(
  principal: Principal,
  actionType: string,
  target: AuditTarget,
  request: unknown,
  outcome: 'succeeded' | 'failed' = 'succeeded',
  error?: unknown,
): Promise<void> {
  await auditStore().recordEvent({ actor: auditActor(principal), type: 'plan', actionType, target, request, outcome, error });
}

/** An action refused for scope or role (the 403 case) is audited too. */
export async function recordRefusal(
  principal: Principal,
  actionType: string,
  target: AuditTarget,
  request: unknown,
  reason: string,
): Promise<void> {
  await auditStore().recordEvent({
    actor: auditActor(principal),
    type: 'refused',
    actionType,
    target,
    request,
    outcome: 'refused',
    error: { code: 'forbidden', message: reason },
  });
}

export function listAudit(filters: AuditFilters, visible?: AuditVisibility) {
  return auditStore().listAudit(filters, visible);
}

export function jobState(correlationId: string) {
  return auditStore().jobState(correlationId);
}
