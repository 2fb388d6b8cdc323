import * as client from 'openid-client';
import type { AuthConfig } from './config-schema';
import { groupsFromClaim } from './alb';
import { sealFlow, openFlow, sealSession, type SessionContents } from './session';

/**
 * OIDC authorization code + PKCE with openid-client v6 (by the author of jose/oidc-provider, certified
 * relying-party library, no dependencies beyond oauth4webapi and jose, no install scripts).
 */

export class SignInError extends Error {}

export interface OidcSettings {
  oidc: NonNullable<AuthConfig['oidc']>;
  clientSecret: string;
  sessionSecret: string;
  sessionMaxAgeSeconds: number;
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

/** Only same-site relative paths are accepted as the post-sign-in destination (no open redirect). */
export function safeReturnTo(returnTo: string | null | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.startsWith('/\\')) return '/';
  return returnTo;
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

/** Exchanges the code (checking state, nonce and the PKCE verifier) and returns the sealed session cookie value. */
export async function completeSignIn(
  settings: OidcSettings,
  callbackUrl: URL,
  flowCookie: string | undefined,
): Promise<{ sessionCookie: string; session: SessionContents; returnTo: string }> {
  const flow = await openFlow(flowCookie, settings.sessionSecret);
  if (!flow) throw new SignInError('the sign-in attempt expired or was started in another browser; sign in again');
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
    throw new SignInError(`the identity provider refused the sign-in: ${error instanceof Error ? error.message : String(error)}`);
  }
  const claims = tokens.claims();
  if (!claims) throw new SignInError('the identity provider returned no ID token');
  let groupsClaim: unknown = claims[settings.oidc.groupsClaim];
  let email = typeof claims.email === 'string' ? claims.email : undefined;
  let name = typeof claims.name === 'string' ? claims.name : undefined;
  if (groupsClaim === undefined || email === undefined) {
    // Many IdPs put groups/email only in userinfo unless configured otherwise.
    const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    groupsClaim ??= userinfo[settings.oidc.groupsClaim];
    email ??= typeof userinfo.email === 'string' ? userinfo.email : undefined;
    name ??= typeof userinfo.name === 'string' ? userinfo.name : undefined;
  }
  const session: SessionContents = {
    subject: claims.sub,
    email,
    name,
    groups: groupsFromClaim(groupsClaim),
    via: 'oidc',
    idToken: tokens.id_token,
  };
  return {
    sessionCookie: await sealSession(session, settings.sessionSecret, settings.sessionMaxAgeSeconds),
    session,
    returnTo: flow.returnTo,
  };
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
