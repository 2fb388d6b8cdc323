import 'server-only';
import { jobState, onAuditWriteFailure, recordProgress } from '@/lib/audit/audit-log';
import { metrics } from '@/lib/metrics/metrics';
import type { ActionProgressReport, ActionRecord, ActionStatus } from './types';

// Running actions, by id (the audit correlation id). Live state is kept here while the process runs; the audit
// store holds intent, progress and result, so after a restart a job still answers, as "unknown outcome" if it
// never finished (design.md "Long actions").

interface LiveJob {
  record: ActionRecord;
  cancelRequested: boolean;
  lastRecordedProgress?: string;
  /** Its result or progress could not be written to the audit store: the outcome is unproven. */
  auditWriteFailed?: boolean;
}

// On globalThis: pages and route handlers are separate module graphs in Next, and both read running jobs.
const shared = globalThis as typeof globalThis & { __workloadIdentityLiveJobs?: Map<string, LiveJob> };
const liveJobs = (shared.__workloadIdentityLiveJobs ??= new Map<string, LiveJob>());

// A job whose result could not be audited ends `unknown outcome`, whatever the apply itself reported.
onAuditWriteFailure((id) => {
  const job = liveJobs.get(id);
  if (!job) return;
  job.auditWriteFailed = true;
  if (job.record.status !== 'running') job.record = { ...job.record, status: 'unknown outcome', updatedAt: new Date().toISOString() };
});

export function startJob(record: ActionRecord): LiveJob {
  const job: LiveJob = { record, cancelRequested: false };
  liveJobs.set(record.id, job);
  metrics().actionsRunning.inc({ type: record.type });
  return job;
}

export function reportProgress(id: string, progress: ActionProgressReport): void {
  const job = liveJobs.get(id);
  if (!job) return;
  job.record = { ...job.record, progress, updatedAt: new Date().toISOString() };
  // Only changes reach the append-only audit store, not every poll.
  const key = `${progress.done}/${progress.total}/${progress.withExpectedEnv ?? ''}/${progress.newPods ?? ''}`;
  if (key !== job.lastRecordedProgress) {
    job.lastRecordedProgress = key;
    recordProgress(id, { done: progress.done, total: progress.total, message: progress.message });
  }
}

export function finishJob(id: string, update: Pick<ActionRecord, 'status'> & Partial<Pick<ActionRecord, 'result' | 'error'>>): void {
  const job = liveJobs.get(id);
  if (!job) return;
  if (job.record.status === 'running') {
    metrics().actionsRunning.dec({ type: job.record.type });
    metrics().actions.inc({ type: job.record.type, status: update.status });
  }
  job.record = {
    ...job.record,
    ...update,
    ...(job.auditWriteFailed ? { status: 'unknown outcome' as const } : {}),
    updatedAt: new Date().toISOString(),
  };
}

export function requestCancel(id: string): boolean {
  const job = liveJobs.get(id);
  if (!job || job.record.status !== 'running') return false;
  job.cancelRequested = true;
  return true;
}

export function isCancelRequested(id: string): boolean {
  return liveJobs.get(id)?.cancelRequested ?? false;
}

/** The job as the API shows it: live if this process runs it, else reconstructed from the audit store. */
export function actionRecord(id: string): ActionRecord | undefined {
  const live = liveJobs.get(id);
  if (live) return live.record;
  const stored = jobState(id);
  if (!stored) return undefined;
  const request = (stored.request ?? {}) as {
    type?: ActionRecord['type'];
    params?: Record<string, unknown>;
    targets?: ActionRecord['targets'];
  };
  const error = stored.error as { code?: string } | undefined;
  let status: ActionStatus = stored.status;
  if (stored.status === 'failed' && (error?.code === 'stuck' || error?.code === 'cancelled')) status = error.code;
  if (stored.status === 'failed' && error?.code === 'unknown-outcome') status = 'unknown outcome';
  // A job this process does not run and that never finished cannot finish any more.
  if (status === 'running') status = 'unknown outcome';
  return {
    id,
    type: request.type ?? (stored.actionType as ActionRecord['type']),
    params: request.params ?? {},
    actor: stored.actor.subject,
    status,
    startedAt: stored.startedAt,
    updatedAt: stored.updatedAt,
    ...(stored.progress
      ? { progress: { done: stored.progress.done, total: stored.progress.total, message: stored.progress.message ?? '' } }
      : {}),
    ...(stored.result !== undefined ? { result: stored.result } : {}),
    ...(stored.error !== undefined ? { error: stored.error as ActionRecord['error'] } : {}),
    targets: request.targets ?? [stored.target],
  };
}
