import { Cron } from 'croner';
import { parseGoDurationSeconds } from './duration';

// K3s/RKE2 schedule etcd snapshots with `etcd-snapshot-schedule-cron` (default "0 */12 * * *"), parsed by
// robfig/cron's standard parser: 5 fields, the @hourly/@daily/… descriptors, and "@every <Go duration>".
// croner evaluates the 5-field form (no dependencies, DST-aware); "@every" is read here. Times are taken in
// UTC: the records carry no time zone, and a server's local zone only shifts the runs, not the gaps.

export const DEFAULT_ETCD_SCHEDULE_CRON = '0 */12 * * *';

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

// Long enough to see a weekly or monthly pattern's widest gap; bounded in runs for minute-level schedules.
const HORIZON_SECONDS = 400 * 86_400;
const MAX_RUNS = 3000;

/**
 * The schedule's interval in seconds: the widest gap between consecutive runs, so a schedule like
 * "0 2 * * 1-5" (weekdays) is judged by its weekend gap and never flags a Monday morning.
 * Throws an Error naming the expression when K3s would not accept it.
 */
export function scheduleIntervalSeconds(expression: string): number {
  const cached = intervalByExpression.get(expression);
  if (cached !== undefined) return cached;
  const seconds = computeInterval(expression);
  intervalByExpression.set(expression, seconds);
  return seconds;
}

const intervalByExpression = new Map<string, number>();
// A fixed start keeps the result a pure function of the expression (a monthly gap is 31 days from any year's January).
const REFERENCE = new Date('2026-01-01T00:00:00Z');

function computeInterval(expression: string): number {
  const reference = REFERENCE;
  const text = expression.trim();
  if (text.startsWith('@every')) {
    const seconds = parseGoDurationSeconds(text.slice('@every'.length));
    if (!(seconds > 0)) throw new Error(`cron schedule "${expression}": @every needs a positive duration`);
    return seconds;
  }
  const pattern = DESCRIPTORS[text] ?? text;
  if (pattern.startsWith('@')) throw new Error(`cron schedule "${expression}": unknown descriptor`);
  if (pattern.split(/\s+/).length !== 5) {
    throw new Error(`cron schedule "${expression}" must have the 5 standard fields (minute hour day-of-month month day-of-week)`);
  }
  let cron: Cron;
  try {
    cron = new Cron(pattern, { paused: true, timezone: 'UTC', mode: '5-part' });
  } catch (error) {
    throw new Error(`cron schedule "${expression}" is invalid: ${(error as Error).message}`);
  }
  const end = reference.getTime() + HORIZON_SECONDS * 1000;
  let previous = cron.nextRun(reference);
  if (!previous) throw new Error(`cron schedule "${expression}" never runs`);
  let widest = 0;
  for (let runs = 0; runs < MAX_RUNS; runs++) {
    const next = cron.nextRun(previous);
    if (!next) break;
    widest = Math.max(widest, (next.getTime() - previous.getTime()) / 1000);
    if (next.getTime() > end) break;
    previous = next;
  }
  if (widest === 0) throw new Error(`cron schedule "${expression}" runs only once`);
  return widest;
}
