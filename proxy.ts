import { NextResponse, type NextRequest } from 'next/server';
import { edgeAuthSettings } from '@/lib/auth/idp-origin';
import { peerAddressOf } from '@/lib/auth/peer-address';
import { isLoopbackHost } from '@/lib/auth/safety';
import { apiError } from '@/lib/http/errors';
import { checkHost } from '@/lib/http/public-origin';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';

/** A path whose percent-encoding is not UTF-8 (e.g. %E0%A4%A) makes Next's router throw a bare, unstyled 500. */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** Where a page address that cannot be decoded is rendered: no route matches it, so it gets the styled 404 page. */
const UNREADABLE_ADDRESS = '/_unreadable-address';

/**
 * Every request but Next's hashed build output passes here (Next 16 renamed middleware.ts to proxy.ts,
 * node_modules/next/dist/docs/01-app/03-api-reference/03-file-conventions/proxy.md; it runs on the Node.js
 * runtime): the Host allowlist (421), in auth mode none a loopback peer, and the security headers (CSP with a
 * per-request nonce, frame-ancestors, HSTS over https, nosniff…). The build output gets the same headers from
 * next.config.ts. Authentication is not done here: pages and route handlers call getPrincipal() themselves, so
 * a matcher gap can never expose data.
 */
export function proxy(request: NextRequest) {
  const settings = edgeAuthSettings();
  const https = settings.publicUrl?.protocol === 'https:';
  const headers = securityHeaders(
    newNonce(),
    process.env.NODE_ENV === 'development',
    settings.idpOrigin ? [settings.idpOrigin] : [],
    https,
  );

  const host = checkHost(request.headers.get('host'), request.nextUrl.pathname, settings.mode, settings.publicUrl);
  if (!host.ok) return refuse(421, 'misdirected-request', `Misdirected request: ${host.reason}.`, headers);
  if (settings.mode === 'none' || settings.mode === undefined) {
    // Without sign-in everyone is admin: only this machine may ask, proven by the socket, not by a header.
    const peer = peerAddressOf(request.headers);
    if (!isLoopbackHost(peer))
      return refuse(
        403,
        'loopback-only',
        peer
          ? `Without sign-in the console answers only to this machine, not to ${peer}.`
          : 'Without sign-in the console answers only to this machine; serve it with `npm start` (scripts/start.mjs), which knows the peer address.',
        headers,
      );
  }

  const requestHeaders = new Headers(request.headers);
  // Next takes the nonce for its inline scripts from the request's CSP header.
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']);
  const readable = decodablePath(request.nextUrl.pathname);
  if (!readable && request.nextUrl.pathname.startsWith('/api/')) {
    const refused = apiError(400, 'invalid-path', 'The request path is not valid percent-encoded UTF-8.');
    for (const [name, value] of Object.entries(headers)) refused.headers.set(name, value);
    return refused;
  }
  // The rewrite keeps Next's own origin for the request (nextUrl's, not the Host header's): any other origin is
  // fetched as an external URL, which the Host check above refuses (421). scripts/start.mjs names the server so
  // that this origin and Next's router agree for loopback addresses too.
  const unreadable = request.nextUrl.clone();
  unreadable.pathname = UNREADABLE_ADDRESS;
  unreadable.search = '';
  const response = readable
    ? NextResponse.next({ request: { headers: requestHeaders } })
    : NextResponse.rewrite(unreadable, { request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function refuse(status: 403 | 421, code: string, message: string, headers: Record<string, string>): Response {
  return Response.json({ error: { code, message } }, { status, headers: { ...headers, 'cache-control': 'no-store' } });
}

export const config = {
  // Only the hashed build output is left out (next.config.ts gives it the static headers): every page, API
  // route and public file, .txt and .js included, gets the Host check and the headers.
  matcher: [{ source: '/((?!_next/static|_next/image).*)' }],
};
