import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/auth/api-token';
import { resolvePrincipal } from '@/lib/auth/principal';

/** GET /api/v1/audit through its route handler, authenticated with API tokens from a real config file. */
let dir: string;
const call = async (query: string, token?: string) => {
  const { GET } = await import('@/app/api/v1/audit/route');
  return GET(new Request(`http://127.0.0.1/api/v1/audit${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'audit-api-'));
  writeFileSync(
    path.join(dir, 'console.yaml'),
    `auth:
  mode: proxy
  publicUrl: https://console.example.com
  proxy: { type: oauth2-proxy, oauth2Proxy: { trustedProxies: [10.0.0.1] } }
  apiTokens:
    - { sha256: ${sha256Hex('payments-token')}, subject: payments-ci, team: payments, role: viewer }
    - { sha256: ${sha256Hex('admin-token')}, subject: ops, role: admin }
teams:
  - { name: payments, groups: [payments], clusters: [{ cluster: prod, namespaces: [payments], role: operator }] }
  - { name: search, groups: [search], clusters: [{ cluster: prod, namespaces: [search], role: operator }] }
`,
  );
  process.env.CONSOLE_CONFIG = path.join(dir, 'console.yaml');
  process.env.DATA_DIR = dir;
  const { recordIntent, recordResult, recordRefusal } = await import('./audit-log');
  const { parseConsoleAuthConfig } = await import('@/lib/auth/console-auth-config');
  const teams = parseConsoleAuthConfig(
    {
      teams: [
        { name: 'search', groups: ['search'], clusters: [] },
        { name: 'payments', groups: ['payments'], clusters: [] },
      ],
    },
    {},
  ).teams;
  const ann = resolvePrincipal({ subject: 'ann', groups: ['payments'], via: 'oidc' }, teams);
  const sid = resolvePrincipal({ subject: 'sid', groups: ['search'], via: 'oidc' }, teams);
  const id = await recordIntent(
    ann,
    'roll-pods',
    { cluster: 'prod', namespace: 'payments', serviceAccount: 'checkout' },
    { serviceAccount: 'checkout' },
  );
  await recordResult(id, { outcome: 'succeeded', result: { evicted: 3 } });
  await recordRefusal(sid, 'delete-association', { cluster: 'prod', namespace: 'search', associationId: 'a-9' }, {}, 'viewer role');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GET /api/v1/audit', () => {
  it('answers 401 in the error envelope without credentials or with a wrong token', async () => {
    for (const response of [await call(''), await call('', 'nope')]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
  });

  it("shows a team's token only that team's entries", async () => {
    const body = (await (await call('', 'payments-token')).json()) as {
      items: { type: string; target: { namespace: string } }[];
      errors: unknown[];
    };
    expect(body.errors).toEqual([]);
    expect(body.items.map((entry) => `${entry.type}:${entry.target.namespace}`)).toEqual([
      'apply-result:payments',
      'apply-intent:payments',
    ]);
  });

  it('shows an admin everything and applies filters', async () => {
    const all = (await (await call('', 'admin-token')).json()) as { items: unknown[] };
    expect(all.items).toHaveLength(3);
    const refused = (await (await call('?type=refused&actor=sid', 'admin-token')).json()) as {
      items: { outcome: string; error: { message: string } }[];
    };
    expect(refused.items).toHaveLength(1);
    expect(refused.items[0]).toMatchObject({ outcome: 'refused', error: { message: 'viewer role' } });
  });

  it('answers 400 naming each bad filter', async () => {
    const response = await call('?since=yesterday&type=deploy', 'admin-token');
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { details: { fields: Record<string, string> } } };
    expect(Object.keys(error.details.fields).sort()).toEqual(['since', 'type']);
    expect(error.details.fields.since).toContain('RFC 3339');
  });
});
