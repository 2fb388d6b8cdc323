import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Identity } from './principal';

/**
 * The session cookie holds only a random token for the server-side session (lib/auth/session-store.ts); the
 * sign-in-flow cookie is a JWT encrypted with jose (dir + A256GCM) under a key derived from the configured
 * secret with HKDF. Over https both get the __Host- prefix (Secure, Path=/, no Domain: no sibling subdomain can
 * set or shadow them).
 */
const SESSION_COOKIE_NAME = 'wic_session';
const FLOW_COOKIE_NAME = 'wic_oidc_flow';
const FLOW_MAX_AGE_SECONDS = 10 * 60;

export function sessionCookieName(secure: boolean): string {
  return secure ? `__Host-${SESSION_COOKIE_NAME}` : SESSION_COOKIE_NAME;
}

export function flowCookieName(secure: boolean): string {
  return secure ? `__Host-${FLOW_COOKIE_NAME}` : FLOW_COOKIE_NAME;
}

function keyFor(secret: string, purpose: 'oidc-flow'): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'workload-identity-console', purpose, 32));
}

/** What sign-in learned about the user, before it is stored as a session. */
export interface SessionContents extends Identity {
  /** Kept for the IdP's end_session id_token_hint. */
  idToken?: string;
  refreshToken?: string;
}

export interface SignInFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export async function sealFlow(flow: SignInFlow, secret: string): Promise<string> {
  return new EncryptJWT({ flow })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${FLOW_MAX_AGE_SECONDS}s`)
    .encrypt(keyFor(secret, 'oidc-flow'));
}

export async function openFlow(cookie: string | undefined, secret: string): Promise<SignInFlow | undefined> {
  if (!cookie) return undefined;
  try {
    const { payload } = await jwtDecrypt(cookie, keyFor(secret, 'oidc-flow'));
    return payload.flow as SignInFlow;
  } catch {
    return undefined;
  }
}

export interface CookieSpec {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge: number;
}

export function cookieSpec(name: string, value: string, maxAge: number, secure: boolean): CookieSpec {
  return { name, value, httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge };
}

export const flowMaxAgeSeconds = FLOW_MAX_AGE_SECONDS;
