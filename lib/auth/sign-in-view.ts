import 'server-only';
import { consoleAuthConfig } from './console-auth-config';
import type { AuthConfig } from './config-schema';
import { getPrincipal } from './get-principal';
import { safeReturnTo } from './oidc';
import { signInErrorText } from './sign-in-errors';

/** What /signin shows: how to sign in, who is signed in already, and a known error in the console's own words. */
export interface SignInView {
  /** Where signing in returns to (only a path on this console). */
  returnTo: string;
  /** 'oidc': a Sign in with SSO button; 'proxy': the authenticating proxy's name. */
  method: { kind: 'oidc' } | { kind: 'proxy'; proxy: string };
  signedOut: boolean;
  /** A known error code's text, never the text the link carries. */
  error?: string;
  signedInAs?: { name: string; email?: string };
  demoUsers: NonNullable<AuthConfig['demoUsers']>;
}

/** The sign-in page's facts, or `redirectTo` when the console needs no sign-in (auth mode none). */
export async function getSignInView(params: {
  returnTo?: string;
  error?: string;
  signedOut?: string;
}): Promise<SignInView | { redirectTo: string }> {
  const config = consoleAuthConfig();
  const returnTo = safeReturnTo(params.returnTo);
  if (config.mode === 'none') return { redirectTo: returnTo };
  const principal = await getPrincipal();
  return {
    returnTo,
    method: config.mode === 'oidc' ? { kind: 'oidc' } : { kind: 'proxy', proxy: config.auth?.proxy?.type ?? 'proxy' },
    signedOut: Boolean(params.signedOut),
    ...(params.error ? { error: signInErrorText(params.error) } : {}),
    ...(principal
      ? { signedInAs: { name: principal.name ?? principal.subject, ...(principal.email ? { email: principal.email } : {}) } }
      : {}),
    demoUsers: config.auth?.demoUsers ?? [],
  };
}
