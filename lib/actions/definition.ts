import type { AuditTarget } from '@/lib/audit/audit-store';
import type { FleetState } from '@/lib/model/cluster-state';
import type { ActionContext } from './action-context';
import type { ActionCommands } from './command-kit';
import type { z } from 'zod';
import type { ActionKind, ActionParams } from './schemas';
import type { ActionPlan, ActionProgressReport, ActionStatus, PlainError } from './types';

// One action = one ActionDefinition that owns its whole contract (design.md "Actions: plan → preflight → apply
// → verify"): what it accepts, whom it changes, what it would do and the same by hand, the writes, and what
// counts as done. The runner (run-action.ts) only calls these; it never asks which action it runs.

export interface JobHandle {
  id: string;
  report(progress: ActionProgressReport): void;
  cancelled(): boolean;
}

/** The writes went through: the runner re-reads until `verified` holds, for at most `waitMs`. */
export interface Written<V> {
  status: 'written';
  read(): Promise<V>;
  waitMs?: number;
}

/** A long action that ended before its effect could be waited for. */
export interface Interrupted {
  status: 'stuck' | 'cancelled';
  result: unknown;
  /** Why it is stuck, or what cancelling left behind. */
  message: string;
}

export interface ActionDefinition<K extends ActionKind, V> extends ActionCommands<K> {
  kind: K;
  schema: z.ZodType<ActionParams<K>>;
  /** The Kubernetes Event reason recorded on the service account after applying. */
  eventReason: string;
  /** Only long actions can be cancelled while running. */
  cancellable?: boolean;
  /** Whom the action changes, from the collected view alone: authorization comes before any read or write. */
  targets(params: ActionParams<K>, view: FleetState): AuditTarget[];
  /**
   * The IAM roles the action binds to pods (iam:PassRole through the console) or whose trust policy it changes:
   * the runner refuses unless the caller's grant on every target allows each (role scope, issue 10).
   */
  boundRoles?(params: ActionParams<K>): string[];
  /** No writes: preflight checks, the exact requests and the equivalents (from `commands`). */
  plan(params: ActionParams<K>, ctx: ActionContext): Promise<ActionPlan>;
  /** The writes. Throws an ActionError when one is refused. */
  apply(params: ActionParams<K>, plan: ActionPlan, ctx: ActionContext, job: JobHandle): Promise<Written<V> | Interrupted>;
  /** Whether a re-read shows the effect. Until it does, the action has not succeeded. */
  verified(value: V, params: ActionParams<K>, plan: ActionPlan): boolean;
  /** What a verified re-read is reported as. */
  result(value: V, params: ActionParams<K>, plan: ActionPlan): unknown;
  /** What a re-read showed, in words, for an effect that never became visible. */
  describe(value: V): string;
}

export function defineAction<K extends ActionKind, V>(definition: ActionDefinition<K, V>): ActionDefinition<K, V> {
  return definition;
}

/** How long an effect may take to show before the runner stops waiting (AWS is eventually consistent). */
export const DEFAULT_WAIT_MS = 10_000;
const INTERVAL_MS = 300;

export interface EffectCheck<V> {
  verified: boolean;
  /** The last value read, when any read succeeded. */
  seen?: { value: V };
  /** The last read's error, when the last read failed. */
  readError?: string;
}

/** Re-reads until `check` passes or `timeoutMs` runs out; a failing read is retried, not taken as an answer. */
export async function waitForEffect<V>(
  read: () => Promise<V>,
  check: (value: V) => boolean,
  timeoutMs = DEFAULT_WAIT_MS,
  intervalMs = INTERVAL_MS,
): Promise<EffectCheck<V>> {
  const deadline = Date.now() + timeoutMs;
  let seen: { value: V } | undefined;
  let readError: string | undefined;
  for (;;) {
    try {
      const value = await read();
      seen = { value };
      readError = undefined;
      if (check(value)) return { verified: true, seen };
    } catch (error) {
      readError = (error as Error).message;
    }
    if (Date.now() >= deadline) return { verified: false, ...(seen ? { seen } : {}), ...(readError ? { readError } : {}) };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface Settled {
  status: Exclude<ActionStatus, 'running'>;
  result?: unknown;
  error?: PlainError;
}

/**
 * The end of an applied action. Written, it succeeds only when a re-read verifies the effect; otherwise it is
 * `failed` with what was last seen, or `unknown outcome` when no re-read could be made at all.
 */
export async function settle<K extends ActionKind, V>(
  definition: ActionDefinition<K, V>,
  params: ActionParams<K>,
  plan: ActionPlan,
  applied: Written<V> | Interrupted,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<Settled> {
  if (applied.status !== 'written')
    return { status: applied.status, result: applied.result, error: { status: 409, code: applied.status, message: applied.message } };
  const timeoutMs = options.timeoutMs ?? applied.waitMs ?? DEFAULT_WAIT_MS;
  const check = await waitForEffect(applied.read, (value) => definition.verified(value, params, plan), timeoutMs, options.intervalMs);
  if (check.verified && check.seen) return { status: 'succeeded', result: definition.result(check.seen.value, params, plan) };
  const waited = `${Math.round(timeoutMs / 100) / 10} s`;
  if (!check.seen)
    return {
      status: 'unknown outcome',
      error: {
        status: 502,
        code: 'unknown-outcome',
        message: `The change was accepted, but it could not be read back within ${waited} (${check.readError ?? 'no answer'}); check it before retrying.`,
      },
    };
  return {
    status: 'failed',
    result: { lastSeen: check.seen.value },
    error: {
      status: 502,
      code: 'not-verified',
      message: `The change was accepted, but after ${waited} the re-read still shows ${definition.describe(check.seen.value)}.`,
    },
  };
}
