import 'server-only';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { authConfigSchema, formatConfigIssues, teamsConfigSchema, type AuthConfig, type TeamsConfig } from './config-schema';
import { isHttpsConsole } from '@/lib/http/public-origin';
import { effectiveAuthMode } from './safety';

export interface ConsoleAuthConfig {
  /** undefined when the config file has no auth section (allowed on loopback only, treated as mode 'none'). */
  auth: AuthConfig | undefined;
  mode: AuthConfig['mode'];
  teams: TeamsConfig;
}

export class ConsoleConfigError extends Error {}

/** Parses the auth/teams/admins sections of an already-read console config object. */
export function parseConsoleAuthConfig(
  document: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConsoleAuthConfig {
  const root = (document ?? {}) as Record<string, unknown>;
  if (typeof root !== 'object' || Array.isArray(root)) throw new ConsoleConfigError('the console config must be a YAML mapping');
  let auth: AuthConfig | undefined;
  if (root.auth !== undefined) {
    const parsed = authConfigSchema.safeParse(root.auth);
    if (!parsed.success) throw new ConsoleConfigError(formatConfigIssues(parsed.error, 'auth'));
    auth = parsed.data;
  }
  const teams = teamsConfigSchema.safeParse({ teams: root.teams, admins: root.admins });
  if (!teams.success) throw new ConsoleConfigError(formatConfigIssues(teams.error, ''));
  return { auth, mode: effectiveAuthMode(auth, env) ?? 'none', teams: teams.data };
}

let cached: { path: string | undefined; config: ConsoleAuthConfig } | undefined;

/** Reads CONSOLE_CONFIG (YAML) once per process; no file means no auth section. */
export function consoleAuthConfig(): ConsoleAuthConfig {
  const path = process.env.CONSOLE_CONFIG;
  if (cached && cached.path === path) return cached.config;
  let document: unknown = {};
  if (path) {
    try {
      document = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConsoleConfigError(`CONSOLE_CONFIG ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  cached = { path, config: parseConsoleAuthConfig(document) };
  return cached.config;
}

export function sessionSecret(
  auth: AuthConfig | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const session = auth?.session;
  if (!session) return undefined;
  if (session.secret) return session.secret;
  const fromEnv = session.secretEnv ? env[session.secretEnv] : undefined;
  if (session.secretEnv && (!fromEnv || fromEnv.length < 32))
    throw new ConsoleConfigError(`auth.session.secretEnv: environment variable ${session.secretEnv} must hold at least 32 characters`);
  return fromEnv;
}

export function oidcClientSecret(auth: AuthConfig, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const oidc = auth.oidc;
  if (!oidc) throw new ConsoleConfigError("auth.oidc: mode 'oidc' needs an oidc section");
  if (oidc.clientSecret) return oidc.clientSecret;
  const fromEnv = oidc.clientSecretEnv ? env[oidc.clientSecretEnv] : undefined;
  if (!fromEnv) throw new ConsoleConfigError(`auth.oidc.clientSecretEnv: environment variable ${oidc.clientSecretEnv} is not set`);
  return fromEnv;
}

/** Everything the /auth handlers need for OIDC, resolved from the config and environment. */
export function oidcSettingsFrom(config: ConsoleAuthConfig) {
  const auth = config.auth;
  if (config.mode !== 'oidc' || !auth?.oidc) throw new ConsoleConfigError('SSO sign-in needs auth.mode: oidc with an oidc section');
  const secret = sessionSecret(auth);
  if (!secret) throw new ConsoleConfigError('auth.session: set secret or secretEnv to encrypt the session cookie');
  return {
    oidc: auth.oidc,
    clientSecret: oidcClientSecret(auth),
    sessionSecret: secret,
    sessionMaxAgeSeconds: auth.session?.maxAgeSeconds ?? 8 * 3600,
    groupsRefreshSeconds: auth.session?.groupsRefreshSeconds ?? 900,
    secureCookies: isHttpsConsole(auth),
  };
}
