import { NextResponse } from 'next/server';
import { consoleAuthConfig, oidcSettingsFrom } from '@/lib/auth/console-auth-config';
import { beginSignIn } from '@/lib/auth/oidc';
import { cookieSpec, flowCookieName, flowMaxAgeSeconds } from '@/lib/auth/session';
import { isSecureRequest, publicUrl } from '../oidc-public-url';

export const dynamic = 'force-dynamic';

/** Starts the OIDC authorization-code + PKCE flow: state, nonce and verifier go into a short-lived encrypted cookie. */
export async function GET(request: Request): Promise<Response> {
  const config = consoleAuthConfig();
  if (config.mode !== 'oidc') return NextResponse.redirect(publicUrl('/', request));
  const settings = oidcSettingsFrom(config);
  try {
    const { authorizationUrl, flowCookie } = await beginSignIn(settings, new URL(request.url).searchParams.get('returnTo'));
    const response = NextResponse.redirect(authorizationUrl);
    const secure = isSecureRequest(request, settings);
    response.cookies.set(cookieSpec(flowCookieName(secure), flowCookie, flowMaxAgeSeconds, secure));
    return response;
  } catch (error) {
    // The detail stays in the server log; the page says it in its own words (lib/auth/sign-in-errors).
    console.error(
      `sign-in: the identity provider ${settings.oidc.issuer} could not be reached:`,
      error instanceof Error ? error.message : error,
    );
    return NextResponse.redirect(publicUrl('/signin?error=idp-unreachable', request, settings));
  }
}
