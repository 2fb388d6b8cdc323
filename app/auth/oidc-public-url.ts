import type { OidcSettings } from '@/lib/auth/oidc';

/**
 * Cookies get Secure (and the __Host- prefix) when the console's configured public URL is https. Never judged
 * from X-Forwarded-Proto or the request URL: a client can set the one, and the other is the internal hop.
 */
export function isSecureRequest(_request: Request, settings?: OidcSettings): boolean {
  return settings?.secureCookies ?? false;
}

/** Redirect targets are built on the configured base URL so an internal host never leaks into Location. */
export function publicUrl(path: string, request: Request, settings?: OidcSettings): URL {
  return new URL(path, settings?.oidc.baseUrl ?? new URL(request.url).origin);
}
