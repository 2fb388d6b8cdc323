import { NextResponse } from 'next/server';
import { auditStore } from '@/lib/audit/audit-store';
import { consoleAuthConfig, oidcSettingsFrom, sessionSecret } from '@/lib/auth/console-auth-config';
import { endSessionUrl } from '@/lib/auth/oidc';
import { cookieSpec, openSession, SESSION_COOKIE } from '@/lib/auth/session';
import { checkCsrf } from '@/lib/http/csrf';
import { isSecureRequest, publicUrl } from '../request-context';

export const dynamic = 'force-dynamic';

function sessionCookieOf(request: Request): string | undefined {
  const match = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`));
  return match?.slice(SESSION_COOKIE.length + 1);
}

/** POST only (a form button): a GET sign-out could be triggered by any page that embeds the URL. */
export async function POST(request: Request): Promise<Response> {
  const refused = checkCsrf(request);
  if (refused) return refused;
  const config = consoleAuthConfig();
  if (config.mode !== 'oidc') return NextResponse.redirect(publicUrl('/', request), 303);
  const settings = oidcSettingsFrom(config);
  const session = await openSession(sessionCookieOf(request), sessionSecret(config.auth) ?? '');
  const signedOutPage = publicUrl('/signin?signedOut=1', request, settings).href;
  let destination = signedOutPage;
  if (session) {
    auditStore().recordEvent({
      actor: { subject: session.subject, groups: session.groups, via: 'oidc' },
      type: 'sign-out',
      outcome: 'succeeded',
    });
    // End the IdP session too when it supports RP-initiated logout; otherwise the console session alone ends.
    destination = (await endSessionUrl(settings, session.idToken, signedOutPage).catch(() => undefined)) ?? signedOutPage;
  }
  const response = NextResponse.redirect(destination, 303);
  response.cookies.set(cookieSpec(SESSION_COOKIE, '', 0, isSecureRequest(request, settings)));
  return response;
}
