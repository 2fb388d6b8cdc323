import * as client from 'openid-client';
import type { AuthConfig } from './config-schema';
import { groupsFromClaim } from './alb';
import { sealFlow, openFlow, type SessionContents } from './session';

/**
 * OIDC authorization code + PKCE with openid-client v6 (by the author of jose/oidc-provider, certified
 * relying-party library, no dependencies beyond oauth4webapi and jose, no install scripts).
 */

/** Why a sign-in failed: the /signin page shows only these codes, each with the console's own text (sign-in-errors.ts). */
export type SignInErrorCode = 'flow-expired' | 'idp-refused' | 'no-id-token';

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface OidcSettings {
  oidc: NonNullable<AuthConfig['oidc']>;
  clientSecret: string;
  sessionSecret: string;
  sessionMaxAgeSeconds: number;
  /** How old a session's groups may get before they are read from the IdP again (default 900 s). */
  groupsRefreshSeconds: number;
  /** Cookies Secure and __Host- prefixed: the console's public URL is https. */
  secureCookies: boolean;
}

const discovered = new Map<string, Promise<client.Configuration>>();

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Discovery is cached per issuer; a failure is not cached so the next sign-in retries. */
export function oidcConfiguration(settings: OidcSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.oidc.issuer);
  const key = `${issuer.href}|${settings.oidc.clientId}`;
  let pending = discovered.get(key);
  if (!pending) {
    // Plain http is allowed only for an issuer on loopback (the local dev/test provider).
    const options = isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
    pending = client.discovery(issuer, settings.oidc.clientId, settings.clientSecret, undefined, options);
    discovered.set(key, pending);
    pending.catch(() => discovered.delete(key));
  }
  return pending;
}

export function redirectUri(oidc: OidcSettings['oidc']): string {
  if (oidc.redirectUrl) return oidc.redirectUrl;
  return new URL('/auth/callback', oidc.baseUrl).href;
}

const RETURN_TO_BASE = 'http://console.invalid';

/**
 * Only same-origin paths are accepted as the post-sign-in destination (no open redirect). The value is
 * judged the way a browser will read it: control characters and whitespace (which the URL parser drops, so
 * "/\t/evil.example" becomes "//evil.example") and backslashes (read as "/") are refused outright, then the
 * path is resolved against a placeholder origin and must stay on it. The normalized path is what is kept.
 */
export function safeReturnTo(returnTo: string | null | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.length > 2048) return '/';
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(returnTo)) return '/';
  let resolved: URL;
  try {
    resolved = new URL(returnTo, RETURN_TO_BASE);
  } catch {
    return '/';
  }
  if (resolved.origin !== RETURN_TO_BASE) return '/';
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}

export async function beginSignIn(
  settings: OidcSettings,
  returnTo: string | null | undefined,
): Promise<{ authorizationUrl: string; flowCookie: string }> {
  const configuration = await oidcConfiguration(settings);
  const codeVerifier = client.randomPKCECodeVerifier();
  const flow = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, returnTo: safeReturnTo(returnTo) };
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri(settings.oidc),
    scope: settings.oidc.scopes.join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: flow.state,
    nonce: flow.nonce,
  });
  return { authorizationUrl: authorizationUrl.href, flowCookie: await sealFlow(flow, settings.sessionSecret) };
}

/** Exchanges the code (checking state, nonce and the PKCE verifier) and returns who signed in, for the session store. */
export async function completeSignIn(
  settings: OidcSettings,
  callbackUrl: URL,
  flowCookie: string | undefined,
): Promise<{ session: SessionContents; returnTo: string }> {
  const flow = await openFlow(flowCookie, settings.sessionSecret);
  if (!flow) throw new SignInError('flow-expired', 'the sign-in attempt expired or was started in another browser; sign in again');
  const configuration = await oidcConfiguration(settings);
  // The callback URL the handler sees may carry an internal host; the IdP checks the registered redirect URI.
  const current = new URL(redirectUri(settings.oidc));
  current.search = callbackUrl.search;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new SignInError(
      'idp-refused',
      `the identity provider refused the sign-in: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const claims = tokens.claims();
  if (!claims) throw new SignInError('no-id-token', 'the identity provider returned no ID token');
  const identity = await identityFromTokens(settings, configuration, tokens, claims.sub);
  const session: SessionContents = { ...identity, via: 'oidc', idToken: tokens.id_token, refreshToken: tokens.refresh_token };
  return { session, returnTo: flow.returnTo };
}

type TokenSet = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

async function identityFromTokens(
  settings: OidcSettings,
  configuration: client.Configuration,
  tokens: TokenSet,
  subject: string,
): Promise<{ subject: string; email?: string; name?: string; groups: string[] }> {
  const claims: Record<string, unknown> = tokens.claims() ?? { sub: subject };
  let groupsClaim: unknown = claims[settings.oidc.groupsClaim];
  let email = typeof claims.email === 'string' ? claims.email : undefined;
  let name = typeof claims.name === 'string' ? claims.name : undefined;
  if (groupsClaim === undefined || email === undefined) {
    // Many IdPs put groups/email only in userinfo unless configured otherwise.
    const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, subject);
    groupsClaim ??= userinfo[settings.oidc.groupsClaim];
    email ??= typeof userinfo.email === 'string' ? userinfo.email : undefined;
    name ??= typeof userinfo.name === 'string' ? userinfo.name : undefined;
  }
  return { subject, email, name, groups: groupsFromClaim(groupsClaim) };
}

/**
 * Reads a signed-in user's groups from the IdP again with the session's refresh token (issue 10: a user removed
 * from a group loses its scope within groupsRefreshSeconds). Throws when the IdP refuses: the session then ends
 * and the user signs in again, which reads the groups anew.
 */
export async function refreshGroups(
  settings: OidcSettings,
  subject: string,
  refreshToken: string,
): Promise<{ groups: string[]; refreshToken?: string }> {
  const configuration = await oidcConfiguration(settings);
  const tokens = await client.refreshTokenGrant(configuration, refreshToken);
  const claims = tokens.claims();
  if (claims && claims.sub !== subject) throw new Error('the identity provider answered the refresh for another subject');
  const identity = await identityFromTokens(settings, configuration, tokens, subject);
  return { groups: identity.groups, refreshToken: tokens.refresh_token };
}

/** The IdP's end_session URL when it advertises one, else undefined (the console then just clears its cookie). */
export async function endSessionUrl(
  settings: OidcSettings,
  idToken: string | undefined,
  postLogoutRedirect: string,
): Promise<string | undefined> {
  const configuration = await oidcConfiguration(settings);
  if (!configuration.serverMetadata().end_session_endpoint) return undefined;
  const parameters: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirect, client_id: settings.oidc.clientId };
  if (idToken) parameters.id_token_hint = idToken;
  return client.buildEndSessionUrl(configuration, parameters).href;
}
