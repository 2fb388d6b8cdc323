import { wildcardMatch } from '@/lib/policy/wildcard';

/** Matches a cluster or namespace name against a pattern where * is any run of characters and ? one character (the policy matcher, linear in the name). */
export function matchesGlob(pattern: string, name: string): boolean {
  return wildcardMatch(pattern, name);
}
