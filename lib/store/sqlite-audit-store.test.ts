import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamsConfigSchema } from '@/lib/auth/config-schema';
import { resolvePrincipal } from '@/lib/auth/principal';
import { scopeFor } from '@/lib/auth/scope';
import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import { SqliteAuditStore } from './sqlite-audit-store';

const ann = { subject: 'ann', groups: ['payments'], via: 'oidc' as const };
const bob = { subject: 'bob', groups: ['search'], via: 'oidc' as const };
const target = { cluster: 'prod-eu', namespace: 'payments-api', serviceAccount: 'checkout' };
let dir: string;
let file: string;
let clock: Date;
const stores: SqliteAuditStore[] = [];
const open = (options: { bootId?: string; graceMs?: number } = {}) => {
  const store = new SqliteAuditStore(file, { ...options, now: () => clock });
  stores.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'audit-'));
  file = path.join(dir, 'audit.sqlite');
  clock = new Date('2026-11-22T10:00:00Z');
});
afterEach(() => {
  stores.splice(0).forEach((store) => store.close());
  rmSync(dir, { recursive: true, force: true });
});

// What only the SQLite engine does; what both engines do is lib/store/store-suite.ts.
describe('SqliteAuditStore', () => {
  it('reports an intent left by an earlier process as unknown outcome', async () => {
    const { correlationId } = await open({ bootId: 'boot-1' }).recordIntent({ actor: ann, actionType: 'roll-pods', target, request: {} });
    const afterRestart = open({ bootId: 'boot-2' });
    expect((await afterRestart.listAudit()).items[0].outcome).toBe('unknown outcome');
    expect((await afterRestart.jobState(correlationId))?.status).toBe('unknown outcome');
  });

  it('refuses UPDATE and DELETE at the database level', async () => {
    const store = open();
    await store.recordEvent({
      actor: ann,
      type: 'refused',
      actionType: 'roll-pods',
      target,
      outcome: 'refused',
      error: { message: 'viewer' },
    });
    const raw = new Database(file);
    expect(() => raw.prepare(`UPDATE audit_entries SET outcome = 'succeeded'`).run()).toThrow('append-only');
    expect(() => raw.prepare('DELETE FROM audit_entries').run()).toThrow('append-only');
    raw.close();
    expect((await store.listAudit()).items[0].outcome).toBe('refused');
  });

  it("reads a scoped page through its indexes: other teams' entries are never scanned", async () => {
    const store = open();
    const teams = teamsConfigSchema.parse({
      teams: [{ name: 'payments', groups: ['payments'], clusters: [{ cluster: 'prod-*', namespaces: ['payments-*'], role: 'operator' }] }],
    });
    for (let i = 0; i < 300; i++)
      await store.recordEvent({
        actor: bob,
        type: 'plan',
        target: { cluster: 'prod-eu', namespace: `search-${i % 50}` },
        outcome: 'succeeded',
      });
    await store.recordEvent({ actor: bob, type: 'plan', target, outcome: 'succeeded' });
    await store.recordEvent({ actor: bob, type: 'plan', target: { cluster: 'staging' }, outcome: 'succeeded' });
    await store.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
    const principal = resolvePrincipal(ann, teams);
    const visibility = auditVisibilityFor(principal, scopeFor(principal, teams));
    const seen = (await store.listAudit({ limit: 10 }, visibility)).items;
    // Her own sign-in and the entry in payments-api; neither the search namespaces nor a cluster outside her grants.
    expect(seen.map((entry) => `${entry.actor.subject}:${entry.target.namespace ?? '-'}`)).toEqual(['ann:-', 'bob:payments-api']);
    const plan = store.listQueryPlan({}, visibility.reader);
    expect(plan.some((detail) => /USING (COVERING )?INDEX audit_entries_(scope|actor_via)/.test(detail))).toBe(true);
    // No full pass over the entries table (a SCAN of audit_entries without an index).
    expect(plan.filter((detail) => /^SCAN e\b|^SCAN audit_entries\b/.test(detail) && !/INDEX/.test(detail))).toEqual([]);
    // The store opened again finds the same pairs (they are kept beside the entries).
    expect((await open().listAudit({ limit: 10 }, visibility)).items).toHaveLength(2);
  });
});
