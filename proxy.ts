import { NextResponse, type NextRequest } from 'next/server';
import { identityProviderOrigin } from '@/lib/auth/idp-origin';
import { newNonce, securityHeaders } from '@/lib/http/security-headers';

/**
 * Security headers (CSP with a per-request nonce, frame-ancestors, Referrer-Policy, nosniff) on pages and API
 * responses. Next 16 renamed middleware.ts to proxy.ts (node_modules/next/dist/docs/01-app/03-api-reference/
 * 03-file-conventions/proxy.md); it runs on the Node.js runtime. Authentication is not done here: pages and
 * route handlers call getPrincipal() themselves, so a matcher gap can never expose data.
 */
export function proxy(request: NextRequest) {
  const idpOrigin = identityProviderOrigin();
  const headers = securityHeaders(newNonce(), process.env.NODE_ENV === 'development', idpOrigin ? [idpOrigin] : []);
  const requestHeaders = new Headers(request.headers);
  // Next takes the nonce for its inline scripts from the request's CSP header.
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static assets are served untouched: hashed build output, image optimisation and public files.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|jpg|jpeg|gif|webp|woff2?|css|js|map|txt)$).*)' }],
};
