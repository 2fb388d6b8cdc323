import { NextResponse } from 'next/server';
import { auditStore } from '@/lib/audit/audit-store';
import { consoleAuthConfig, oidcSettingsFrom } from '@/lib/auth/console-auth-config';
import { cookieFromHeader } from '@/lib/auth/get-principal';
import { endSessionUrl } from '@/lib/auth/oidc';
import { cookieSpec, sessionCookieName } from '@/lib/auth/session';
import { sessionStore } from '@/lib/auth/session-store';
import { checkCsrf } from '@/lib/http/csrf';
import { isSecureRequest, publicUrl } from '../oidc-public-url';

export const dynamic = 'force-dynamic';

/**
 * POST only (a form button): a GET sign-out could be triggered by any page that embeds the URL. The session is
 * revoked in the store, so a copy of the cookie opens nothing afterwards.
 */
export async function POST(request: Request): Promise<Response> {
  const refused = checkCsrf(request);
  if (refused) return refused;
  const config = consoleAuthConfig();
  if (config.mode !== 'oidc') return NextResponse.redirect(publicUrl('/', request), 303);
  const settings = oidcSettingsFrom(config);
  const secure = isSecureRequest(request, settings);
  const token = cookieFromHeader(request.headers.get('cookie'), sessionCookieName(secure));
  const live = token ? await sessionStore().find(token) : undefined;
  const session = live ? await sessionStore().revoke(live.id) : undefined;
  const signedOutPage = publicUrl('/signin?signedOut=1', request, settings).href;
  let destination = signedOutPage;
  if (session) {
    await auditStore().recordEvent({
      actor: { subject: session.subject, groups: session.groups, via: 'oidc' },
      type: 'sign-out',
      outcome: 'succeeded',
    });
    // End the IdP session too when it supports RP-initiated logout; otherwise the console session alone ends.
    destination = (await endSessionUrl(settings, session.idToken, signedOutPage).catch(() => undefined)) ?? signedOutPage;
  }
  const response = NextResponse.redirect(destination, 303);
  response.cookies.set(cookieSpec(sessionCookieName(secure), '', 0, secure));
  return response;
}
