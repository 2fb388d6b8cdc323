import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sha256Hex } from '@/lib/auth/api-token';

// The route wrapper as a caller meets it: what is refused before the handler runs, and what every answer carries.

let dir: string;
let routes: Awaited<ReturnType<typeof makeRoutes>>;
const seen: { subject: string; payments: boolean; search: boolean; limit: number; id: string }[] = [];

async function makeRoutes() {
  const { apiRoute } = await import('./api-route');
  const query = (params: URLSearchParams) =>
    z.object({ limit: z.coerce.number().int().min(1) }).safeParse({ limit: params.get('limit') ?? 1 });
  const read = apiRoute<{ id: string }, { limit: number }>({ query }, async ({ principal, scope, query: { limit }, params: { id } }) => {
    seen.push({
      subject: principal.subject,
      payments: scope.canSeeNamespace('prod', 'payments'),
      search: scope.canSeeNamespace('prod', 'search'),
      limit,
      id,
    });
    return { id, limit };
  });
  const change = apiRoute(
    { csrf: true },
    async () => new Response('done', { status: 202, headers: { 'cache-control': 'private, max-age=5' } }),
  );
  const post = apiRoute({ csrf: true, body: '{"name": …}' }, async ({ body }) => ({ received: body }));
  return { read, change, post };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const segments = (id: string) => ({ params: Promise.resolve({ id }) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'api-route-'));
  writeFileSync(
    path.join(dir, 'console.yaml'),
    `auth:
  mode: proxy
  publicUrl: https://console.example.com
  proxy: { type: oauth2-proxy, oauth2Proxy: { trustedProxies: [10.0.0.1] } }
  apiTokens:
    - { sha256: ${sha256Hex('payments-token')}, subject: payments-ci, team: payments, role: viewer }
teams:
  - { name: payments, groups: [payments], clusters: [{ cluster: prod, namespaces: [payments], role: operator }] }
`,
  );
  process.env.CONSOLE_CONFIG = path.join(dir, 'console.yaml');
  process.env.DATA_DIR = dir;
  routes = await makeRoutes();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('apiRoute', () => {
  it('answers 401 without credentials, uncached, and never runs the handler', async () => {
    const response = await routes.read(new Request('http://127.0.0.1/api/x'), segments('a'));
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(seen).toEqual([]);
  });

  it('refuses a cross-site change before asking who the caller is', async () => {
    const response = await routes.change(
      new Request('http://127.0.0.1/api/x', {
        method: 'POST',
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      }),
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('csrf-rejected');
  });

  it('answers 400 naming the invalid query field, before the handler runs', async () => {
    const response = await routes.read(new Request('http://127.0.0.1/api/x?limit=0', { headers: bearer('payments-token') }), segments('a'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; details: { fields: Record<string, string> } } };
    expect(body.error.code).toBe('invalid-input');
    expect(Object.keys(body.error.details.fields)).toEqual(['limit']);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(seen).toEqual([]);
  });

  it("gives the handler the caller, the caller's scope, the parsed query and the path, and sends its value as uncached JSON", async () => {
    const response = await routes.read(new Request('http://127.0.0.1/api/x?limit=7', { headers: bearer('payments-token') }), segments('b'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ id: 'b', limit: 7 });
    expect(seen).toEqual([{ subject: 'payments-ci', payments: true, search: false, limit: 7, id: 'b' }]);
  });

  it("keeps a handler's own response, adding no-store only where it set no cache policy", async () => {
    const response = await routes.change(new Request('http://127.0.0.1/api/x', { method: 'POST', headers: bearer('payments-token') }));
    expect(response.status).toBe(202);
    expect(response.headers.get('cache-control')).toBe('private, max-age=5');
  });

  it('answers 400 with the expected shape when a body is not JSON, and gives the handler the parsed body', async () => {
    const post = (body: string) =>
      routes.post(new Request('http://127.0.0.1/api/x', { method: 'POST', headers: bearer('payments-token'), body }));
    const refused = await post('name=a');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('The body must be JSON: {"name": …}.');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await (await post('{"name":"a"}')).json()).toEqual({ received: { name: 'a' } });
  });
});
