import 'server-only';
import type { Principal } from '@/lib/auth/principal';
import { auditStore, type ActionProgress, type AuditActor, type AuditFilters, type AuditTarget, type AuditVisibility } from './audit-store';

/** The actor recorded for a principal: who, with which groups, authenticated how. */
export function auditActor(principal: Principal): AuditActor {
  return { subject: principal.subject, groups: principal.groups, via: principal.via };
}

/** Before the apply reaches AWS or Kubernetes. Returns the correlation id (also the action/job id). */
export function recordIntent(principal: Principal, actionType: string, target: AuditTarget, request: unknown): string {
  return auditStore().recordIntent({ actor: auditActor(principal), actionType, target, request }).correlationId;
}

export function recordResult(correlationId: string, outcome: { outcome: 'succeeded' | 'failed'; result?: unknown; error?: unknown }): void {
  auditStore().recordResult(correlationId, outcome);
}

export function recordProgress(correlationId: string, progress: ActionProgress): void {
  auditStore().recordProgress(correlationId, progress);
}

export function recordPlan(
  principal: Principal,
  actionType: string,
  target: AuditTarget,
  request: unknown,
  outcome: 'succeeded' | 'failed' = 'succeeded',
  error?: unknown,
): void {
  auditStore().recordEvent({ actor: auditActor(principal), type: 'plan', actionType, target, request, outcome, error });
}

/** An action refused for scope or role (the 403 case) is audited too. */
export function recordRefusal(principal: Principal, actionType: string, target: AuditTarget, request: unknown, reason: string): void {
  auditStore().recordEvent({
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
