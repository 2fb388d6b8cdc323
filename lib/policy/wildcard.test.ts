import { describe, expect, it } from 'vitest';
import { matchesGlob } from '@/lib/auth/glob';
import { ipInRange } from './ip-address';
import { parseVariables, resolveVariables } from './policy-variables';
import { WildcardPattern, wildcardMatch } from './wildcard';

// A backtracking reference to compare against on small inputs (exponential on purpose; never used by the product).
function reference(pattern: string, value: string): boolean {
  if (pattern === '') return value === '';
  if (pattern[0] === '*') return reference(pattern.slice(1), value) || (value !== '' && reference(pattern, value.slice(1)));
  if (value === '') return false;
  return (pattern[0] === '?' || pattern[0] === value[0]) && reference(pattern.slice(1), value.slice(1));
}

describe('wildcardMatch', () => {
  it.each([
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*', 'abc', true],
    ['*c', 'abc', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*a*b', 'aaaaab', true],
    ['*a*a*b', 'aaaaa', false],
    ['a*b*c', 'abbbc', true],
    ['a*b*c', 'acb', false],
    ['s3:Get*', 's3:GetObject', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/', true],
    ['??', 'é€', true],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('agrees with a backtracking matcher on every short pattern over {a,b,?,*} and value over {a,b}', () => {
    const alphabet = ['a', 'b', '?', '*'];
    const patterns: string[] = [''];
    for (let len = 1; len <= 4; len++)
      for (const p of [...patterns]) if (p.length === len - 1) for (const c of alphabet) patterns.push(p + c);
    const values: string[] = [''];
    for (let len = 1; len <= 5; len++)
      for (const v of [...values]) if (v.length === len - 1) for (const c of ['a', 'b']) values.push(v + c);
    for (const p of patterns) for (const v of values) expect(wildcardMatch(p, v), `${p} vs ${v}`).toBe(reference(p, v));
  });

  it('handles segments longer than 32 characters with ? (multi-word Shift-And)', () => {
    const segment = 'x'.repeat(40) + '?' + 'y'.repeat(30);
    expect(wildcardMatch(`*${segment}*`, `zz${'x'.repeat(40)}Q${'y'.repeat(30)}zz`)).toBe(true);
    expect(wildcardMatch(`*${segment}*`, `zz${'x'.repeat(40)}${'y'.repeat(30)}zz`)).toBe(false);
  });

  it('answers a pathological pattern against a 10,000-character value (a backtracking regex would not finish)', () => {
    const value = 'a'.repeat(10_000);
    expect(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*b', value)).toBe(false);
    expect(wildcardMatch('*a?a*a?a*a?a*a?a*', value)).toBe(true);
  });

  it('ignores case only when asked (actions), never for resources', () => {
    expect(wildcardMatch('S3:GETOBJECT', 's3:GetObject', true)).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::Bucket', 'arn:aws:s3:::bucket')).toBe(false);
  });

  it('treats literal pieces (substituted variables) as text', () => {
    const p = WildcardPattern.compile([
      { text: 'home/', literal: false },
      { text: 'a*?', literal: true },
      { text: '/*', literal: false },
    ]);
    expect(p.matches('home/a*?/x')).toBe(true);
    expect(p.matches('home/abc/x')).toBe(false);
  });

  it('backs the team scope globs (one matcher)', () => {
    expect(matchesGlob('team-*', 'team-a')).toBe(true);
    expect(matchesGlob('team-?', 'team-ab')).toBe(false);
    expect(matchesGlob('a.b', 'axb')).toBe(false);
  });
});

describe('policy variables (reference_policies_variables)', () => {
  const lookup = (key: string) =>
    key.toLowerCase() === 'aws:principaltag/team' ? { kind: 'present' as const, values: ['data'] } : { kind: 'absent' as const };

  it('parses escapes, variables and defaults with doubled quotes', () => {
    expect(parseVariables("a${*}b${aws:username, 'it''s'}${$}")).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'literal', text: '*' },
      { kind: 'text', text: 'b' },
      { kind: 'variable', key: 'aws:username', fallback: "it's" },
      { kind: 'literal', text: '$' },
    ]);
  });

  it('substitutes once: a default holding ${…} stays text', () => {
    const r = resolveVariables("x/${aws:username, '${aws:PrincipalTag/team}'}", lookup);
    expect(r).toEqual({
      kind: 'resolved',
      pieces: [
        { text: 'x/', literal: false },
        { text: '${aws:PrincipalTag/team}', literal: true },
      ],
    });
  });

  it('a variable with no value and no default is no-value; a multi-valued key is no value', () => {
    expect(resolveVariables('${aws:username}', lookup).kind).toBe('no-value');
    expect(resolveVariables('${k}', () => ({ kind: 'present', values: ['a', 'b'] })).kind).toBe('no-value');
  });

  it('an unterminated ${ is plain text', () => {
    expect(parseVariables('a${b')).toEqual([{ kind: 'text', text: 'a${b' }]);
  });
});

describe('ipInRange', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.7', true],
    ['203.0.113.0/24', '203.0.114.7', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['::ffff:10.0.0.0/104', '::ffff:10.1.2.3', true],
    ['10.0.0.0/8', '2001:db8::1', false],
  ])('%s contains %s: %s', (range, address, expected) => {
    expect(ipInRange(range, address)).toBe(expected);
  });

  it('is null for something that is not an address', () => {
    expect(ipInRange('10.0.0.0/33', '10.0.0.1')).toBeNull();
    expect(ipInRange('nonsense', '10.0.0.1')).toBeNull();
  });
});
