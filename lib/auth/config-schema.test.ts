import { describe, expect, it } from 'vitest';
import { authConfigSchema, formatConfigIssues, teamsConfigSchema } from './config-schema';

function errorsOf(input: unknown): string {
  const result = authConfigSchema.safeParse(input);
  if (result.success) throw new Error('expected the config to be rejected');
  return formatConfigIssues(result.error, 'auth');
}

describe('auth config schema', () => {
  it('fills documented defaults for a valid oidc config', () => {
    const auth = authConfigSchema.parse({
      mode: 'oidc',
      oidc: {
        issuer: 'https://idp.example.com',
        clientId: 'console',
        clientSecretEnv: 'OIDC_SECRET',
        baseUrl: 'https://console.example.com',
      },
      session: { secretEnv: 'SESSION_SECRET' },
    });
    expect(auth.oidc?.scopes).toEqual(['openid', 'profile', 'email', 'groups']);
    expect(auth.oidc?.groupsClaim).toBe('groups');
    expect(auth.session?.maxAgeSeconds).toBe(8 * 3600);
  });

  it('names the path of each problem', () => {
    expect(
      errorsOf({
        mode: 'oidc',
        oidc: { issuer: 'not a url', clientId: 'c', clientSecret: 's', baseUrl: 'https://c' },
        session: { secret: 'x'.repeat(32) },
      }),
    ).toContain('auth.oidc.issuer');
    expect(
      errorsOf({ mode: 'oidc', oidc: { issuer: 'https://i', clientId: 'c', baseUrl: 'https://c' }, session: { secret: 'x'.repeat(32) } }),
    ).toContain('auth.oidc.clientSecret: set clientSecret or clientSecretEnv');
    expect(errorsOf({ mode: 'sso' })).toContain('auth.mode');
    expect(errorsOf({ mode: 'none', sesion: {} })).toMatch(/auth: .*sesion/);
  });

  it('rejects a bad proxy config with the field that is wrong', () => {
    expect(errorsOf({ mode: 'proxy', proxy: { type: 'alb' } })).toContain('auth.proxy.alb');
    expect(
      errorsOf({ mode: 'proxy', proxy: { type: 'alb', alb: { region: 'eu-west-1', expectedSigner: 'arn:aws:iam::123:role/x' } } }),
    ).toContain('auth.proxy.alb.expectedSigner');
    expect(errorsOf({ mode: 'proxy', proxy: { type: 'oauth2-proxy', oauth2Proxy: { trustedProxies: ['10.0.0.0/33'] } } })).toContain(
      'auth.proxy.oauth2Proxy.trustedProxies.0',
    );
  });

  it('rejects malformed and duplicate token hashes', () => {
    const hash = 'a'.repeat(64);
    expect(errorsOf({ mode: 'none', apiTokens: [{ sha256: 'abc', subject: 'ci', team: 't', role: 'viewer' }] })).toContain(
      'auth.apiTokens.0.sha256',
    );
    expect(
      errorsOf({
        mode: 'none',
        apiTokens: [
          { sha256: hash, subject: 'a', team: 't', role: 'viewer' },
          { sha256: hash, subject: 'b', team: 't', role: 'viewer' },
        ],
      }),
    ).toContain('auth.apiTokens.1.sha256');
    expect(errorsOf({ mode: 'none', apiTokens: [{ sha256: hash, subject: 'a', role: 'operator' }] })).toContain('auth.apiTokens.0.team');
  });
});

describe('teams config schema', () => {
  it('rejects a missing role, naming where', () => {
    const result = teamsConfigSchema.safeParse({
      teams: [{ name: 'a', groups: ['g'], clusters: [{ cluster: 'prod', namespaces: ['x'] }] }],
    });
    expect(result.success).toBe(false);
    expect(formatConfigIssues(result.error!, '')).toContain('teams.0.clusters.0.role');
  });

  it('rejects a team defined twice', () => {
    const result = teamsConfigSchema.safeParse({
      teams: [
        { name: 'a', groups: [], clusters: [] },
        { name: 'a', groups: [], clusters: [] },
      ],
    });
    expect(result.success).toBe(false);
    expect(formatConfigIssues(result.error!, '')).toContain("teams.1.name: team 'a' is defined twice");
  });
});
