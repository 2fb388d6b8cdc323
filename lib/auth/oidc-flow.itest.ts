import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcDevProvider, type OidcDevProvider } from '@/scripts/oidc-dev-provider';
import { signInErrorText } from './sign-in-errors';

/**
 * End to end against a real OIDC provider on 127.0.0.1: the console's own /auth route handlers, real HTTP to the
 * provider, redirects followed by hand with a cookie jar per host, like a browser.
 */
const CONSOLE = 'http://127.0.0.1:3999';
let provider: OidcDevProvider;
let dir: string;

class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();
  store(url: string, response: Response): void {
    const host = new URL(url).host;
    const cookies = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.trim().split('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value.join('=') === '';
      if (expired) cookies.delete(name);
      else cookies.set(name, value.join('='));
    }
    this.byHost.set(host, cookies);
  }
  header(url: string): string {
    return [...(this.byHost.get(new URL(url).host) ?? new Map()).entries()].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }
}

beforeAll(async () => {
  provider = await startOidcDevProvider({
    users: [
      { username: 'ann', password: 'ann-pass', name: 'Ann Payments', email: 'ann@example.com', groups: ['idp-payments', 'idp-oncall'] },
      { username: 'bob', password: 'bob-pass', groups: ['idp-search'] },
    ],
    clients: [
      {
        clientId: 'console',
        clientSecret: 'console-secret',
        redirectUris: [`${CONSOLE}/auth/callback`],
        postLogoutRedirectUris: [`${CONSOLE}/signin?signedOut=1`],
      },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'oidc-flow-'));
  writeFileSync(
    path.join(dir, 'console.yaml'),
    [
      'auth:',
      '  mode: oidc',
      '  oidc:',
      `    issuer: ${provider.issuer}`,
      '    clientId: console',
      '    clientSecret: console-secret',
      `    baseUrl: ${CONSOLE}`,
      '  session:',
      `    secret: ${'k'.repeat(48)}`,
      '    maxAgeSeconds: 600',
      'teams:',
      '  - name: payments',
      '    groups: [idp-payments]',
      '    clusters: [{ cluster: "prod-*", namespaces: ["payments-*"], role: operator }]',
    ].join('\n'),
  );
  process.env.CONSOLE_CONFIG = path.join(dir, 'console.yaml');
  process.env.DATA_DIR = dir;
});

afterAll(async () => {
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(jar: CookieJar, username: string, password: string): Promise<Response> {
  const signin = await import('@/app/auth/signin/route');
  const callback = await import('@/app/auth/callback/route');

  const start = await signin.GET(new Request(`${CONSOLE}/auth/signin?returnTo=/activity`));
  expect(start.status).toBe(307);
  jar.store(CONSOLE, start);
  let location = start.headers.get('location')!;
  expect(location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
  expect(new URL(location).searchParams.get('code_challenge_method')).toBe('S256');

  // Browser-like walk through the provider until it redirects back to the console's callback.
  let response: Response | undefined;
  for (let hop = 0; hop < 10 && !location.startsWith(`${CONSOLE}/`); hop += 1) {
    response = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header(location) } });
    jar.store(location, response);
    if (response.status === 200 && (response.headers.get('content-type') ?? '').includes('text/html')) {
      const action = /action="([^"]+)"/.exec(await response.text())?.[1];
      expect(action).toBeDefined();
      const loginUrl = new URL(action!, location).href;
      response = await fetch(loginUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(loginUrl), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }),
      });
      jar.store(loginUrl, response);
      if (response.status === 401) return response;
    }
    expect([302, 303]).toContain(response.status);
    location = new URL(response.headers.get('location')!, location).href;
  }
  expect(location.startsWith(`${CONSOLE}/auth/callback?`)).toBe(true);
  const done = await callback.GET(new Request(location, { headers: { cookie: jar.header(CONSOLE) } }));
  jar.store(CONSOLE, done);
  return done;
}

describe('OIDC sign-in against a real provider', () => {
  it('signs Ann in with code + PKCE and yields a session with her groups and team', async () => {
    const jar = new CookieJar();
    const done = await signIn(jar, 'ann', 'ann-pass');
    expect(done.status).toBe(307);
    expect(done.headers.get('location')).toBe(`${CONSOLE}/activity`);
    const setCookies = done.headers.getSetCookie().join('\n');
    expect(setCookies).toMatch(/wic_session=[^;]+; Path=\/; .*HttpOnly/i);
    expect(setCookies).toMatch(/wic_session=.*SameSite=lax/i);
    expect(jar.get(CONSOLE, 'wic_oidc_flow')).toBeUndefined();

    const { getPrincipal } = await import('./get-principal');
    const principal = await getPrincipal(new Request(`${CONSOLE}/api/v1/audit`, { headers: { cookie: jar.header(CONSOLE) } }));
    expect(principal).toMatchObject({
      subject: 'ann',
      email: 'ann@example.com',
      groups: ['idp-payments', 'idp-oncall'],
      teams: ['payments'],
      isAdmin: false,
      via: 'oidc',
    });

    const { auditStore } = await import('@/lib/audit/audit-store');
    expect((await auditStore().listAudit({ actor: 'ann', type: 'sign-in' })).items).toHaveLength(1);

    const signout = await import('@/app/auth/signout/route');
    const out = await signout.POST(
      new Request(`${CONSOLE}/auth/signout`, { method: 'POST', headers: { cookie: jar.header(CONSOLE), origin: CONSOLE } }),
    );
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toContain(`${provider.issuer}/session/end`);
    jar.store(CONSOLE, out);
    expect(await getPrincipal(new Request(`${CONSOLE}/`, { headers: { cookie: jar.header(CONSOLE) } }))).toBeUndefined();
  });

  it('refuses a wrong password at the provider and a callback replayed without the flow cookie', async () => {
    const jar = new CookieJar();
    expect((await signIn(jar, 'bob', 'wrong')).status).toBe(401);

    const callback = await import('@/app/auth/callback/route');
    const replay = await callback.GET(new Request(`${CONSOLE}/auth/callback?code=abc&state=xyz`));
    expect(replay.headers.get('location')).toContain('/signin?error=');
    // The link carries only a known code; the sign-in page puts the console's own words on it.
    const code = new URL(replay.headers.get('location')!).searchParams.get('error')!;
    expect(code).toBe('flow-expired');
    expect(signInErrorText(code)).toContain('sign-in attempt expired');
  });

  it('rejects a cross-site sign-out', async () => {
    const signout = await import('@/app/auth/signout/route');
    const out = await signout.POST(
      new Request(`${CONSOLE}/auth/signout`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      }),
    );
    expect(out.status).toBe(403);
  });
});
