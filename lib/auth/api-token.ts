import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from './config-schema';

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Reads `Authorization: Bearer <token>`; undefined when there is no bearer credential. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * Finds the configured token whose hash equals sha256(token). Every entry is compared in constant time and
 * the loop never exits early, so timing does not reveal how many hashes were checked or how much matched.
 */
export function findApiToken(token: string, apiTokens: AuthConfig['apiTokens']): AuthConfig['apiTokens'][number] | undefined {
  const presented = Buffer.from(sha256Hex(token), 'hex');
  let found: AuthConfig['apiTokens'][number] | undefined;
  for (const entry of apiTokens) {
    const expected = Buffer.from(entry.sha256.toLowerCase(), 'hex');
    if (expected.length === presented.length && timingSafeEqual(expected, presented) && !found) found = entry;
  }
  return found;
}
