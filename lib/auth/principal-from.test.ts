import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './api-token';
import { parseConsoleAuthConfig } from './console-auth-config';
import { principalFrom } from './get-principal';
import { sessionCookieName } from './session';
import { SqliteSessionStore } from './session-store';

const sessions = new SqliteSessionStore(path.join(mkdtempSync(path.join(tmpdir(), 'sessions-')), 'sessions.sqlite'));
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
async function signedIn(groups: string[], expiresAt = inAnHour()) {
  return (await sessions.create({ subject: 'ann', groups, expiresAt })).token;
}

const secret = 's'.repeat(40);
const document = {
  auth: {
    mode: 'oidc',
    oidc: { issuer: 'https://idp.example.com', clientId: 'console', clientSecret: 'x', baseUrl: 'https://console.example.com' },
    session: { secret, maxAgeSeconds: 3600 },
    apiTokens: [{ sha256: sha256Hex('payments-token'), subject: 'payments-ci', team: 'payments', role: 'viewer' }],
  },
  teams: [{ name: 'payments', groups: ['idp-payments'], clusters: [{ cluster: 'prod', namespaces: ['payments'], role: 'operator' }] }],
  admins: { groups: ['admins'] },
};

describe('principalFrom', () => {
  const config = parseConsoleAuthConfig(document, {});

  it('finds the server-side session of the cookie and maps groups to teams', async () => {
    const cookie = await signedIn(['idp-payments']);
    const principal = await principalFrom(new Headers(), cookie, config, sessions);
    expect(principal).toMatchObject({ subject: 'ann', teams: ['payments'], isAdmin: false, via: 'oidc' });
  });

  it('rejects an unknown, expired or revoked session', async () => {
    expect(await principalFrom(new Headers(), 'x'.repeat(43), config, sessions)).toBeUndefined();
    expect(await principalFrom(new Headers(), 'garbage', config, sessions)).toBeUndefined();
    const expired = await signedIn(['admins'], new Date(Date.now() - 1000).toISOString());
    expect(await principalFrom(new Headers(), expired, config, sessions)).toBeUndefined();
    const revoked = await signedIn(['admins']);
    expect(await principalFrom(new Headers(), revoked, config, sessions)).toMatchObject({ isAdmin: true });
    expect(await sessions.revokeSubject('ann')).toBeGreaterThan(0);
    expect(await principalFrom(new Headers(), revoked, config, sessions)).toBeUndefined();
  });

  it('authenticates a bearer token and never falls back to the cookie when the token is bad', async () => {
    const cookie = await signedIn(['admins']);
    expect(await principalFrom(new Headers({ authorization: 'Bearer payments-token' }), cookie, config, sessions)).toMatchObject({
      subject: 'payments-ci',
      teams: ['payments'],
      via: 'token',
    });
    expect(await principalFrom(new Headers({ authorization: 'Bearer wrong' }), cookie, config, sessions)).toBeUndefined();
  });

  it('makes everyone the local admin under AUTH_MODE=none', async () => {
    const none = parseConsoleAuthConfig(document, { AUTH_MODE: 'none' });
    expect(await principalFrom(new Headers(), undefined, none, sessions)).toMatchObject({ isAdmin: true, via: 'none' });
  });

  it('names the wrong config path', () => {
    expect(() =>
      parseConsoleAuthConfig(
        { ...document, teams: [{ name: 'x', groups: [], clusters: [{ cluster: 'a', namespaces: [], role: 'viewer' }] }] },
        {},
      ),
    ).toThrow('teams.0.clusters.0.namespaces');
    expect(sessionCookieName(false)).toBe('wic_session');
    expect(sessionCookieName(true)).toBe('__Host-wic_session');
  });
});
