import { evaluateTrustPolicy } from '../lib/policy/policy-evaluator';
import { wildcardMatch } from '../lib/policy/wildcard';

// The wildcard matcher is linear in the value whatever the pattern (lib/policy/wildcard.ts). This section shows
// it on a pathological StringLike pattern against a 10,000-character value, next to the backtracking regex the
// console used before, which is polynomial in the value for this pattern (so it is timed on short values only).

const PATTERN = '*a*a*a*a*a*a*b*';

function time(run: () => unknown, repeat = 1): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

function backtrackingRegex(pattern: string): RegExp {
  let source = '^';
  for (const ch of pattern) source += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(source + '$');
}

export async function benchPolicy(): Promise<void> {
  console.log(`\n== policy: StringLike "${PATTERN}" against a value of n × "a" (never matches)`);
  const value = 'a'.repeat(10_000);
  const direct = time(() => wildcardMatch(PATTERN, value), 20);
  console.log(`  matcher, n = 10,000: ${direct.toFixed(3)} ms per match (target: linear, well under 10 ms)`);
  const policy = {
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: '*' as const,
        Action: 'sts:AssumeRole',
        Condition: { StringLike: { 'aws:RequestTag/x': PATTERN } },
      },
    ],
  };
  const viaPolicy = time(
    () =>
      evaluateTrustPolicy(policy, {
        principal: { aws: 'arn:aws:iam::111122223333:role/r' },
        action: 'sts:AssumeRole',
        keys: { 'aws:RequestTag/x': value },
        otherKeys: 'absent',
      }),
    20,
  );
  console.log(`  the same through a trust-policy condition: ${viaPolicy.toFixed(3)} ms per evaluation`);
  for (const n of [16, 24, 32]) {
    const re = backtrackingRegex(PATTERN);
    const short = 'a'.repeat(n);
    const regexMs = time(() => re.test(short));
    const matcherMs = time(() => wildcardMatch(PATTERN, short), 100);
    console.log(`  n = ${n}: backtracking regex ${regexMs.toFixed(2)} ms, matcher ${matcherMs.toFixed(4)} ms`);
  }
  console.log('  (the regex grows with n^6 here: at n = 10,000 it would not finish)');
}
