import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { apiError } from '@/lib/http/errors';
import { AlbTokenError, verifyAlbOidcData } from './alb';
import { bearerToken, findApiToken } from './api-token';
import { consoleAuthConfig, sessionSecret, type ConsoleAuthConfig } from './console-auth-config';
import { identityFromOAuth2Proxy } from './oauth2-proxy';
import { resolvePrincipal, resolveTokenPrincipal, type Principal } from './principal';
import { scopeFor, type Scope } from './scope';
import { openSession, SESSION_COOKIE } from './session';

export const LOCAL_USER = 'local-admin';

/** The caller, from request headers and the session cookie; undefined when unauthenticated. Pure of Next APIs. */
export async function principalFrom(
  requestHeaders: Headers,
  sessionCookie: string | undefined,
  config: ConsoleAuthConfig,
): Promise<Principal | undefined> {
  const authorization = requestHeaders.get('authorization');
  if (authorization) {
    // A request that presents a bearer credential is judged on it alone, never on a cookie it also carries.
    const token = bearerToken(authorization);
    const entry = token ? findApiToken(token, config.auth?.apiTokens ?? []) : undefined;
    return entry ? resolveTokenPrincipal(entry) : undefined;
  }
  if (config.mode === 'none') return resolvePrincipal({ subject: LOCAL_USER, name: 'Local user', groups: [], via: 'none' }, config.teams);
  if (config.mode === 'oidc') {
    const secret = sessionSecret(config.auth);
    const session = secret ? await openSession(sessionCookie, secret) : undefined;
    if (!session) return undefined;
    return resolvePrincipal(
      { subject: session.subject, email: session.email, name: session.name, groups: session.groups, via: 'oidc' },
      config.teams,
    );
  }
  const proxy = config.auth?.proxy;
  if (proxy?.type === 'alb' && proxy.alb) {
    const data = requestHeaders.get('x-amzn-oidc-data');
    if (!data) return undefined;
    try {
      return resolvePrincipal(await verifyAlbOidcData(data, proxy.alb), config.teams);
    } catch (error) {
      if (error instanceof AlbTokenError) return undefined;
      throw error;
    }
  }
  if (proxy?.type === 'oauth2-proxy' && proxy.oauth2Proxy) {
    const identity = identityFromOAuth2Proxy(requestHeaders, proxy.oauth2Proxy);
    return identity ? resolvePrincipal(identity, config.teams) : undefined;
  }
  return undefined;
}

function cookieFromHeader(cookieHeader: string | null, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Pages/server components: `await getPrincipal()`; route handlers: `await getPrincipal(request)`. */
export async function getPrincipal(request?: Request): Promise<Principal | undefined> {
  const config = consoleAuthConfig();
  if (request) return principalFrom(request.headers, cookieFromHeader(request.headers.get('cookie'), SESSION_COOKIE), config);
  const [headerList, cookieStore] = await Promise.all([headers(), cookies()]);
  return principalFrom(new Headers(headerList), cookieStore.get(SESSION_COOKIE)?.value, config);
}

/** Pages: the principal, or a redirect to the sign-in page (/signin, which offers SSO via /auth/signin) that comes back to `returnTo`. */
export async function requirePrincipal(returnTo = '/'): Promise<Principal> {
  const principal = await getPrincipal();
  if (!principal) redirect(`/signin?returnTo=${encodeURIComponent(returnTo)}`);
  return principal;
}

/** Route handlers: the principal, or a 401 JSON response (api.md error envelope) to return as is. */
export async function requireApiPrincipal(request: Request): Promise<Principal | Response> {
  const principal = await getPrincipal(request);
  if (!principal) return apiError(401, 'unauthenticated', 'Sign in, or send a valid Authorization: Bearer token.');
  return principal;
}

export function scopeOf(principal: Principal): Scope {
  return scopeFor(principal, consoleAuthConfig().teams);
}

/** For the UI banner: sign-in is off and everyone is the local admin. */
export function isAuthNoneMode(): boolean {
  return consoleAuthConfig().mode === 'none';
}
