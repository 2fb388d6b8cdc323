import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Identity } from './principal';

/**
 * Session and sign-in-flow cookies are JWTs encrypted with jose (dir + A256GCM): confidential and tamper-proof,
 * with no server-side session table. jose is already in the tree (oidc-provider, openid-client depend on it),
 * has no dependencies and no install scripts. The key is derived from the configured secret with HKDF so the
 * session and the flow cookie use different keys.
 */
export const SESSION_COOKIE = 'wic_session';
export const FLOW_COOKIE = 'wic_oidc_flow';
const FLOW_MAX_AGE_SECONDS = 10 * 60;

function keyFor(secret: string, purpose: 'session' | 'oidc-flow'): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'workload-identity-console', purpose, 32));
}

export interface SessionContents extends Identity {
  /** Kept for the IdP's end_session id_token_hint. */
  idToken?: string;
}

export async function sealSession(session: SessionContents, secret: string, maxAgeSeconds: number): Promise<string> {
  return new EncryptJWT({ session })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`)
    .encrypt(keyFor(secret, 'session'));
}

/** The session inside the cookie, or undefined when it is missing, forged, or expired. */
export async function openSession(cookie: string | undefined, secret: string): Promise<SessionContents | undefined> {
  if (!cookie) return undefined;
  try {
    const { payload } = await jwtDecrypt(cookie, keyFor(secret, 'session'));
    const session = payload.session as SessionContents | undefined;
    return session && typeof session.subject === 'string' && Array.isArray(session.groups) ? session : undefined;
  } catch {
    return undefined;
  }
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

/** Serialises a cookie for a Set-Cookie header (route handlers also use NextResponse.cookies with the same spec). */
export function serializeCookie(spec: CookieSpec): string {
  const parts = [`${spec.name}=${spec.value}`, `Path=${spec.path}`, `Max-Age=${spec.maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (spec.secure) parts.push('Secure');
  return parts.join('; ');
}
