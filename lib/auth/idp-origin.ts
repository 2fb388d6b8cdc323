import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

let cached: { path: string | undefined; origin: string | undefined } | undefined;

/**
 * The OIDC issuer's origin, for CSP form-action: Chromium applies form-action to the redirects that follow a
 * form POST, and sign-out (a POST) redirects to the IdP's end-session endpoint. The config was validated at
 * startup (instrumentation.ts); here a missing or odd value only means no extra origin.
 */
export function identityProviderOrigin(): string | undefined {
  const path = process.env.CONSOLE_CONFIG;
  if (cached && cached.path === path) return cached.origin;
  let origin: string | undefined;
  try {
    const document = path ? (parse(readFileSync(path, 'utf8')) as { auth?: { mode?: string; oidc?: { issuer?: string } } }) : undefined;
    if (document?.auth?.mode === 'oidc' && document.auth.oidc?.issuer) origin = new URL(document.auth.oidc.issuer).origin;
  } catch {
    origin = undefined;
  }
  cached = { path, origin };
  return origin;
}
