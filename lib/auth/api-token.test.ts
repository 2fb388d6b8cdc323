import { describe, expect, it } from 'vitest';
import { bearerToken, findApiToken, sha256Hex } from './api-token';

describe('API tokens', () => {
  const tokens = [
    { sha256: sha256Hex('payments-ci-token'), subject: 'payments-ci', team: 'payments', role: 'viewer' as const },
    { sha256: sha256Hex('search-bot-token').toUpperCase(), subject: 'search-bot', team: 'search', role: 'operator' as const },
  ];

  it('finds the entry whose hash matches, case-insensitively on the configured hex', () => {
    expect(findApiToken('payments-ci-token', tokens)?.subject).toBe('payments-ci');
    expect(findApiToken('search-bot-token', tokens)?.subject).toBe('search-bot');
  });

  it('rejects unknown tokens and the hash itself used as a token', () => {
    expect(findApiToken('payments-ci-token ', tokens)).toBeUndefined();
    expect(findApiToken(tokens[0].sha256, tokens)).toBeUndefined();
    expect(findApiToken('x', [])).toBeUndefined();
  });

  it('reads only Bearer credentials', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });

  it('hashes with SHA-256 hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
