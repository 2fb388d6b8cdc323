import type { SimClock } from './clock';
import type { FaultDecision, FaultLayer, FaultService, FaultSpec } from './world';

// One fault layer in front of every simulated handler (AWS and Kubernetes). A fault matches by service,
// operation ("*" matches any operation) and, when it names one, the cluster. Throttle faults are token
// buckets: `perSecond` tokens refill continuously (on the sim clock, so advancing time refills them too);
// a request that finds the bucket empty is throttled.

interface ActiveFault {
  spec: FaultSpec & { id: string };
  tokens: number;
  refilledAtMs: number;
}

export function createFaultLayer(clock: SimClock, initial: FaultSpec[], random: () => number = Math.random): FaultLayer {
  const faults = new Map<string, ActiveFault>();
  let sequence = 0;

  function add(fault: FaultSpec): string {
    const id = fault.id ?? `fault-${++sequence}`;
    if (faults.has(id)) throw new Error(`a fault with id "${id}" already exists`);
    const perSecond = fault.throttle?.perSecond ?? 0;
    faults.set(id, { spec: { ...fault, id }, tokens: Math.max(1, perSecond), refilledAtMs: clock.now().getTime() });
    return id;
  }

  function takeToken(active: ActiveFault): boolean {
    const perSecond = active.spec.throttle!.perSecond;
    const capacity = Math.max(1, perSecond);
    const nowMs = clock.now().getTime();
    active.tokens = Math.min(capacity, active.tokens + ((nowMs - active.refilledAtMs) / 1000) * perSecond);
    active.refilledAtMs = nowMs;
    if (active.tokens >= 1) {
      active.tokens -= 1;
      return false;
    }
    return true;
  }

  for (const fault of initial) add(fault);

  return {
    evaluate(service: FaultService, operation: string, cluster?: string): FaultDecision | null {
      if (faults.size === 0) return null;
      let decision: FaultDecision | null = null;
      for (const active of faults.values()) {
        const spec = active.spec;
        if (spec.service !== service) continue;
        if (spec.operation !== '*' && spec.operation !== operation) continue;
        if (spec.cluster !== undefined && spec.cluster !== cluster) continue;
        // A throttle counts every matching request against its rate; probability applies to the others.
        if (spec.throttle) {
          if (takeToken(active)) (decision ??= {}).throttled = true;
          continue;
        }
        if (spec.probability < 1 && random() >= spec.probability) continue;
        decision ??= {};
        if (spec.latencyMs !== undefined) decision.latencyMs = (decision.latencyMs ?? 0) + spec.latencyMs;
        if (spec.error && !decision.error) decision.error = { ...spec.error };
        if (spec.hang) decision.hang = true;
      }
      return decision;
    },
    add,
    remove(id: string): boolean {
      return faults.delete(id);
    },
    clear(): void {
      faults.clear();
    },
    list(): FaultSpec[] {
      return [...faults.values()].map((f) => ({ ...f.spec }));
    },
  };
}
