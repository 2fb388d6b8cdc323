import { describe, expect, it } from 'vitest';
import { restateDurationMs } from './restate-duration';

describe("the simulated Restate's snapshot-interval", () => {
  it('reads humantime and ISO 8601 as Restate does', () => {
    expect(restateDurationMs('1h')).toBe(3_600_000);
    expect(restateDurationMs('1h 30m')).toBe(5_400_000);
    expect(restateDurationMs('1h30m')).toBe(5_400_000);
    expect(restateDurationMs('90s')).toBe(90_000);
    expect(restateDurationMs('2days')).toBe(172_800_000);
    expect(restateDurationMs('PT1H')).toBe(3_600_000);
    expect(restateDurationMs('P1DT30M')).toBe(88_200_000);
    // Case matters in humantime: "M" is a month, "m" a minute.
    expect(restateDurationMs('1M')).toBe(2_630_016_000);
    expect(restateDurationMs('1m')).toBe(60_000);
  });

  it('refuses what Restate would not start with, and a zero interval', () => {
    for (const bad of ['', '   ', '1', 'h', '1 hour later', '1x', 'P', 'PT', 'PT1', '-1h', '0s', 'PT0S'])
      expect(restateDurationMs(bad), bad).toBeNull();
  });
});
