import { describe, expect, it } from 'vitest';
import { formatAge } from '@/lib/console/format';
import { parseDurationSeconds } from './duration';

describe('Restate durations', () => {
  it('reads the humantime forms Restate accepts', () => {
    expect(parseDurationSeconds('1h')).toBe(3600);
    expect(parseDurationSeconds('30m')).toBe(1800);
    expect(parseDurationSeconds('1h 30m')).toBe(5400);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('90s')).toBe(90);
    expect(parseDurationSeconds('2days')).toBe(172_800);
    expect(parseDurationSeconds('1week')).toBe(604_800);
    expect(parseDurationSeconds('1M')).toBe(2_630_016); // a month, not a minute
    expect(parseDurationSeconds('500ms')).toBe(0.5);
  });

  it('reads ISO 8601 durations', () => {
    expect(parseDurationSeconds('PT1H')).toBe(3600);
    expect(parseDurationSeconds('P1DT30M')).toBe(88_200);
  });

  it('rejects what Restate would reject, saying why', () => {
    expect(() => parseDurationSeconds('')).toThrow('invalid duration "": it is empty');
    expect(() => parseDurationSeconds('1 fortnight')).toThrow('unknown unit "fortnight"');
    expect(() => parseDurationSeconds('60')).toThrow('expected a number and a unit');
    expect(() => parseDurationSeconds('1.5h')).toThrow('invalid duration "1.5h"');
  });

  it('formats ages for titles', () => {
    expect(formatAge(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatAge(5400)).toBe('1 h 30 min');
    expect(formatAge(42)).toBe('42 s');
  });
});
