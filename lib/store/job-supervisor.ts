import 'server-only';
import { logger } from '@/lib/log/logger';
import { consoleStore, type HeldLock } from './console-store';
import type { StoredJob } from './job-store';

// Keeps this replica's jobs alive and picks up those of replicas that died (lib/store/job-store.ts):
// - every heartbeat, the leases of the jobs this process runs are renewed, and cancels requested through any
//   replica reach the job (onCancelRequested);
// - background work runs on one replica at a time, the one holding the `background` advisory lock: it claims
//   jobs whose lease ran out and hands each to its kind's handler (resume it, or end it `unknown outcome`), and
//   it alone refreshes the fleet when nobody asked (lib/console/background-refresh.ts). Every heartbeat the
//   holder checks its lock's connection, and every other replica tries to take the lock, so when the holder
//   dies or drains another one takes over within a heartbeat of the lock being freed.

export interface JobKindHandler {
  /** A job of this kind whose replica stopped renewing its lease, now claimed by this replica. */
  expired(job: StoredJob): Promise<void>;
}

interface SupervisorState {
  timer?: NodeJS.Timeout;
  ticking: boolean;
  lock?: HeldLock;
  /** Since when this replica holds the `background` lock (ms since the epoch). */
  heldSince?: number;
  /** Draining (SIGTERM): the lock is let go at once so another replica takes the background work over. */
  steppedDown?: boolean;
  kinds: Map<string, JobKindHandler>;
  cancelListeners: ((id: string) => void)[];
  leaseListeners: ((renewed: Set<string>) => void)[];
}

const shared = globalThis as typeof globalThis & { __workloadIdentityJobSupervisor?: SupervisorState };
const initial: SupervisorState = { ticking: false, kinds: new Map(), cancelListeners: [], leaseListeners: [] };
const state: SupervisorState = (shared.__workloadIdentityJobSupervisor ??= initial);

/** How long a job outlives its replica's last heartbeat: CONSOLE_JOB_LEASE_SECONDS (default 30). */
export function jobLeaseMs(): number {
  const seconds = Number(process.env.CONSOLE_JOB_LEASE_SECONDS ?? 30);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1000;
}

/** Several heartbeats per lease, so one slow one does not lose it. */
export function heartbeatMs(): number {
  return Math.min(Math.max(jobLeaseMs() / 6, 200), 5_000);
}

export function registerJobKind(kind: string, handler: JobKindHandler): void {
  state.kinds.set(kind, handler);
}

export function onCancelRequested(listener: (id: string) => void): void {
  if (!state.cancelListeners.includes(listener)) state.cancelListeners.push(listener);
}

/** After each heartbeat: the ids of this replica's running jobs whose lease it still holds. */
export function onLeaseRenewed(listener: (renewed: Set<string>) => void): void {
  if (!state.leaseListeners.includes(listener)) state.leaseListeners.push(listener);
}

async function tick(): Promise<void> {
  if (state.ticking) return;
  state.ticking = true;
  const store = consoleStore();
  try {
    const { renewed, cancelRequested } = await store.jobs.heartbeat(store.replicaId, jobLeaseMs());
    const renewedSet = new Set(renewed);
    for (const listener of state.leaseListeners) listener(renewedSet);
    for (const id of cancelRequested) for (const listener of state.cancelListeners) listener(id);

    // A lock whose connection is gone (the database restarted, the network dropped) is let go, and taken again
    // below if no other replica took it meanwhile.
    if (state.lock && !(await lockStillHeld(state.lock))) {
      logger().warn({ replica: store.replicaId }, 'this replica lost the background lock (its database connection ended)');
      await state.lock.release().catch(() => undefined);
      state.lock = undefined;
      state.heldSince = undefined;
    }
    if (!state.lock && !state.steppedDown) {
      state.lock = await store.tryLock('background');
      if (state.lock) {
        state.heldSince = Date.now();
        logger().info(
          { replica: store.replicaId },
          'this replica now runs the background work (fleet refreshes, jobs of stopped replicas)',
        );
      }
    }
    if (!state.lock) return;
    for (const job of await store.jobs.claimExpired(store.replicaId, jobLeaseMs())) {
      const handler = state.kinds.get(job.kind);
      try {
        if (handler) await handler.expired(job);
        else await store.jobs.save(job.id, store.replicaId, 'unknown outcome', job.record);
      } catch (error) {
        logger().error({ jobId: job.id, err: error }, 'a job of a stopped replica could not be ended');
      }
    }
  } catch (error) {
    logger().warn({ err: error }, `job heartbeat failed: ${(error as Error).message}`);
  } finally {
    state.ticking = false;
  }
}

async function lockStillHeld(lock: HeldLock): Promise<boolean> {
  if (!lock.held()) return false;
  try {
    return (await lock.confirm?.()) ?? true;
  } catch {
    return false;
  }
}

/**
 * Whether this replica holds the `background` lock, so it (and no other) runs the background work: the fleet
 * refreshes nobody asked for (lib/console/background-refresh.ts) and the takeover of stopped replicas' jobs.
 */
export function holdsBackgroundLock(): boolean {
  return Boolean(state.lock?.held());
}

/** Since when this replica holds the background lock, or undefined when it does not. */
export function backgroundLockHeldSince(): Date | undefined {
  return holdsBackgroundLock() && state.heldSince !== undefined ? new Date(state.heldSince) : undefined;
}

/**
 * Draining: lets the background lock go now, so another replica takes the background work over within its next
 * heartbeat instead of after this process exits. The heartbeat keeps renewing the leases of running jobs.
 */
async function stepDown(): Promise<void> {
  if (state.steppedDown) return;
  state.steppedDown = true;
  const lock = state.lock;
  state.lock = undefined;
  state.heldSince = undefined;
  if (lock) {
    await lock.release().catch(() => undefined);
    logger().info({ replica: consoleStore().replicaId }, 'draining: this replica let the background lock go');
  }
}

/** Starts the heartbeat of this process (idempotent); the server starts it, and so does the first job. */
export function startJobSupervisor(): void {
  if (state.timer) return;
  state.timer = setInterval(() => void tick(), heartbeatMs());
  state.timer.unref();
  // scripts/start.mjs drains on these signals, and its own listener decides when the process exits. Without one
  // (a bare `next start`), the signal is raised again once this listener is gone, so it ends the process as before.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void stepDown();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  void tick();
}
