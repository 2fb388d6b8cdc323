import { NextResponse } from 'next/server';
import { auditStore } from '@/lib/audit/audit-store';
import { consoleAuthConfig, oidcSettingsFrom } from '@/lib/auth/console-auth-config';
import { completeSignIn, SignInError } from '@/lib/auth/oidc';
import { cookieSpec, FLOW_COOKIE, SESSION_COOKIE } from '@/lib/auth/session';
import { isSecureRequest, publicUrl } from '../request-context';

export const dynamic = 'force-dynamic';

function flowCookieOf(request: Request): string | undefined {
  const match = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${FLOW_COOKIE}=`));
  return match?.slice(FLOW_COOKIE.length + 1);
}

export async function GET(request: Request): Promise<Response> {
  const config = consoleAuthConfig();
  const settings = oidcSettingsFrom(config);
  const secure = isSecureRequest(request, settings);
  try {
    const { sessionCookie, session, returnTo } = await completeSignIn(settings, new URL(request.url), flowCookieOf(request));
    auditStore().recordEvent({
      actor: { subject: session.subject, groups: session.groups, via: 'oidc' },
      type: 'sign-in',
      outcome: 'succeeded',
      result: { email: session.email },
    });
    const response = NextResponse.redirect(publicUrl(returnTo, request, settings));
    response.cookies.set(cookieSpec(SESSION_COOKIE, sessionCookie, settings.sessionMaxAgeSeconds, secure));
    response.cookies.set(cookieSpec(FLOW_COOKIE, '', 0, secure));
    return response;
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    const response = NextResponse.redirect(publicUrl(`/signin?error=${encodeURIComponent(error.message)}`, request, settings));
    response.cookies.set(cookieSpec(FLOW_COOKIE, '', 0, secure));
    return response;
  }
}
