import type { AuthConfig } from '@/lib/auth/config-schema';
import { isLoopbackHost } from '@/lib/auth/safety';

// Where the console is reached, from configuration only (never from a client-set header such as
// X-Forwarded-Host or X-Forwarded-Proto): the Host allowlist, HSTS and the __Host- cookie prefix follow it.

/** auth.publicUrl, else the OIDC base URL, else the origin of the OIDC redirect URL. */
export function publicUrlOf(auth: AuthConfig | undefined): URL | undefined {
  const configured = auth?.publicUrl ?? auth?.oidc?.baseUrl ?? auth?.oidc?.redirectUrl;
  if (!configured) return undefined;
  try {
    return new URL(new URL(configured).origin);
  } catch {
    return undefined;
  }
}

/** Over https: HSTS on every answer, cookies Secure and __Host- prefixed. */
export function isHttpsConsole(auth: AuthConfig | undefined): boolean {
  return publicUrlOf(auth)?.protocol === 'https:';
}

/** Paths a load balancer or Prometheus calls by pod IP; they carry nothing a rebinding page could use. */
const HOST_EXEMPT_PATHS = new Set(['/api/health', '/api/ready', '/api/readyz', '/healthz', '/readyz', '/metrics']);

export type HostVerdict = { ok: true } | { ok: false; reason: string };

/**
 * The Host allowlist (issue 10): the configured public URL's host; in auth mode none (or with no auth
 * section) loopback names only. Anything else is answered 421 Misdirected Request, which stops DNS rebinding:
 * a page on evil.example resolved to 127.0.0.1 still sends `Host: evil.example`.
 */
export function checkHost(
  hostHeader: string | null,
  pathname: string,
  mode: AuthConfig['mode'] | undefined,
  publicUrl: URL | undefined,
): HostVerdict {
  if (HOST_EXEMPT_PATHS.has(pathname)) return { ok: true };
  if (!hostHeader) return { ok: false, reason: 'the request names no Host' };
  let named: URL;
  try {
    named = new URL(`http://${hostHeader}`);
  } catch {
    return { ok: false, reason: `Host ${hostHeader} is not a host name` };
  }
  if (named.username || named.password || named.pathname !== '/') return { ok: false, reason: `Host ${hostHeader} is not a host name` };
  if (mode === 'none' || mode === undefined) {
    return isLoopbackHost(named.hostname)
      ? { ok: true }
      : {
          ok: false,
          reason: `without sign-in the console answers only to loopback names (localhost, 127.0.0.1, [::1]), not ${hostHeader}`,
        };
  }
  if (!publicUrl) return { ok: false, reason: 'no public URL is configured (auth.publicUrl)' };
  const defaultPort = publicUrl.protocol === 'https:' ? '443' : '80';
  const port = (url: URL) => url.port || defaultPort;
  if (named.hostname.toLowerCase() === publicUrl.hostname.toLowerCase() && port(named) === port(publicUrl)) return { ok: true };
  return { ok: false, reason: `this console answers to ${publicUrl.host}, not ${hostHeader}` };
}
