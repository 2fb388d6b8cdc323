import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { apiError } from '@/lib/http/errors';
import { AlbTokenError, verifyAlbOidcData } from './alb';
import { bearerToken, findApiToken } from './api-token';
import { consoleAuthConfig, oidcSettingsFrom, type ConsoleAuthConfig } from './console-auth-config';
import { isHttpsConsole } from '@/lib/http/public-origin';
import { identityFromOAuth2Proxy } from './oauth2-proxy';
import { resolvePrincipal, resolveTokenPrincipal, type Principal } from './principal';
import { scopeFor, type Scope } from './scope';
import { refreshGroups } from './oidc';
import { sessionCookieName } from './session';
import { sessionStore, type SessionRecord, type SessionStore } from './session-store';

export const LOCAL_USER = 'local-admin';

/** The caller, from request headers and the session cookie; undefined when unauthenticated. Pure of Next APIs. */
export async function principalFrom(
  requestHeaders: Headers,
  sessionCookie: string | undefined,
  config: ConsoleAuthConfig,
  sessions: SessionStore = sessionStore(),
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
    if (!sessionCookie) return undefined;
    const session = await sessions.find(sessionCookie);
    if (!session) return undefined;
    const groups = await currentGroups(session, config, sessions);
    if (!groups) return undefined;
    return resolvePrincipal(
      { subject: session.subject, email: session.email, name: session.name, groups, via: 'oidc', sessionId: session.id },
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

/** Refreshes under way, per session: a rotated refresh token must be used once, not by two requests at once. */
const refreshing = new Map<string, Promise<string[] | undefined>>();

/**
 * The session's groups, read from the IdP again once older than groupsRefreshSeconds (refresh token grant).
 * Without a refresh token, or when the IdP refuses, the session ends: the user signs in again, which reads the
 * groups anew. Either way a user removed from a group loses its scope within that time.
 */
async function currentGroups(session: SessionRecord, config: ConsoleAuthConfig, sessions: SessionStore): Promise<string[] | undefined> {
  const settings = oidcSettingsFrom(config);
  if (Date.now() - Date.parse(session.groupsReadAt) < settings.groupsRefreshSeconds * 1000) return session.groups;
  let pending = refreshing.get(session.id);
  if (!pending) {
    pending = (async () => {
      if (!session.refreshToken) {
        await sessions.revoke(session.id);
        return undefined;
      }
      try {
        const refreshed = await refreshGroups(settings, session.subject, session.refreshToken);
        await sessions.updateGroups(session.id, refreshed.groups, refreshed.refreshToken);
        return refreshed.groups;
      } catch {
        await sessions.revoke(session.id);
        return undefined;
      }
    })().finally(() => refreshing.delete(session.id));
    refreshing.set(session.id, pending);
  }
  return pending;
}

export function cookieFromHeader(cookieHeader: string | null, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The session cookie's name for this console (__Host- prefixed over https). */
export function consoleSessionCookieName(config: ConsoleAuthConfig = consoleAuthConfig()): string {
  return sessionCookieName(isHttpsConsole(config.auth));
}

/** Pages/server components: `await getPrincipal()`; route handlers: `await getPrincipal(request)`. */
export async function getPrincipal(request?: Request): Promise<Principal | undefined> {
  const config = consoleAuthConfig();
  const cookieName = consoleSessionCookieName(config);
  if (request) return principalFrom(request.headers, cookieFromHeader(request.headers.get('cookie'), cookieName), config);
  const [headerList, cookieStore] = await Promise.all([headers(), cookies()]);
  return principalFrom(new Headers(headerList), cookieStore.get(cookieName)?.value, config);
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
