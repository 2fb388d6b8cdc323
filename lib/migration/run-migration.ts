import 'server-only';
import { jobState, recordCancel, recordIntent, recordPlan, recordProgress, recordResult } from '@/lib/audit/audit-log';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { ActionError, loadActionContext, type ActionContext } from '@/lib/actions/action-context';
import { fieldErrors } from '@/lib/actions/schemas';
import { refuseUnlessCanAct } from '@/lib/auth/authorize';
import { scopeOf } from '@/lib/auth/get-principal';
import type { Principal } from '@/lib/auth/principal';
import { collectCache, invalidateCollected } from '@/lib/collect';
import { forgetFleetView } from '@/lib/console/queries';
import { apiError } from '@/lib/http/errors';
import { recordKubeEvent } from '@/lib/kube/writes';
import { logger } from '@/lib/log/logger';
import { consoleStore } from '@/lib/store/console-store';
import type { StoredJob, StoredJobStatus } from '@/lib/store/job-store';
import { jobLeaseMs, onCancelRequested, onLeaseRenewed, registerJobKind, startJobSupervisor } from '@/lib/store/job-supervisor';
import { planMigration } from './plan';
import { MIGRATION_ACTION_TYPE } from './states';
import { runStep, stepErrorMessage, undoItem, type StepEnv } from './steps';
import {
  migrationRequestSchema,
  type AppliedStep,
  type ItemStatus,
  type MigrationItem,
  type MigrationOptions,
  type MigrationRecord,
  type MigrationStatus,
  type StepName,
} from './types';

// The migration runner (issue 15, api.md): a batch of service accounts moved with bounded concurrency, each
// step verified before the next, stop-on-failure, cancel/pause/resume, and a rollback per service account or for
// the batch. Every event is appended to the audit store under the migration's id (intent, then one progress
// entry per step event), so after a restart the batch is rebuilt from the store: paused stays paused, a step
// that was running when the process stopped is `unknown outcome`, and resume re-runs from each item's last
// verified step (every step reads before it writes). Each step also has its own audit intent and result, and a
// Kubernetes Event on the service account.
//
// Each run (the batch, a resume, a rollback) is also a job in the console's store (lib/store/job-store.ts), held
// by the replica that runs it and kept alive by its heartbeat: any replica shows a batch running elsewhere as
// running, and asks its runner to cancel through the store. When the runner dies, its lease runs out and the
// replica doing the background work ends the run: the service accounts in flight become `unknown outcome`, in
// the trail too, and any replica can resume (every step re-checks before it writes) or roll back.

const EVENT_REASON = 'PodIdentityMigration';

/** One event of a migration, as stored in the audit trail (progress.detail). */
type MigrationEvent =
  | { kind: 'step'; sa: string; step: StepName; phase: 'start' }
  | { kind: 'step'; sa: string; step: StepName; phase: 'done'; applied: AppliedStep }
  | { kind: 'item'; sa: string; status: ItemStatus; error?: string; at: string }
  | { kind: 'undo'; sa: string; step: StepName }
  | { kind: 'status'; status: MigrationStatus; message?: string }
  | { kind: 'run'; job: string; replica: string };

/** The store's job of one run: who may resume it is decided again on resume, this is what the run acted as. */
interface MigrationJob {
  migrationId: string;
  actor: string;
}

interface LiveMigration {
  record: MigrationRecord;
  principal: Principal;
  ctx: ActionContext;
  pauseRequested: boolean;
  cancelRequested: boolean;
  running: boolean;
  resultRecorded: boolean;
  /** This process no longer owns it (tests: the process "stopped"); nothing more is recorded. */
  detached?: boolean;
  /** The store's job id of the current or last run of this process, and when it was claimed. */
  run?: string;
  runStartedAt?: number;
  /** The audit writes of this batch, in order (the store is asynchronous). */
  writes: Promise<unknown>;
}

function write(migration: LiveMigration, work: () => Promise<unknown>): void {
  migration.writes = migration.writes.then(work, work);
}

const shared = globalThis as typeof globalThis & { __workloadIdentityMigrations?: Map<string, LiveMigration> };
const live = (shared.__workloadIdentityMigrations ??= new Map<string, LiveMigration>());

const keyOf = (item: { namespace: string; name: string }) => `${item.namespace}/${item.name}`;
const FINAL_ITEM: ItemStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled', 'rolled-back'];

function summarize(record: MigrationRecord): MigrationRecord['progress'] {
  const count = (status: ItemStatus) => record.items.filter((item) => item.status === status).length;
  const skipped = count('skipped');
  const succeeded = count('succeeded');
  const failed = count('failed') + count('unknown outcome');
  const runnable = record.items.length - skipped;
  const done = record.items.filter((item) => item.status !== 'skipped' && FINAL_ITEM.includes(item.status)).length;
  const running = record.items.filter((item) => item.status === 'running' || item.status === 'rolling-back');
  const message =
    runnable === 0
      ? `Nothing to do: none of the ${record.items.length} service account(s) needs migrating (${skipped} skipped).`
      : `${done} of ${runnable} done: ${succeeded} migrated, ${failed} failed, ${skipped} skipped${running.length ? `; now ${running.map((item) => `${keyOf(item)} (${item.step})`).join(', ')}` : ''}.`;
  return { total: record.items.length, done, succeeded, failed, skipped, message };
}

function touch(migration: LiveMigration): void {
  migration.record.updatedAt = new Date().toISOString();
  migration.record.progress = summarize(migration.record);
}

function persist(migration: LiveMigration, event: MigrationEvent): void {
  if (migration.detached) return;
  touch(migration);
  const { done, total, message } = migration.record.progress;
  const id = migration.record.id;
  write(migration, () => recordProgress(id, { done, total, message, detail: event }));
}

function itemTarget(record: Pick<MigrationRecord, 'cluster'>, item: MigrationItem): AuditTarget {
  return {
    cluster: record.cluster,
    namespace: item.namespace,
    serviceAccount: item.name,
    ...(item.roleArn ? { roleArn: item.roleArn } : {}),
  };
}

/** One audit intent + result and one Kubernetes Event per step (as for single actions). */
async function audited<T>(migration: LiveMigration, item: MigrationItem, what: string, work: () => Promise<T>): Promise<T> {
  const { record, principal, ctx } = migration;
  const id = await recordIntent(principal, `${MIGRATION_ACTION_TYPE} ${what}`, itemTarget(record, item), {
    migrationId: record.id,
    step: what,
  });
  let outcome: 'succeeded' | 'failed' = 'failed';
  let message = '';
  try {
    const result = await work();
    outcome = 'succeeded';
    await recordResult(id, { outcome, result });
    return result;
  } catch (error) {
    message = stepErrorMessage(error);
    await recordResult(id, { outcome, error: { message } });
    throw error;
  } finally {
    await recordKubeEvent(
      ctx.target(record.cluster),
      { kind: 'ServiceAccount', apiVersion: 'v1', namespace: item.namespace, name: item.name },
      {
        reason: EVENT_REASON,
        type: outcome === 'succeeded' ? 'Normal' : 'Warning',
        message: `IRSA to Pod Identity migration ${record.id}, step ${what}, by ${principal.subject} through the Workload Identity Console: ${outcome === 'succeeded' ? 'succeeded' : `failed: ${message}`}`,
      },
    ).catch(() => undefined);
  }
}

function stepsFor(options: MigrationOptions): StepName[] {
  return [
    'trust',
    'associate',
    ...(options.roll ? (['roll'] as const) : []),
    ...(options.removeAnnotation ? (['remove-annotation'] as const) : []),
    ...(options.removeOidcTrust ? (['remove-oidc-trust'] as const) : []),
  ];
}

function jobHandle(migration: LiveMigration) {
  return { id: migration.record.id, report: () => undefined, cancelled: () => migration.cancelRequested };
}

/**
 * Claims a new run of the migration in the store for this replica (before anything runs) and records it in the
 * trail, so every replica can tell a batch running elsewhere from one whose runner died.
 */
async function startRun(migration: LiveMigration): Promise<void> {
  const store = consoleStore();
  const job = `${migration.record.id}.run-${Date.now().toString(36)}`;
  const record: MigrationJob = { migrationId: migration.record.id, actor: migration.principal.subject };
  await store.jobs.create({ id: job, kind: MIGRATION_ACTION_TYPE, owner: store.replicaId, record, leaseMs: jobLeaseMs() });
  startJobSupervisor();
  migration.run = job;
  migration.runStartedAt = Date.now();
  persist(migration, { kind: 'run', job, replica: store.replicaId });
}

// A cancel asked through another replica reaches the run on this one's next heartbeat.
onCancelRequested((job) => {
  for (const migration of live.values()) if (migration.run === job && migration.running) migration.cancelRequested = true;
});

// A run whose lease this replica no longer holds was taken over (cut off from the store longer than the lease):
// another replica has already ended it, so this one stops and records nothing more. A run younger than the lease
// cannot have been taken over (no lease ran out yet): a heartbeat that read the jobs just before it was created
// does not list it.
onLeaseRenewed((renewed) => {
  for (const [id, migration] of live)
    if (migration.running && migration.run && !renewed.has(migration.run) && Date.now() - (migration.runStartedAt ?? 0) > jobLeaseMs()) {
      migration.detached = true;
      migration.cancelRequested = true;
      live.delete(id);
    }
});

async function migrateItem(migration: LiveMigration, item: MigrationItem): Promise<void> {
  const env: StepEnv = {
    ctx: migration.ctx,
    cluster: migration.record.cluster,
    item,
    options: migration.record.options,
    job: jobHandle(migration),
  };
  item.status = 'running';
  item.error = undefined;
  for (const step of stepsFor(migration.record.options)) {
    if (item.applied.some((applied) => applied.step === step)) continue;
    if (migration.cancelRequested) {
      item.status = 'cancelled';
      persist(migration, { kind: 'item', sa: keyOf(item), status: 'cancelled', at: new Date().toISOString() });
      return;
    }
    item.step = step;
    persist(migration, { kind: 'step', sa: keyOf(item), step, phase: 'start' });
    try {
      const applied = await audited(migration, item, step, () => runStep(step, env));
      item.applied.push(applied);
      persist(migration, { kind: 'step', sa: keyOf(item), step, phase: 'done', applied });
    } catch (error) {
      const message = stepErrorMessage(error);
      item.status = message === 'cancelled' ? 'cancelled' : 'failed';
      item.error =
        message === 'cancelled' ? 'Cancelled during the roll; the restarts already sent continue in the cluster.' : `${step}: ${message}`;
      persist(migration, { kind: 'item', sa: keyOf(item), status: item.status, error: item.error, at: new Date().toISOString() });
      return;
    }
  }
  item.status = 'succeeded';
  item.verifiedAt = new Date().toISOString();
  persist(migration, { kind: 'item', sa: keyOf(item), status: 'succeeded', at: item.verifiedAt });
}

async function rollbackItem(migration: LiveMigration, item: MigrationItem): Promise<void> {
  const env: StepEnv = {
    ctx: migration.ctx,
    cluster: migration.record.cluster,
    item,
    options: migration.record.options,
    job: jobHandle(migration),
  };
  item.status = 'rolling-back';
  item.error = undefined;
  persist(migration, { kind: 'item', sa: keyOf(item), status: 'rolling-back', at: new Date().toISOString() });
  try {
    await audited(migration, item, 'rollback', () =>
      undoItem(env, (step) => {
        item.step = `undo ${step}`;
        persist(migration, { kind: 'undo', sa: keyOf(item), step });
      }),
    );
    item.status = 'rolled-back';
    item.applied = [];
    persist(migration, { kind: 'item', sa: keyOf(item), status: 'rolled-back', at: new Date().toISOString() });
  } catch (error) {
    item.status = 'failed';
    item.error = `rollback: ${stepErrorMessage(error)}`;
    persist(migration, { kind: 'item', sa: keyOf(item), status: 'failed', error: item.error, at: new Date().toISOString() });
  }
}

/** Runs `work` on the items with bounded concurrency; stops taking new ones on pause, cancel or (optionally) a failure. */
async function drive(
  migration: LiveMigration,
  items: MigrationItem[],
  work: (item: MigrationItem) => Promise<void>,
  stopOnFailure: boolean,
) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !migration.pauseRequested && !migration.cancelRequested && !(stopOnFailure && failed)) {
      const item = items[next++];
      await work(item);
      if (item.status === 'failed') failed = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(migration.record.options.concurrency, items.length)) }, worker));
}

function finish(migration: LiveMigration, status: MigrationStatus, message?: string): void {
  if (migration.detached) return;
  migration.record.status = status;
  if (message) migration.record.message = message;
  migration.running = false;
  persist(migration, { kind: 'status', status, ...(message ? { message } : {}) });
  if (!migration.resultRecorded && status !== 'paused') {
    migration.resultRecorded = true;
    const id = migration.record.id;
    const outcome = status === 'succeeded' ? ('succeeded' as const) : ('failed' as const);
    const result = { status, progress: migration.record.progress };
    write(migration, () => recordResult(id, { outcome, result }));
  }
  const run = migration.run;
  if (run) {
    const jobStatus: StoredJobStatus =
      status === 'succeeded' || status === 'rolled-back'
        ? 'succeeded'
        : status === 'paused'
          ? 'cancelled'
          : status === 'running'
            ? 'failed'
            : status;
    const record: MigrationJob = { migrationId: migration.record.id, actor: migration.principal.subject };
    write(migration, () => consoleStore().jobs.save(run, consoleStore().replicaId, jobStatus, record));
  }
  // Once its end is stored, every replica (this one too) reads the batch from the trail, so a resume or rollback
  // run by another replica is never hidden behind this process's old copy.
  write(migration, async () => {
    if (!migration.running && live.get(migration.record.id) === migration) live.delete(migration.record.id);
  });
  // The association, role and pods changed: the next read must not serve the old view.
  invalidateCollected({ cluster: migration.record.cluster });
  for (const roleArn of new Set(migration.record.items.map((item) => item.roleArn).filter((arn): arn is string => Boolean(arn))))
    invalidateCollected({ roleArn });
  collectCache().invalidate({ prefix: 's3:' });
  forgetFleetView();
  logger().info(
    { migrationId: migration.record.id, actor: migration.principal.subject, status },
    `migration ${status}: ${migration.record.progress.message}`,
  );
}

async function runForward(migration: LiveMigration): Promise<void> {
  migration.running = true;
  const pending = migration.record.items.filter((item) => item.status === 'pending');
  try {
    await drive(migration, pending, (item) => migrateItem(migration, item), migration.record.options.stopOnFailure);
  } catch (error) {
    logger().error({ migrationId: migration.record.id, err: error }, 'migration runner failed');
  }
  const items = migration.record.items;
  if (migration.cancelRequested) return finish(migration, 'cancelled');
  if (migration.pauseRequested && items.some((item) => item.status === 'pending')) return finish(migration, 'paused');
  if (items.some((item) => item.status === 'failed' || item.status === 'unknown outcome')) return finish(migration, 'failed');
  if (items.some((item) => item.status === 'pending'))
    return finish(migration, 'failed', 'Stopped after a failure; the remaining service accounts were not started.');
  const runnable = items.filter((item) => item.status !== 'skipped');
  if (runnable.length === 0) return finish(migration, 'succeeded', migration.record.progress.message);
  finish(migration, 'succeeded');
}

async function runRollback(migration: LiveMigration, which: MigrationItem[]): Promise<void> {
  migration.running = true;
  migration.cancelRequested = false;
  migration.pauseRequested = false;
  persist(migration, { kind: 'status', status: 'running', message: `rolling back ${which.length} service account(s)` });
  // The newest first: undo in the reverse order the batch applied.
  const ordered = [...which].sort((a, b) => (b.verifiedAt ?? '').localeCompare(a.verifiedAt ?? ''));
  await drive(migration, ordered, (item) => rollbackItem(migration, item), false);
  const failed = which.some((item) => item.status === 'failed');
  const all = migration.record.items
    .filter((item) => item.status !== 'skipped')
    .every((item) => item.status === 'rolled-back' || item.status === 'pending');
  finish(
    migration,
    failed ? 'failed' : all ? 'rolled-back' : migration.record.status === 'running' ? 'succeeded' : migration.record.status,
  );
}

/** The migration as stored: its intent and every event replayed. A step that was running when the process stopped is `unknown outcome`. */
async function fromStore(id: string): Promise<{ record: MigrationRecord; runningOn?: string; orphanRun?: StoredJob } | undefined> {
  const stored = await jobState(id);
  if (!stored || stored.actionType !== MIGRATION_ACTION_TYPE) return undefined;
  const request = stored.request as { cluster: string; options: MigrationOptions; items: MigrationItem[] };
  const record: MigrationRecord = {
    id,
    actor: stored.actor.subject,
    cluster: request.cluster,
    options: request.options,
    status: 'running',
    items: request.items.map((item) => ({ ...item, applied: [...(item.applied ?? [])] })),
    progress: { total: 0, done: 0, succeeded: 0, failed: 0, skipped: 0, message: '' },
    startedAt: stored.startedAt,
    updatedAt: stored.updatedAt,
  };
  const byKey = new Map(record.items.map((item) => [keyOf(item), item]));
  let lastStatus: { status: MigrationStatus; message?: string } | undefined;
  let lastRun: string | undefined;
  for (const progress of stored.history ?? []) {
    const event = progress.detail as MigrationEvent | undefined;
    if (!event) continue;
    if (event.kind === 'status') {
      lastStatus = event;
      continue;
    }
    if (event.kind === 'run') {
      lastRun = event.job;
      continue;
    }
    const item = byKey.get(event.sa);
    if (!item) continue;
    if (event.kind === 'step') {
      item.step = event.step;
      item.status = 'running';
      if (event.phase === 'done') item.applied.push(event.applied);
    } else if (event.kind === 'undo') {
      item.step = `undo ${event.step}`;
      item.status = 'rolling-back';
    } else {
      item.status = event.status;
      item.error = event.error;
      if (event.status === 'succeeded') item.verifiedAt = event.at;
      if (event.status === 'rolled-back') item.applied = [];
    }
  }
  // Running on another replica that still renews its lease: shown as it goes, not as interrupted.
  const store = consoleStore();
  const run = lastRun ? await store.jobs.get(lastRun) : undefined;
  if (run && run.status === 'running' && !run.leaseExpired && run.owner !== store.replicaId) {
    record.status = 'running';
    record.progress = summarize(record);
    return { record, runningOn: run.id };
  }
  let interrupted = false;
  for (const item of record.items)
    if (item.status === 'running' || item.status === 'rolling-back') {
      interrupted = true;
      item.error = `The console stopped during ${item.step}; the step's outcome is unknown. Resume re-checks it before going on, or roll back.`;
      item.status = 'unknown outcome';
    }
  record.status = interrupted ? 'unknown outcome' : (lastStatus?.status ?? 'unknown outcome');
  if (record.status === 'running') record.status = 'unknown outcome';
  if (lastStatus?.message) record.message = lastStatus.message;
  record.progress = summarize(record);
  return { record, ...(run?.status === 'running' ? { orphanRun: run } : {}) };
}

function canSee(principal: Principal, record: MigrationRecord): boolean {
  const scope = scopeOf(principal);
  if (scope.isAdmin || record.actor === principal.subject) return true;
  return record.items.some((item) => scope.canSeeNamespace(record.cluster, item.namespace));
}

async function refuseForItems(
  principal: Principal,
  what: string,
  record: Pick<MigrationRecord, 'cluster'>,
  items: MigrationItem[],
  request: unknown,
): Promise<Response | undefined> {
  for (const item of items) {
    const refusal = await refuseUnlessCanAct(principal, what, itemTarget(record, item), request);
    if (refusal) return refusal;
  }
  return undefined;
}

const noStore = { 'cache-control': 'no-store' };

/** POST /api/v1/migrations: a dry run returns the plan; otherwise 202 and the batch runs in the background. */
export async function startMigration(principal: Principal, body: unknown): Promise<Response> {
  const parsed = migrationRequestSchema.safeParse(body);
  if (!parsed.success) return apiError(400, 'invalid-input', 'The migration request is invalid.', { fields: fieldErrors(parsed.error) });
  const request = parsed.data;
  if (!request.serviceAccounts?.length && !request.namespaces?.length)
    return apiError(400, 'invalid-input', 'Name the service accounts or the namespaces to migrate.', {
      fields: { serviceAccounts: 'give serviceAccounts or namespaces' },
    });
  let ctx: ActionContext;
  try {
    ctx = await loadActionContext();
    ctx.eks(request.cluster);
  } catch (error) {
    if (error instanceof ActionError) return apiError(error.plain.status === 404 ? 404 : 400, error.plain.code, error.plain.message);
    throw error;
  }
  // Authorization before any read of AWS: every named SA (and the role it binds) in the caller's operator scope.
  const scope = scopeOf(principal);
  if (request.namespaces?.length)
    for (const namespace of request.namespaces) {
      const refusal = await refuseUnlessCanAct(principal, MIGRATION_ACTION_TYPE, { cluster: request.cluster, namespace }, request);
      if (refusal) return refusal;
    }
  for (const key of request.serviceAccounts ?? []) {
    if (!scope.canSeeNamespace(request.cluster, key.namespace))
      return apiError(404, 'not-found', `No service account ${key.namespace}/${key.name} in ${request.cluster}.`);
    const roleArn = ctx.serviceAccount(request.cluster, key.namespace, key.name).irsa?.roleArn;
    const refusal = await refuseUnlessCanAct(
      principal,
      MIGRATION_ACTION_TYPE,
      { cluster: request.cluster, namespace: key.namespace, serviceAccount: key.name, ...(roleArn ? { roleArn } : {}) },
      request,
    );
    if (refusal) return refusal;
  }

  let plan;
  try {
    plan = await planMigration(ctx, request);
  } catch (error) {
    if (error instanceof ActionError) return apiError(error.plain.status === 404 ? 404 : 502, error.plain.code, error.plain.message);
    throw error;
  }
  // Roles are in the role scope too (namespaces given: the SAs are known only now).
  const refusal = await refuseForItems(
    principal,
    MIGRATION_ACTION_TYPE,
    request,
    plan.items.filter((item) => !item.skip).map((item) => ({ ...item, status: 'pending' as const, applied: [] })),
    request,
  );
  if (refusal) return refusal;

  const target: AuditTarget = {
    cluster: request.cluster,
    ...(plan.items.length === 1 ? { namespace: plan.items[0].namespace, serviceAccount: plan.items[0].name } : {}),
  };
  if (request.dryRun) {
    await recordPlan(principal, MIGRATION_ACTION_TYPE, target, { ...request, summary: plan.summary });
    return Response.json({ plan }, { headers: noStore });
  }

  const items: MigrationItem[] = plan.items.map((item) => ({
    namespace: item.namespace,
    name: item.name,
    ...(item.roleArn ? { roleArn: item.roleArn } : {}),
    state: item.state,
    status: item.skip ? 'skipped' : 'pending',
    ...(item.skip ? { skip: item.skip } : {}),
    applied: [],
  }));
  const id = await recordIntent(principal, MIGRATION_ACTION_TYPE, target, { cluster: request.cluster, options: request.options, items });
  const now = new Date().toISOString();
  const migration: LiveMigration = {
    record: {
      id,
      actor: principal.subject,
      cluster: request.cluster,
      options: request.options,
      status: 'running',
      items,
      progress: { total: 0, done: 0, succeeded: 0, failed: 0, skipped: 0, message: '' },
      startedAt: now,
      updatedAt: now,
    },
    principal,
    ctx,
    pauseRequested: false,
    cancelRequested: false,
    running: true,
    resultRecorded: false,
    writes: Promise.resolve(),
  };
  touch(migration);
  live.set(id, migration);
  await startRun(migration);
  void runForward(migration);
  return Response.json(
    { id, status: 'running', progress: migration.record.progress },
    { status: 202, headers: { ...noStore, location: `/api/v1/migrations/${id}` } },
  );
}

interface FoundMigration {
  record: MigrationRecord;
  /** This process runs it or ran it. */
  migration?: LiveMigration;
  /** Another replica runs it now: the store's job id of that run. */
  runningOn?: string;
  /** A run the store still holds as running though its runner is gone. */
  orphanRun?: StoredJob;
}

async function findMigration(principal: Principal, id: string): Promise<FoundMigration | Response> {
  const migration = live.get(id);
  const found = migration ? { record: migration.record, migration } : await fromStore(id);
  if (!found || !canSee(principal, found.record)) return apiError(404, 'not-found', `Migration ${id} was not found.`);
  return found;
}

/** A run this replica claimed but no longer runs (its process state was lost) ends before a new one starts. */
async function endOrphanRun(found: FoundMigration): Promise<void> {
  const orphan = found.orphanRun;
  const store = consoleStore();
  if (orphan && orphan.owner === store.replicaId)
    await store.jobs.save(orphan.id, store.replicaId, 'unknown outcome', orphan.record).catch(() => false);
}

/** The migration's page: the record, or undefined when unknown or outside the caller's scope. */
export async function migrationForPage(principal: Principal, id: string): Promise<MigrationRecord | undefined> {
  const found = await findMigration(principal, id);
  return found instanceof Response ? undefined : found.record;
}

export async function getMigration(principal: Principal, id: string): Promise<Response> {
  const found = await findMigration(principal, id);
  if (found instanceof Response) return found;
  return Response.json(found.record, { headers: noStore });
}

export async function controlMigration(principal: Principal, id: string, verb: 'cancel' | 'pause'): Promise<Response> {
  const found = await findMigration(principal, id);
  if (found instanceof Response) return found;
  const { record, migration, runningOn } = found;
  const refusal = await refuseForItems(principal, `${verb} ${MIGRATION_ACTION_TYPE}`, record, record.items, { id });
  if (refusal) return refusal;
  if (runningOn && verb === 'cancel') {
    await consoleStore().jobs.requestCancel(runningOn);
    await recordCancel(principal, MIGRATION_ACTION_TYPE, { cluster: record.cluster }, id);
    return Response.json({ id, status: 'cancelling' }, { status: 202, headers: noStore });
  }
  if (runningOn)
    return apiError(409, 'running-elsewhere', `Migration ${id} runs on another console replica: pause it there, or cancel it here.`);
  if (!migration?.running)
    return apiError(
      409,
      'not-running',
      `Migration ${id} is ${record.status}; only a running migration can be ${verb === 'cancel' ? 'cancelled' : 'paused'}.`,
    );
  if (verb === 'cancel') {
    migration.cancelRequested = true;
    await recordCancel(principal, MIGRATION_ACTION_TYPE, { cluster: record.cluster }, id);
  } else migration.pauseRequested = true;
  return Response.json({ id, status: verb === 'cancel' ? 'cancelling' : 'pausing' }, { status: 202, headers: noStore });
}

async function revive(principal: Principal, record: MigrationRecord, existing?: LiveMigration): Promise<LiveMigration> {
  if (existing) return existing;
  const migration: LiveMigration = {
    record,
    principal,
    ctx: await loadActionContext(),
    pauseRequested: false,
    cancelRequested: false,
    running: false,
    resultRecorded: (await jobState(record.id))?.result !== undefined,
    writes: Promise.resolve(),
  };
  live.set(record.id, migration);
  return migration;
}

/** Resume a paused, cancelled, failed or interrupted (`unknown outcome`) migration: each step re-checks before it writes. */
export async function resumeMigration(principal: Principal, id: string): Promise<Response> {
  const found = await findMigration(principal, id);
  if (found instanceof Response) return found;
  const refusal = await refuseForItems(principal, `resume ${MIGRATION_ACTION_TYPE}`, found.record, found.record.items, { id });
  if (refusal) return refusal;
  if (found.migration?.running || found.runningOn) return apiError(409, 'running', `Migration ${id} is running.`);
  if (found.record.status === 'rolled-back' || found.record.status === 'succeeded')
    return apiError(409, 'finished', `Migration ${id} is ${found.record.status}; start a new one instead.`);
  await endOrphanRun(found);
  const migration = await revive(principal, found.record, found.migration);
  migration.pauseRequested = false;
  migration.cancelRequested = false;
  migration.principal = principal;
  migration.running = true;
  for (const item of migration.record.items)
    if (item.status === 'unknown outcome' || item.status === 'cancelled' || item.status === 'failed') item.status = 'pending';
  migration.record.status = 'running';
  await startRun(migration).catch((error: unknown) => {
    migration.running = false;
    throw error;
  });
  persist(migration, { kind: 'status', status: 'running', message: `resumed by ${principal.subject}` });
  void runForward(migration);
  return Response.json({ id, status: 'running' }, { status: 202, headers: noStore });
}

/** Roll back every service account of the batch (or the named ones) that applied something. */
export async function rollbackMigration(principal: Principal, id: string, body: unknown): Promise<Response> {
  const found = await findMigration(principal, id);
  if (found instanceof Response) return found;
  const names = (body as { serviceAccounts?: { namespace?: unknown; name?: unknown }[] } | null)?.serviceAccounts;
  if (names !== undefined && !Array.isArray(names))
    return apiError(400, 'invalid-input', 'serviceAccounts is a list of {namespace, name}.', { fields: { serviceAccounts: 'a list' } });
  const wanted = names ? new Set(names.map((entry) => `${String(entry.namespace)}/${String(entry.name)}`)) : null;
  const which = found.record.items.filter((item) => item.applied.length > 0 && (!wanted || wanted.has(keyOf(item))));
  if (wanted && which.length !== wanted.size)
    return apiError(
      409,
      'nothing-applied',
      `Only service accounts this migration changed can be rolled back: ${[...wanted].filter((key) => !which.some((item) => keyOf(item) === key)).join(', ')}.`,
    );
  const refusal = await refuseForItems(principal, `rollback ${MIGRATION_ACTION_TYPE}`, found.record, which, { id });
  if (refusal) return refusal;
  if (found.migration?.running || found.runningOn) return apiError(409, 'running', `Migration ${id} is running: pause or cancel it first.`);
  if (which.length === 0) return apiError(409, 'nothing-applied', `Migration ${id} changed nothing that could be rolled back.`);
  await endOrphanRun(found);
  const migration = await revive(principal, found.record, found.migration);
  migration.principal = principal;
  migration.running = true;
  migration.record.status = 'running';
  await startRun(migration).catch((error: unknown) => {
    migration.running = false;
    throw error;
  });
  void runRollback(migration, which);
  return Response.json({ id, status: 'running', rollingBack: which.map(keyOf) }, { status: 202, headers: noStore });
}

// The background work ends the runs of replicas that died: the service accounts in flight become `unknown
// outcome` in the trail (a status event any replica replays), and the run's job says so too.
registerJobKind(MIGRATION_ACTION_TYPE, {
  async expired(job) {
    const { migrationId } = job.record as MigrationJob;
    const store = consoleStore();
    const found = await fromStore(migrationId);
    if (found) {
      const { record } = found;
      const inFlight = record.items.filter((item) => item.status === 'unknown outcome').map(keyOf);
      const message = `The console replica running this migration stopped before it finished${inFlight.length ? `, during ${inFlight.join(', ')}` : ''}; resume re-checks each step before going on, or roll back.`;
      await recordProgress(migrationId, {
        done: record.progress.done,
        total: record.progress.total,
        message,
        detail: { kind: 'status', status: 'unknown outcome', message } satisfies MigrationEvent,
      });
      if ((await jobState(migrationId))?.result === undefined)
        await recordResult(migrationId, { outcome: 'unknown outcome', error: { message }, result: { progress: record.progress } });
      logger().warn({ migrationId, job: job.id }, message);
    }
    await store.jobs.save(job.id, store.replicaId, 'unknown outcome', job.record);
  },
});

/**
 * As if the process stopped: the running batch stops recording and is forgotten by this process, so the next
 * read rebuilds it from the audit store. For tests of the restart path only.
 */
export function abandonMigrationForTests(id: string): void {
  const migration = live.get(id);
  if (!migration) return;
  migration.detached = true;
  migration.cancelRequested = true;
  live.delete(id);
}
