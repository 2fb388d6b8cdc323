import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { teamsConfigSchema } from '@/lib/auth/config-schema';
import { resolvePrincipal } from '@/lib/auth/principal';
import { scopeFor } from '@/lib/auth/scope';
import { auditVisibilityFor } from './audit-scope';
import { AuditStore } from './audit-store';

const ann = { subject: 'ann', groups: ['payments'], via: 'oidc' as const };
const bob = { subject: 'bob', groups: ['search'], via: 'oidc' as const };
const target = { cluster: 'prod-eu', namespace: 'payments-api', serviceAccount: 'checkout' };
let dir: string;
let file: string;
let clock: Date;
const stores: AuditStore[] = [];
const open = (options: { bootId?: string; graceMs?: number } = {}) => {
  const store = new AuditStore(file, { ...options, now: () => clock });
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

describe('AuditStore', () => {
  it('links an intent and its result and reports the result outcome', () => {
    const store = open();
    const { correlationId } = store.recordIntent({
      actor: ann,
      actionType: 'create-association',
      target,
      request: { roleArn: 'arn:aws:iam::1:role/r' },
    });
    expect(store.listAudit().items[0].outcome).toBe('pending');
    store.recordResult(correlationId, { outcome: 'succeeded', result: { associationId: 'a-1' } });
    const [result, intent] = store.listAudit().items;
    expect(result).toMatchObject({
      type: 'apply-result',
      outcome: 'succeeded',
      correlationId,
      target,
      actor: ann,
      result: { associationId: 'a-1' },
    });
    expect(intent).toMatchObject({ type: 'apply-intent', outcome: 'succeeded', request: { roleArn: 'arn:aws:iam::1:role/r' } });
    expect(() => store.recordResult(correlationId, { outcome: 'failed' })).toThrow('already has a recorded result');
  });

  it('reports an intent left by an earlier process as unknown outcome', () => {
    const { correlationId } = open({ bootId: 'boot-1' }).recordIntent({ actor: ann, actionType: 'roll-pods', target, request: {} });
    const afterRestart = open({ bootId: 'boot-2' });
    expect(afterRestart.listAudit().items[0].outcome).toBe('unknown outcome');
    expect(afterRestart.jobState(correlationId)?.status).toBe('unknown outcome');
  });

  it('reports an intent with no result past the grace period as unknown outcome', () => {
    const store = open({ graceMs: 60_000 });
    store.recordIntent({ actor: ann, actionType: 'delete-association', target, request: {} });
    clock = new Date('2026-11-22T10:00:59Z');
    expect(store.listAudit().items[0].outcome).toBe('pending');
    clock = new Date('2026-11-22T10:01:01Z');
    expect(store.listAudit().items[0].outcome).toBe('unknown outcome');
  });

  it('derives a long job state from its progress entries', () => {
    const store = open({ graceMs: 60_000 });
    const { correlationId } = store.recordIntent({ actor: ann, actionType: 'roll-pods', target, request: { serviceAccount: 'checkout' } });
    clock = new Date('2026-11-22T10:00:50Z');
    store.recordProgress(correlationId, { done: 2, total: 5, message: 'evicted checkout-2' });
    clock = new Date('2026-11-22T10:01:30Z');
    expect(store.jobState(correlationId)).toMatchObject({ status: 'running', progress: { done: 2, total: 5 }, actionType: 'roll-pods' });
    store.recordResult(correlationId, { outcome: 'failed', error: { message: 'PDB blocks eviction' } });
    expect(store.jobState(correlationId)).toMatchObject({
      status: 'failed',
      error: { message: 'PDB blocks eviction' },
      progress: { done: 2 },
    });
    expect(store.jobState('nope')).toBeUndefined();
  });

  it('refuses UPDATE and DELETE at the database level', () => {
    const store = open();
    store.recordEvent({ actor: ann, type: 'refused', actionType: 'roll-pods', target, outcome: 'refused', error: { message: 'viewer' } });
    const raw = new Database(file);
    expect(() => raw.prepare(`UPDATE audit_entries SET outcome = 'succeeded'`).run()).toThrow('append-only');
    expect(() => raw.prepare('DELETE FROM audit_entries').run()).toThrow('append-only');
    raw.close();
    expect(store.listAudit().items[0].outcome).toBe('refused');
  });

  it('filters by actor, type, cluster and since, newest first, with a cursor', () => {
    const store = open();
    store.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
    clock = new Date('2026-11-22T11:00:00Z');
    store.recordEvent({
      actor: bob,
      type: 'refused',
      actionType: 'roll-pods',
      target: { cluster: 'prod-us', namespace: 'search' },
      outcome: 'refused',
    });
    clock = new Date('2026-11-22T12:00:00Z');
    store.recordEvent({ actor: ann, type: 'plan', actionType: 'roll-pods', target, outcome: 'succeeded' });
    expect(store.listAudit({ actor: 'ann' }).items.map((entry) => entry.type)).toEqual(['plan', 'sign-in']);
    expect(store.listAudit({ type: 'refused' }).items.map((entry) => entry.actor.subject)).toEqual(['bob']);
    expect(store.listAudit({ cluster: 'prod-eu' }).items.map((entry) => entry.type)).toEqual(['plan']);
    expect(store.listAudit({ since: '2026-11-22T12:30:00+02:00' }).items.map((entry) => entry.type)).toEqual(['plan', 'refused']);
    const first = store.listAudit({ limit: 2 });
    expect(first.items.map((entry) => entry.type)).toEqual(['plan', 'refused']);
    expect(store.listAudit({ limit: 2, cursor: first.nextCursor }).items.map((entry) => entry.type)).toEqual(['sign-in']);
  });

  it('shows a non-admin only entries in their scope and their own', () => {
    const store = open();
    store.recordEvent({
      actor: bob,
      type: 'refused',
      actionType: 'roll-pods',
      target: { cluster: 'prod-us', namespace: 'search' },
      outcome: 'refused',
    });
    store.recordEvent({ actor: bob, type: 'plan', actionType: 'roll-pods', target, outcome: 'succeeded' });
    store.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
    store.recordEvent({ actor: bob, type: 'sign-in', outcome: 'succeeded' });
    const teams = teamsConfigSchema.parse({
      teams: [{ name: 'payments', groups: ['payments'], clusters: [{ cluster: 'prod-*', namespaces: ['payments-*'], role: 'operator' }] }],
      admins: { groups: ['admins'] },
    });
    const principal = resolvePrincipal(ann, teams);
    const seen = store.listAudit({}, auditVisibilityFor(principal, scopeFor(principal, teams))).items;
    expect(seen.map((entry) => `${entry.actor.subject}:${entry.type}`)).toEqual(['ann:sign-in', 'bob:plan']);
    // The Activity page's filters apply to a scoped read too (a type or cluster filter once broke its SQL).
    const visibility = auditVisibilityFor(principal, scopeFor(principal, teams));
    expect(store.listAudit({ type: 'sign-in' }, visibility).items.map((entry) => entry.actor.subject)).toEqual(['ann']);
    expect(store.listAudit({ cluster: 'prod-eu' }, visibility).items.map((entry) => entry.type)).toEqual(['plan']);
    const admin = resolvePrincipal({ subject: 'root', groups: ['admins'], via: 'oidc' }, teams);
    expect(store.listAudit({}, auditVisibilityFor(admin, scopeFor(admin, teams))).items).toHaveLength(4);
  });

  it("reads a scoped page through its indexes: other teams' entries are never scanned", () => {
    const store = open();
    const teams = teamsConfigSchema.parse({
      teams: [{ name: 'payments', groups: ['payments'], clusters: [{ cluster: 'prod-*', namespaces: ['payments-*'], role: 'operator' }] }],
    });
    for (let i = 0; i < 300; i++)
      store.recordEvent({ actor: bob, type: 'plan', target: { cluster: 'prod-eu', namespace: `search-${i % 50}` }, outcome: 'succeeded' });
    store.recordEvent({ actor: bob, type: 'plan', target, outcome: 'succeeded' });
    store.recordEvent({ actor: bob, type: 'plan', target: { cluster: 'staging' }, outcome: 'succeeded' });
    store.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
    const principal = resolvePrincipal(ann, teams);
    const visibility = auditVisibilityFor(principal, scopeFor(principal, teams));
    const seen = store.listAudit({ limit: 10 }, visibility).items;
    // Her own sign-in and the entry in payments-api; neither the search namespaces nor a cluster outside her grants.
    expect(seen.map((entry) => `${entry.actor.subject}:${entry.target.namespace ?? '-'}`)).toEqual(['ann:-', 'bob:payments-api']);
    const plan = store.listQueryPlan({}, visibility.reader);
    expect(plan.some((detail) => /USING (COVERING )?INDEX audit_entries_(scope|actor_via)/.test(detail))).toBe(true);
    // No full pass over the entries table (a SCAN of audit_entries without an index).
    expect(plan.filter((detail) => /^SCAN e\b|^SCAN audit_entries\b/.test(detail) && !/INDEX/.test(detail))).toEqual([]);
    // The store opened again finds the same pairs (they are kept beside the entries).
    expect(open().listAudit({ limit: 10 }, visibility).items).toHaveLength(2);
  });
});
