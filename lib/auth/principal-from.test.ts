import { describe, expect, it } from 'vitest';
import { sha256Hex } from './api-token';
import { parseConsoleAuthConfig } from './console-auth-config';
import { principalFrom } from './get-principal';
import { openSession, sealSession, SESSION_COOKIE } from './session';

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

  it('reads the encrypted session cookie and maps groups to teams', async () => {
    const cookie = await sealSession({ subject: 'ann', groups: ['idp-payments'], via: 'oidc' }, secret, 3600);
    const principal = await principalFrom(new Headers(), cookie, config);
    expect(principal).toMatchObject({ subject: 'ann', teams: ['payments'], isAdmin: false, via: 'oidc' });
  });

  it('rejects a forged or expired session', async () => {
    const forged = await sealSession({ subject: 'ann', groups: ['admins'], via: 'oidc' }, 'another-secret-another-secret-another', 3600);
    expect(await principalFrom(new Headers(), forged, config)).toBeUndefined();
    expect(await openSession('garbage', secret)).toBeUndefined();
    const expired = await sealSession({ subject: 'ann', groups: [], via: 'oidc' }, secret, -10);
    expect(await openSession(expired, secret)).toBeUndefined();
  });

  it('authenticates a bearer token and never falls back to the cookie when the token is bad', async () => {
    const cookie = await sealSession({ subject: 'ann', groups: ['admins'], via: 'oidc' }, secret, 3600);
    expect(await principalFrom(new Headers({ authorization: 'Bearer payments-token' }), cookie, config)).toMatchObject({
      subject: 'payments-ci',
      teams: ['payments'],
      via: 'token',
    });
    expect(await principalFrom(new Headers({ authorization: 'Bearer wrong' }), cookie, config)).toBeUndefined();
  });

  it('makes everyone the local admin under AUTH_MODE=none', async () => {
    const none = parseConsoleAuthConfig(document, { AUTH_MODE: 'none' });
    expect(await principalFrom(new Headers(), undefined, none)).toMatchObject({ isAdmin: true, via: 'none' });
  });

  it('names the wrong config path', () => {
    expect(() =>
      parseConsoleAuthConfig(
        { ...document, teams: [{ name: 'x', groups: [], clusters: [{ cluster: 'a', namespaces: [], role: 'viewer' }] }] },
        {},
      ),
    ).toThrow('teams.0.clusters.0.namespaces');
    expect(SESSION_COOKIE).toBe('wic_session');
  });
});
