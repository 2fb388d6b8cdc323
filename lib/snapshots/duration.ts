// Durations as Restate reads them. Restate's config type `FriendlyDuration` accepts the humantime
// format ("1h", "30m", "1h 30m", "90s", "2days") and ISO 8601 ("PT1H"); see restatedev/restate
// crates/time-util and the humantime crate's unit table, which is mirrored below.

const UNIT_SECONDS: Record<string, number> = {
  nsec: 1e-9,
  ns: 1e-9,
  usec: 1e-6,
  us: 1e-6,
  µs: 1e-6,
  msec: 1e-3,
  ms: 1e-3,
  seconds: 1,
  second: 1,
  sec: 1,
  secs: 1,
  s: 1,
  minutes: 60,
  minute: 60,
  min: 60,
  mins: 60,
  m: 60,
  hours: 3600,
  hour: 3600,
  hr: 3600,
  hrs: 3600,
  h: 3600,
  days: 86_400,
  day: 86_400,
  d: 86_400,
  weeks: 604_800,
  week: 604_800,
  w: 604_800,
  // humantime: a month is 30.44 days and a year 365.25 days.
  months: 2_630_016,
  month: 2_630_016,
  M: 2_630_016,
  years: 31_557_600,
  year: 31_557_600,
  y: 31_557_600,
};

const ISO_8601 = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export class DurationFormatError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid duration "${input}": ${reason}`);
    this.name = 'DurationFormatError';
  }
}

/** Parses a Restate duration ("1h", "1h 30m", "90s", "PT1H") into seconds. Throws DurationFormatError. */
export function parseDurationSeconds(input: string): number {
  const text = input.trim();
  if (text === '') throw new DurationFormatError(input, 'it is empty');
  const iso = ISO_8601.exec(text);
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, weeks, days, hours, minutes, seconds] = iso;
    return (
      Number(weeks ?? 0) * 604_800 +
      Number(days ?? 0) * 86_400 +
      Number(hours ?? 0) * 3600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)
    );
  }
  // humantime: one or more "<integer><unit>" pairs, optionally separated by whitespace.
  const part = /(\d+)\s*([a-zA-Zµ]+)\s*/y;
  let total = 0;
  let index = 0;
  let parts = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match)
      throw new DurationFormatError(input, `cannot read "${text.slice(index)}" (expected a number and a unit such as 30m, 1h, 2days)`);
    // Units are case-sensitive as in humantime: "M" is a month, "m" a minute.
    const unit = Object.hasOwn(UNIT_SECONDS, match[2]) ? UNIT_SECONDS[match[2]] : undefined;
    if (unit === undefined) throw new DurationFormatError(input, `unknown unit "${match[2]}"`);
    total += Number(match[1]) * unit;
    index = part.lastIndex;
    parts += 1;
  }
  if (parts === 0) throw new DurationFormatError(input, 'no duration found');
  return total;
}

/** Go's time.ParseDuration format ("1h30m", "1.5h"), used by robfig/cron's "@every". */
export function parseGoDurationSeconds(input: string): number {
  const text = input.trim();
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  if (text === '0') return 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) throw new DurationFormatError(input, `cannot read "${text.slice(index)}" as a Go duration (e.g. 6h, 1h30m)`);
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
    index = part.lastIndex;
  }
  if (index === 0) throw new DurationFormatError(input, 'it is empty');
  return total;
}
