import type { SignInErrorCode } from './oidc';

/**
 * What /signin?error=<code> says. Only these codes are shown, each with the console's own text: a link cannot put
 * its own words on the sign-in page (a phishing opening). The IdP's detail goes to the server log, not the URL.
 */
export const SIGN_IN_ERRORS: Record<SignInErrorCode | 'idp-unreachable', string> = {
  'flow-expired': 'The sign-in attempt expired or was started in another browser tab. Sign in again.',
  'idp-refused': 'The identity provider refused the sign-in. Sign in again; if it keeps failing, ask a console admin.',
  'no-id-token': 'The identity provider did not say who you are (no ID token). Ask a console admin to check the SSO client.',
  'idp-unreachable': 'The identity provider could not be reached. Try again in a minute; if it keeps failing, ask a console admin.',
};

export type SignInErrorKey = keyof typeof SIGN_IN_ERRORS;

/** The text for a known code, or a generic line for anything else (never the text the link carries). */
export function signInErrorText(code: string): string {
  return Object.hasOwn(SIGN_IN_ERRORS, code) ? SIGN_IN_ERRORS[code as SignInErrorKey] : 'Sign-in did not complete. Sign in again.';
}
