import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConsoleAuthConfig } from './console-auth-config';
import { resolvePrincipal } from './principal';

let dir: string;
const teamsDocument = {
  teams: [
    {
      name: 'payments',
      groups: ['payments'],
      clusters: [
        { cluster: 'prod', namespaces: ['payments'], role: 'operator' },
        { cluster: 'prod', namespaces: ['shared'], role: 'viewer' },
      ],
    },
  ],
  admins: { groups: ['admins'] },
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'authorize-'));
  writeFileSync(
    path.join(dir, 'console.yaml'),
    JSON.stringify({
      auth: {
        mode: 'proxy',
        publicUrl: 'https://console.example.com',
        proxy: { type: 'oauth2-proxy', oauth2Proxy: { trustedProxies: ['10.0.0.1'] } },
      },
      ...teamsDocument,
    }),
  );
  process.env.CONSOLE_CONFIG = path.join(dir, 'console.yaml');
  process.env.DATA_DIR = dir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refuseUnlessCanAct', () => {
  const teams = parseConsoleAuthConfig(teamsDocument, {}).teams;
  const ann = resolvePrincipal({ subject: 'ann', groups: ['payments'], via: 'proxy' }, teams);

  it('lets an operator act in their namespace and records nothing', async () => {
    const { refuseUnlessCanAct } = await import('./authorize');
    expect(await refuseUnlessCanAct(ann, 'roll-pods', { cluster: 'prod', namespace: 'payments' }, {})).toBeUndefined();
    expect(
      await refuseUnlessCanAct(
        resolvePrincipal({ subject: 'root', groups: ['admins'], via: 'proxy' }, teams),
        'fix-trust-policy',
        { roleArn: 'arn:aws:iam::1:role/r' },
        {},
      ),
    ).toBeUndefined();
  });

  it('refuses a viewer, out-of-scope and cluster-wide actions with 403 and audits each refusal', async () => {
    const { refuseUnlessCanAct } = await import('./authorize');
    const { listAudit } = await import('@/lib/audit/audit-log');
    const viewer = await refuseUnlessCanAct(ann, 'roll-pods', { cluster: 'prod', namespace: 'shared' }, { serviceAccount: 'x' });
    expect(viewer?.status).toBe(403);
    expect(((await viewer!.json()) as { error: { message: string } }).error.message).toContain('viewer');
    expect((await refuseUnlessCanAct(ann, 'roll-pods', { cluster: 'staging', namespace: 'payments' }, {}))?.status).toBe(403);
    expect((await refuseUnlessCanAct(ann, 'register-oidc-provider', { cluster: 'prod' }, {}))?.status).toBe(403);
    expect((await refuseUnlessCanAct(ann, 'fix-trust-policy', { roleArn: 'arn:aws:iam::1:role/r' }, {}))?.status).toBe(403);
    const refusals = (await listAudit({ type: 'refused', actor: 'ann' })).items;
    expect(refusals).toHaveLength(4);
    expect(refusals.at(-1)).toMatchObject({
      outcome: 'refused',
      target: { cluster: 'prod', namespace: 'shared' },
      request: { serviceAccount: 'x' },
    });
  });
});
