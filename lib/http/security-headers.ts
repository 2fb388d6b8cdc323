/**
 * The console's security headers, set by proxy.ts on every page and API response.
 * CSP follows Next's CSP guide (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md):
 * a fresh nonce per request in script-src with 'strict-dynamic'; Next reads the nonce from the request's
 * Content-Security-Policy header and stamps it on its own inline scripts, so no 'unsafe-inline' for scripts.
 * Nonces need dynamic rendering: every page reads the session, and the root layout renders AuthNoneBanner,
 * which opts into dynamic rendering, so no page is prerendered with nonce-less scripts.
 * style-src keeps 'unsafe-inline': React and Next emit style attributes, and injected CSS cannot run script.
 */
export function contentSecurityPolicy(nonce: string, isDev: boolean, formActionOrigins: string[] = []): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' in development only: React rebuilds server error stacks in the browser with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    // Development HMR uses a websocket to the dev server.
    `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    // The IdP's origin too: sign-out is a form POST that redirects to its end-session endpoint.
    ["form-action 'self'", ...formActionOrigins].join(' '),
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS over https: two years, subdomains too (the console's cookies are __Host- then). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/** The headers that need no nonce: next.config.ts sets them on the build output too. */
export function staticSecurityHeaders(https: boolean): Record<string, string> {
  return {
    // For browsers that predate frame-ancestors.
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(https ? { 'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

export function securityHeaders(nonce: string, isDev: boolean, formActionOrigins: string[] = [], https = false): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce, isDev, formActionOrigins),
    ...staticSecurityHeaders(https),
  };
}

export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString('base64');
}
