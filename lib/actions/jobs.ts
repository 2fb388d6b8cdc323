import 'server-only';
import { jobState, onAuditWriteFailure, recordProgress, recordResult } from '@/lib/audit/audit-log';
import { metrics } from '@/lib/metrics/metrics';
import { consoleStore } from '@/lib/store/console-store';
import type { StoredJob } from '@/lib/store/job-store';
import { jobLeaseMs, onCancelRequested, onLeaseRenewed, registerJobKind, startJobSupervisor } from '@/lib/store/job-supervisor';
import type { ActionProgressReport, ActionRecord, ActionStatus, PlainError } from './types';

// Running actions, by id (the audit correlation id). Each is a job in the console's store (lib/store), so any
// replica shows it and can cancel it; the replica that runs it also keeps it here, and its heartbeat renews the
// job's lease and brings it the cancels requested elsewhere. The audit store holds intent, progress and result
// (design.md "Long actions"). A job whose replica died ends `unknown outcome` with its last known progress,
// written by the replica that claims it once the lease ran out.

const KIND = 'action';

interface LiveJob {
  record: ActionRecord;
  cancelRequested: boolean;
  lastRecordedProgress?: string;
  /** Its result or progress could not be written to the audit store: the outcome is unproven. */
  auditWriteFailed?: boolean;
  /** Writes of this job to the store, in order. */
  saving: Promise<unknown>;
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

// A cancel asked through another replica reaches the job on this one's next heartbeat.
onCancelRequested((id) => {
  const job = liveJobs.get(id);
  if (job && job.record.status === 'running') job.cancelRequested = true;
});

// A running job whose lease this replica no longer holds was taken over (this replica was cut off from the
// store longer than the lease): it stops, as if cancelled, since another replica has already ended it.
onLeaseRenewed((renewed) => {
  for (const [id, job] of liveJobs) if (job.record.status === 'running' && !renewed.has(id)) job.cancelRequested = true;
});

function persist(job: LiveJob, write: () => Promise<unknown>): Promise<unknown> {
  job.saving = job.saving.then(write).catch((error) => {
    console.error(`jobs: action ${job.record.id} could not be saved to the store: ${(error as Error).message}`);
  });
  return job.saving;
}

/** Stores the job, claimed by this replica, before it starts. Throws when the store cannot take it. */
export async function startJob(record: ActionRecord): Promise<LiveJob> {
  const store = consoleStore();
  await store.jobs.create({ id: record.id, kind: KIND, owner: store.replicaId, record, leaseMs: jobLeaseMs() });
  const job: LiveJob = { record, cancelRequested: false, saving: Promise.resolve() };
  liveJobs.set(record.id, job);
  metrics().actionsRunning.inc({ type: record.type });
  startJobSupervisor();
  return job;
}

export function reportProgress(id: string, progress: ActionProgressReport): void {
  const job = liveJobs.get(id);
  if (!job) return;
  job.record = { ...job.record, progress, updatedAt: new Date().toISOString() };
  // Only changes reach the store and the append-only audit trail, not every poll.
  const key = `${progress.done}/${progress.total}/${progress.withExpectedEnv ?? ''}/${progress.newPods ?? ''}`;
  if (key !== job.lastRecordedProgress) {
    job.lastRecordedProgress = key;
    const record = job.record;
    const store = consoleStore();
    void persist(job, async () => {
      await recordProgress(id, { done: progress.done, total: progress.total, message: progress.message });
      await store.jobs.save(id, store.replicaId, 'running', record);
    });
  }
}

/** Waits for the job's progress writes, so its result is recorded after them. */
export async function jobWritesSettled(id: string): Promise<void> {
  await liveJobs.get(id)?.saving;
}

export async function finishJob(
  id: string,
  update: Pick<ActionRecord, 'status'> & Partial<Pick<ActionRecord, 'result' | 'error'>>,
): Promise<void> {
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
  const record = job.record;
  const store = consoleStore();
  let saved = false;
  await persist(job, async () => {
    saved = await store.jobs.save(id, store.replicaId, record.status, record);
  });
  // Once stored, every replica reads it from the store alike; a job the store did not take stays here.
  if (saved) liveJobs.delete(id);
}

/** Any replica: asks the job's runner to stop. False when it is not running. */
export async function requestCancel(id: string): Promise<boolean> {
  const job = liveJobs.get(id);
  if (job) {
    if (job.record.status !== 'running') return false;
    job.cancelRequested = true;
    await consoleStore()
      .jobs.requestCancel(id)
      .catch(() => false);
    return true;
  }
  return consoleStore().jobs.requestCancel(id);
}

export function isCancelRequested(id: string): boolean {
  return liveJobs.get(id)?.cancelRequested ?? false;
}

function lastProgressOf(record: ActionRecord): string {
  const progress = record.progress;
  return progress ? ` Last progress: ${progress.done} of ${progress.total}${progress.message ? ` (${progress.message})` : ''}.` : '';
}

/** What the console can say about a job whose replica stopped: its last progress, and what to check. */
function unknownOutcome(job: StoredJob<ActionRecord>): PlainError {
  return {
    status: 500,
    code: 'unknown-outcome',
    message:
      `The console replica running this ${job.record.type} (${job.owner}) stopped before recording a result, so its outcome is unknown.` +
      `${lastProgressOf(job.record)} Check the targets before running it again.`,
  };
}

// The background work ends the action jobs of replicas that died: the job and the audit trail both say so.
registerJobKind(KIND, {
  async expired(job) {
    const stored = job as StoredJob<ActionRecord>;
    const error = unknownOutcome(stored);
    const store = consoleStore();
    const record: ActionRecord = { ...stored.record, status: 'unknown outcome', error, updatedAt: new Date().toISOString() };
    await store.jobs.save(job.id, store.replicaId, 'unknown outcome', record);
    await recordResult(job.id, {
      outcome: 'unknown outcome',
      error,
      ...(stored.record.progress ? { result: { progress: stored.record.progress } } : {}),
    });
    metrics().actions.inc({ type: stored.record.type, status: 'unknown outcome' });
  },
});

/** The job as the API shows it: live if this process runs it, else from the store (any replica's). */
export async function actionRecord(id: string): Promise<ActionRecord | undefined> {
  const live = liveJobs.get(id);
  if (live) return live.record;
  const job = await consoleStore().jobs.get<ActionRecord>(id);
  if (job && job.kind === KIND) {
    // Its replica stopped renewing the lease: until the background work claims it, it reads as what it will become.
    if (job.status === 'running' && job.leaseExpired) return { ...job.record, status: 'unknown outcome', error: unknownOutcome(job) };
    return { ...job.record, status: job.status };
  }
  return legacyActionRecord(id);
}

/** A job from before the job table (its state only in the audit trail). */
async function legacyActionRecord(id: string): Promise<ActionRecord | undefined> {
  const stored = await jobState(id);
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
