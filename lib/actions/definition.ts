import type { z } from 'zod';
import type { ActionContext } from './action-context';
import type { ActionKind } from './schemas';
import type { ActionPlan, ActionProgressReport } from './types';

// One action module = one ActionDefinition (design.md "Actions: plan → preflight → apply → verify").

export interface JobHandle {
  id: string;
  report(progress: ActionProgressReport): void;
  cancelled(): boolean;
}

export interface ApplyOutcome {
  status: 'succeeded' | 'stuck' | 'cancelled';
  result: unknown;
  /** Why a job is stuck or what cancelling left behind. */
  message?: string;
}

export interface ActionDefinition<S extends z.ZodType = z.ZodType> {
  type: ActionKind;
  schema: S;
  /** The Kubernetes Event reason recorded on the service account after applying. */
  eventReason: string;
  /** No writes: preflight checks, the exact requests and the equivalents. */
  plan(params: z.output<S>, ctx: ActionContext): Promise<ActionPlan>;
  /** The writes, then a re-read until the effect is visible (verify). Throws on failure. */
  apply(params: z.output<S>, plan: ActionPlan, ctx: ActionContext, job: JobHandle): Promise<ApplyOutcome>;
  /** Only long actions can be cancelled while running. */
  cancellable?: boolean;
}

export function defineAction<S extends z.ZodType>(definition: ActionDefinition<S>): ActionDefinition<S> {
  return definition;
}

/** Re-reads until `check` says the effect is visible, for at most `timeoutMs`. */
export async function waitUntil<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
