// The simulator's one clock: everything (relative times, pod ages, rollout delays) reads it, so that
// tests can move time with advance() instead of sleeping.
export class SimClock {
  private offsetMs: number;

  constructor(start?: Date) {
    this.offsetMs = start ? start.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowIso(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const RELATIVE = /^-(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function isRelativeTime(value: string): boolean {
  return RELATIVE.test(value);
}

/** "-3h" relative to `now`, as RFC 3339 without milliseconds (the form Kubernetes prints). */
export function resolveRelativeTime(value: string, now: Date): string {
  const match = RELATIVE.exec(value);
  if (!match) return value;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Replaces every string that is exactly a relative time, at any depth (scenario-format.md). */
export function resolveRelativeTimesDeep<T>(value: T, now: Date): T {
  if (typeof value === 'string') return (isRelativeTime(value) ? resolveRelativeTime(value, now) : value) as T;
  if (Array.isArray(value)) return value.map((v) => resolveRelativeTimesDeep(v, now)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveRelativeTimesDeep(v, now);
    return out as T;
  }
  return value;
}
