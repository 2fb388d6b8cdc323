import type { TeamsConfig } from './config-schema';

export type PrincipalVia = 'oidc' | 'proxy' | 'token' | 'none';

/** Who is calling, after authentication; the scope is derived from it with scopeFor(). */
export interface Principal {
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  /** Team names from the teams config (by IdP group), or the team an API token is bound to. */
  teams: string[];
  isAdmin: boolean;
  via: PrincipalVia;
  /** API tokens carry their own role for their one team; other principals get roles from the teams config. */
  tokenRole?: 'viewer' | 'operator';
  /** The server-side session a signed-in user came with (lib/auth/session-store.ts). */
  sessionId?: string;
}

export interface Identity {
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  via: PrincipalVia;
  sessionId?: string;
}

/** Maps an authenticated identity's IdP groups onto teams and admin rights. */
export function resolvePrincipal(identity: Identity, teamsConfig: TeamsConfig): Principal {
  const groups = [...new Set(identity.groups)];
  const teams = teamsConfig.teams.filter((team) => team.groups.some((group) => groups.includes(group))).map((team) => team.name);
  const isAdmin = identity.via === 'none' || teamsConfig.admins.groups.some((group) => groups.includes(group));
  return { ...identity, groups, teams, isAdmin };
}

/** An API token is bound to one subject, one team and one role in the config; it carries no IdP groups. */
export function resolveTokenPrincipal(token: { subject: string; team?: string; role: 'viewer' | 'operator' | 'admin' }): Principal {
  if (token.role === 'admin') return { subject: token.subject, groups: [], teams: [], isAdmin: true, via: 'token' };
  return { subject: token.subject, groups: [], teams: token.team ? [token.team] : [], isAdmin: false, via: 'token', tokenRole: token.role };
}
