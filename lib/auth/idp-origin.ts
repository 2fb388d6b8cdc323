import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { publicUrlOf } from '@/lib/http/public-origin';
import { authConfigSchema, type AuthConfig } from './config-schema';
import { effectiveAuthMode } from './safety';

/**
 * What proxy.ts needs from the auth config on every request, read once per CONSOLE_CONFIG: the mode (Host
 * allowlist, loopback peer), the public URL (allowlist, HSTS) and the IdP's origin (CSP form-action: Chromium
 * applies form-action to the redirects that follow a form POST, and sign-out redirects to the IdP's
 * end-session endpoint). The config was validated at startup (instrumentation.ts); here a config that does not
 * parse is treated as the strictest case, an oidc console with no known public URL.
 */
export interface EdgeAuthSettings {
  mode: AuthConfig['mode'] | undefined;
  auth: AuthConfig | undefined;
  publicUrl: URL | undefined;
  idpOrigin: string | undefined;
}

let cached: { key: string; settings: EdgeAuthSettings } | undefined;

export function edgeAuthSettings(): EdgeAuthSettings {
  const path = process.env.CONSOLE_CONFIG;
  const key = `${path ?? ''}|${process.env.AUTH_MODE ?? ''}`;
  if (cached && cached.key === key) return cached.settings;
  let settings: EdgeAuthSettings;
  try {
    const document = path ? (parse(readFileSync(path, 'utf8')) as { auth?: unknown } | null) : undefined;
    const auth = document?.auth === undefined ? undefined : authConfigSchema.parse(document.auth);
    settings = {
      mode: effectiveAuthMode(auth),
      auth,
      publicUrl: publicUrlOf(auth),
      idpOrigin: auth?.mode === 'oidc' && auth.oidc ? new URL(auth.oidc.issuer).origin : undefined,
    };
  } catch {
    settings = { mode: 'oidc', auth: undefined, publicUrl: undefined, idpOrigin: undefined };
  }
  cached = { key, settings };
  return settings;
}
