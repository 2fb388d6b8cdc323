import { apiError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF check for cookie-authenticated state-changing route handlers (POST/PUT/PATCH/DELETE).
 * Browsers send Sec-Fetch-Site and Origin on such requests; a cross-site page cannot forge either.
 * Requests with `Authorization: Bearer` are exempt: a browser never attaches that header on its own, and
 * getPrincipal() ignores cookies when a bearer credential is present.
 * Server actions need no call here: Next compares their Origin with the Host (x-forwarded-host) itself.
 * Returns undefined when the request may proceed, else a 403 response in the api.md error envelope.
 */
export function checkCsrf(request: Request, allowedOrigins: string[] = []): Response | undefined {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
  if (/^Bearer\s/i.test(request.headers.get('authorization') ?? '')) return undefined;

  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
    return apiError(403, 'csrf-rejected', `Cross-site request refused (Sec-Fetch-Site: ${fetchSite}).`);

  const origin = request.headers.get('origin');
  if (!origin) {
    if (fetchSite === 'same-origin') return undefined;
    return apiError(
      403,
      'csrf-rejected',
      'State-changing requests from a browser must carry an Origin header; automation should use a Bearer token.',
    );
  }
  if (origin === 'null') return apiError(403, 'csrf-rejected', 'Requests from an opaque origin are refused.');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return apiError(403, 'csrf-rejected', `The Origin header ${origin} is not a URL.`);
  }
  const ownHosts = [request.headers.get('x-forwarded-host'), request.headers.get('host'), new URL(request.url).host]
    .filter((host): host is string => Boolean(host))
    .flatMap((host) => host.split(',').map((part) => part.trim()));
  const allowed = new Set([...ownHosts, ...allowedOrigins.map((allowedOrigin) => new URL(allowedOrigin).host)]);
  if (!allowed.has(originHost)) return apiError(403, 'csrf-rejected', `Requests from origin ${origin} are refused.`);
  return undefined;
}
