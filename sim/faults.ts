import { randomUUID } from 'node:crypto';
import type { FaultDecision, FaultLayer, FaultService, FaultSpec } from './world';

// One fault layer in front of every handler, Kubernetes and AWS alike (design.md "Faults").

interface ActiveFault extends FaultSpec {
  id: string;
  /** Token bucket for `throttle`, refilled by wall time: throttling is about request rate, and tests move the sim clock in jumps. */
  tokens: number;
  refilledAt: number;
}

function operationMatches(pattern: string, operation: string): boolean {
  if (pattern === '*' || pattern === operation) return true;
  // "list *" matches every list; "* pods" every verb on pods.
  const [patternVerb, patternResource] = pattern.split(' ');
  const [verb, resource] = operation.split(' ');
  if (patternResource === undefined || resource === undefined) return false;
  return (patternVerb === '*' || patternVerb === verb) && (patternResource === '*' || patternResource === resource);
}

export function createFaultLayer(initial: FaultSpec[] = [], random: () => number = Math.random): FaultLayer {
  const faults = new Map<string, ActiveFault>();

  const add = (spec: FaultSpec): string => {
    const id = spec.id ?? `f-${randomUUID().slice(0, 8)}`;
    const rate = spec.throttle?.perSecond ?? 0;
    faults.set(id, { ...spec, id, probability: spec.probability ?? 1, tokens: rate, refilledAt: Date.now() });
    return id;
  };
  initial.forEach(add);

  return {
    evaluate(service: FaultService, operation: string, cluster?: string): FaultDecision | null {
      const decision: FaultDecision = {};
      let matched = false;
      for (const fault of faults.values()) {
        if (fault.service !== service || !operationMatches(fault.operation, operation)) continue;
        if (fault.cluster && fault.cluster !== cluster) continue;
        if (fault.throttle) {
          const now = Date.now();
          const elapsed = Math.max(0, now - fault.refilledAt) / 1000;
          fault.tokens = Math.min(fault.throttle.perSecond, fault.tokens + elapsed * fault.throttle.perSecond);
          fault.refilledAt = now;
          if (fault.tokens >= 1) {
            fault.tokens -= 1;
            continue;
          }
          if (random() < fault.probability) {
            decision.throttled = true;
            matched = true;
          }
          continue;
        }
        if (random() >= fault.probability) continue;
        matched = true;
        if (fault.latencyMs !== undefined) decision.latencyMs = (decision.latencyMs ?? 0) + fault.latencyMs;
        if (fault.error) decision.error = fault.error;
        if (fault.hang) decision.hang = true;
      }
      return matched ? decision : null;
    },
    add,
    remove: (id: string) => faults.delete(id),
    clear: () => faults.clear(),
    list: () => [...faults.values()].map(({ tokens: _tokens, refilledAt: _refilledAt, ...spec }) => spec),
  };
}
