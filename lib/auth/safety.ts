import { isIP } from 'node:net';
import type { AuthConfig } from './config-schema';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  const mapped = /^::ffff:(127\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped !== null;
}

/** AUTH_MODE=none in the environment overrides the configured mode (for local use only). */
export function effectiveAuthMode(
  auth: AuthConfig | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuthConfig['mode'] | undefined {
  if (env.AUTH_MODE === 'none') return 'none';
  if (env.AUTH_MODE && env.AUTH_MODE !== 'none')
    throw new Error(
      `AUTH_MODE=${env.AUTH_MODE} is not supported; the only override is AUTH_MODE=none (set other modes in the config file's auth.mode)`,
    );
  return auth?.mode;
}

/**
 * For the startup script, before listening. `host` is the address the console binds (HOST; Next binds all
 * interfaces when it is unset, so pass undefined then and it counts as non-loopback).
 */
export function assertAuthConfigSafe(
  config: { auth?: AuthConfig },
  host: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  const mode = effectiveAuthMode(config.auth, env);
  const where = host ?? 'all interfaces (HOST is unset)';
  if (mode === undefined && !isLoopbackHost(host))
    throw new Error(
      `Refusing to start: the config has no auth section and the console would listen on ${where}. Add an auth section (mode: oidc or proxy), or set HOST=127.0.0.1.`,
    );
  if (mode === 'none' && !isLoopbackHost(host))
    throw new Error(
      `Refusing to start: auth mode 'none' (no sign-in, everyone is admin) is allowed only on loopback, but the console would listen on ${where}. Set HOST=127.0.0.1 or configure auth.mode: oidc or proxy.`,
    );
}
