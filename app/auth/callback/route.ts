import { NextResponse } from 'next/server';
import { auditStore } from '@/lib/audit/audit-store';
import { consoleAuthConfig, oidcSettingsFrom } from '@/lib/auth/console-auth-config';
import { cookieFromHeader } from '@/lib/auth/get-principal';
import { completeSignIn, SignInError } from '@/lib/auth/oidc';
import { cookieSpec, flowCookieName, sessionCookieName } from '@/lib/auth/session';
import { sessionStore } from '@/lib/auth/session-store';
import { logger } from '@/lib/log/logger';
import { isSecureRequest, publicUrl } from '../oidc-public-url';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const config = consoleAuthConfig();
  const settings = oidcSettingsFrom(config);
  const secure = isSecureRequest(request, settings);
  const flowCookie = flowCookieName(secure);
  try {
    const { session, returnTo } = await completeSignIn(
      settings,
      new URL(request.url),
      cookieFromHeader(request.headers.get('cookie'), flowCookie),
    );
    // The session lives server-side; the cookie carries only its token (lib/auth/session-store.ts).
    const { token } = await sessionStore().create({
      subject: session.subject,
      email: session.email,
      name: session.name,
      groups: session.groups,
      idToken: session.idToken,
      refreshToken: session.refreshToken,
      expiresAt: new Date(Date.now() + settings.sessionMaxAgeSeconds * 1000).toISOString(),
    });
    await auditStore().recordEvent({
      actor: { subject: session.subject, groups: session.groups, via: 'oidc' },
      type: 'sign-in',
      outcome: 'succeeded',
      result: { email: session.email },
    });
    const response = NextResponse.redirect(publicUrl(returnTo, request, settings));
    response.cookies.set(cookieSpec(sessionCookieName(secure), token, settings.sessionMaxAgeSeconds, secure));
    response.cookies.set(cookieSpec(flowCookie, '', 0, secure));
    return response;
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    logger().warn({ code: error.code }, `sign-in failed: ${error.message}`);
    const response = NextResponse.redirect(publicUrl(`/signin?error=${error.code}`, request, settings));
    response.cookies.set(cookieSpec(flowCookie, '', 0, secure));
    return response;
  }
}
