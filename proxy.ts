import { NextResponse, type NextRequest } from 'next/server';

/**
 * Security headers for every page and API response (Next 16 renamed middleware.ts to proxy.ts).
 * CSP uses a per-request nonce as in Next's CSP guide: Next reads the nonce from the request's
 * Content-Security-Policy header and puts it on its own inline scripts, so script-src needs no 'unsafe-inline'.
 * Pages are rendered dynamically anyway (they read the session), which nonces require.
 * Styles keep 'unsafe-inline' because React/Next inject style attributes; style injection cannot run script.
 * Static assets (_next/static, images, favicon) are skipped by the matcher and served untouched.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const isDev = process.env.NODE_ENV === 'development';
  const contentSecurityPolicy = [
    "default-src 'self'",
    // 'unsafe-eval' in dev only: React uses eval to rebuild server error stacks in the browser (Next CSP guide).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${isDev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', contentSecurityPolicy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', contentSecurityPolicy);
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|jpg|jpeg|webp|woff2?)$).*)' }],
};
