// Restate's `snapshot-interval` as the simulated Restate server reads it, kept apart from the console's own parser
// (lib/snapshots/duration.ts) so the simulator can disagree with it and the tests can catch that. Restate's
// FriendlyDuration (restatedev/restate crates/time-util) takes humantime ("1h", "1h 30m", "90s", "2days") or an
// ISO 8601 duration ("PT1H"). Humantime's unit names are listed in its parser (humantime src/duration.rs).

const SECONDS_PER_UNIT = new Map<string, number>([
  ...['nanos', 'nsec', 'ns'].map((unit) => [unit, 1e-9] as const),
  ...['usec', 'us', 'µs'].map((unit) => [unit, 1e-6] as const),
  ...['millis', 'msec', 'ms'].map((unit) => [unit, 1e-3] as const),
  ...['seconds', 'second', 'sec', 'secs', 's'].map((unit) => [unit, 1] as const),
  ...['minutes', 'minute', 'min', 'mins', 'm'].map((unit) => [unit, 60] as const),
  ...['hours', 'hour', 'hr', 'hrs', 'h'].map((unit) => [unit, 3_600] as const),
  ...['days', 'day', 'd'].map((unit) => [unit, 86_400] as const),
  ...['weeks', 'week', 'w'].map((unit) => [unit, 604_800] as const),
  // humantime: a month is 30.44 days, a year 365.25 days; "M" is a month and "m" a minute.
  ...['months', 'month', 'M'].map((unit) => [unit, 2_630_016] as const),
  ...['years', 'year', 'y'].map((unit) => [unit, 31_557_600] as const),
]);

function isoSeconds(text: string): number | null {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  if (!match || text.length < 3) return null;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(weeks) * 604_800 + Number(days) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
}

function humantimeSeconds(text: string): number | null {
  const pieces = [...text.matchAll(/(\d+)\s*([^\d\s]+)\s*/g)];
  if (pieces.length === 0 || pieces.map((piece) => piece[0]).join('') !== text) return null;
  let total = 0;
  for (const [, amount, unit] of pieces) {
    const perUnit = SECONDS_PER_UNIT.get(unit);
    if (perUnit === undefined) return null;
    total += Number(amount) * perUnit;
  }
  return total;
}

/** The interval in milliseconds, or null when Restate would refuse it (or it is not positive). */
export function restateDurationMs(input: string): number | null {
  const text = input.trim();
  if (text === '') return null;
  const seconds = isoSeconds(text) ?? humantimeSeconds(text);
  return seconds !== null && seconds > 0 ? seconds * 1000 : null;
}
