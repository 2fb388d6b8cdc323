import { describe, expect, it } from 'vitest';
import { ContinuationGuard, MAX_LIST_PAGES, ReadLimitError } from './read-limits';

describe('ContinuationGuard', () => {
  it('refuses a token it has seen before (a looping server)', () => {
    const guard = new ContinuationGuard('list pods');
    expect(guard.next('a')).toBe('a');
    expect(guard.next('b')).toBe('b');
    expect(() => guard.next('a')).toThrow(ReadLimitError);
  });
  it('stops after MAX_LIST_PAGES pages of fresh tokens', () => {
    const guard = new ContinuationGuard('ListObjectsV2');
    expect(() => {
      for (let page = 0; page <= MAX_LIST_PAGES; page++) guard.next(`t${page}`);
    }).toThrow(/more than 2000 pages/);
  });
  it('ends at an empty token', () => {
    expect(new ContinuationGuard('x').next('')).toBeUndefined();
  });
});
