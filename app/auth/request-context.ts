import type { OidcSettings } from '@/lib/auth/oidc';

/** Cookies get Secure when the console is reached over https (directly, via its base URL, or via a TLS-terminating proxy). */
export function isSecureRequest(request: Request, settings?: OidcSettings): boolean {
  if (settings?.oidc.baseUrl?.startsWith('https:') || settings?.oidc.redirectUrl?.startsWith('https:')) return true;
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

/** Redirect targets are built on the configured base URL so an internal host never leaks into Location. */
export function publicUrl(path: string, request: Request, settings?: OidcSettings): URL {
  return new URL(path, settings?.oidc.baseUrl ?? new URL(request.url).origin);
}
