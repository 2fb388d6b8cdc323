import { afterEach, describe, expect, it } from 'vitest';
import { teamsConfigSchema } from '@/lib/auth/config-schema';
import { resolvePrincipal } from '@/lib/auth/principal';
import { scopeFor } from '@/lib/auth/scope';
import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import type { ConsoleStore } from './console-store';

// The one suite both engines pass (design.md "Stores"): lib/store/sqlite-store.test.ts runs it on SQLite files,
// lib/store/pg-store.itest.ts on a real PostgreSQL. What it asserts is what the console relies on, whatever
// the engine: the audit trail's links, outcomes, filters and scope; sessions that end when revoked; jobs that
// one replica owns, any replica cancels, and another claims once the owner's lease ran out.

export interface StoreOptions {
  /** The store's clock for audit times and sessions (leases use the engine's own clock). */
  now?: () => Date;
  graceMs?: number;
  replicaId?: string;
}

/**
 * `open` gives a store on a fresh, empty database; `reopen` another store (another replica, or the same one
 * after a restart) on the database of the last `open`.
 */
export function storeSuite(
  engine: string,
  factory: { open(options?: StoreOptions): Promise<ConsoleStore>; reopen(options?: StoreOptions): Promise<ConsoleStore> },
): void {
  const ann = { subject: 'ann', groups: ['payments'], via: 'oidc' as const };
  const bob = { subject: 'bob', groups: ['search'], via: 'oidc' as const };
  const target = { cluster: 'prod-eu', namespace: 'payments-api', serviceAccount: 'checkout' };
  const opened: ConsoleStore[] = [];
  let clock = new Date('2026-11-22T10:00:00Z');
  const now = () => clock;
  const open = async (options: StoreOptions = {}) => {
    const store = await factory.open({ now, ...options });
    opened.push(store);
    return store;
  };
  const reopen = async (options: StoreOptions = {}) => {
    const store = await factory.reopen({ now, ...options });
    opened.push(store);
    return store;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    clock = new Date('2026-11-22T10:00:00Z');
  });

  describe(`${engine}: audit trail`, () => {
    it('links an intent and its result, once, and reports the result outcome', async () => {
      const { audit } = await open();
      const { correlationId } = await audit.recordIntent({
        actor: ann,
        actionType: 'create-association',
        target,
        request: { roleArn: 'r' },
      });
      expect((await audit.listAudit()).items[0].outcome).toBe('pending');
      await audit.recordResult(correlationId, { outcome: 'succeeded', result: { associationId: 'a-1' } });
      const [result, intent] = (await audit.listAudit()).items;
      expect(result).toMatchObject({
        type: 'apply-result',
        outcome: 'succeeded',
        correlationId,
        target,
        actor: ann,
        result: { associationId: 'a-1' },
      });
      expect(intent).toMatchObject({ type: 'apply-intent', outcome: 'succeeded', request: { roleArn: 'r' } });
      await expect(audit.recordResult(correlationId, { outcome: 'failed' })).rejects.toThrow('already has a recorded result');
      await expect(audit.recordResult('no-such-action', { outcome: 'failed' })).rejects.toThrow('no audit intent');
    });

    it('reports an intent with no result past the grace period as unknown outcome', async () => {
      const { audit } = await open({ graceMs: 60_000 });
      await audit.recordIntent({ actor: ann, actionType: 'delete-association', target, request: {} });
      clock = new Date('2026-11-22T10:00:59Z');
      expect((await audit.listAudit()).items[0].outcome).toBe('pending');
      clock = new Date('2026-11-22T10:01:01Z');
      expect((await audit.listAudit()).items[0].outcome).toBe('unknown outcome');
    });

    it('derives a long job state from its progress entries, and records an unknown outcome as such', async () => {
      const { audit } = await open({ graceMs: 60_000 });
      const { correlationId } = await audit.recordIntent({
        actor: ann,
        actionType: 'roll-pods',
        target,
        request: { serviceAccount: 'checkout' },
      });
      clock = new Date('2026-11-22T10:00:50Z');
      await audit.recordProgress(correlationId, { done: 2, total: 5, message: 'evicted checkout-2' });
      clock = new Date('2026-11-22T10:01:30Z');
      expect(await audit.jobState(correlationId)).toMatchObject({
        status: 'running',
        progress: { done: 2, total: 5 },
        actionType: 'roll-pods',
      });
      await audit.recordResult(correlationId, { outcome: 'failed', error: { message: 'PDB blocks eviction' } });
      expect(await audit.jobState(correlationId)).toMatchObject({
        status: 'failed',
        error: { message: 'PDB blocks eviction' },
        progress: { done: 2 },
      });
      expect(await audit.jobState('nope')).toBeUndefined();

      const lost = await audit.recordIntent({ actor: ann, actionType: 'roll-pods', target, request: {} });
      await audit.recordResult(lost.correlationId, { outcome: 'unknown outcome', error: { code: 'unknown-outcome' } });
      expect(await audit.jobState(lost.correlationId)).toMatchObject({ status: 'unknown outcome' });
      expect((await audit.listAudit({ type: 'apply-intent' })).items[0].outcome).toBe('unknown outcome');
    });

    it('filters by actor, type, cluster and since, newest first, with a cursor', async () => {
      const { audit } = await open();
      await audit.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
      clock = new Date('2026-11-22T11:00:00Z');
      await audit.recordEvent({
        actor: bob,
        type: 'refused',
        actionType: 'roll-pods',
        target: { cluster: 'prod-us', namespace: 'search' },
        outcome: 'refused',
      });
      clock = new Date('2026-11-22T12:00:00Z');
      await audit.recordEvent({ actor: ann, type: 'plan', actionType: 'roll-pods', target, outcome: 'succeeded' });
      const types = async (filters: Parameters<typeof audit.listAudit>[0]) =>
        (await audit.listAudit(filters)).items.map((entry) => entry.type);
      expect(await types({ actor: 'ann' })).toEqual(['plan', 'sign-in']);
      expect((await audit.listAudit({ type: 'refused' })).items.map((entry) => entry.actor.subject)).toEqual(['bob']);
      expect((await audit.listAudit({ type: 'refused' })).items[0].outcome).toBe('refused');
      expect(await types({ cluster: 'prod-eu' })).toEqual(['plan']);
      expect(await types({ since: '2026-11-22T12:30:00+02:00' })).toEqual(['plan', 'refused']);
      const first = await audit.listAudit({ limit: 2 });
      expect(first.items.map((entry) => entry.type)).toEqual(['plan', 'refused']);
      expect(await types({ limit: 2, cursor: first.nextCursor })).toEqual(['sign-in']);
    });

    it("shows a non-admin only entries in their scope and their own, past pages of other teams' entries", async () => {
      const { audit } = await open();
      await audit.recordEvent({
        actor: bob,
        type: 'refused',
        actionType: 'roll-pods',
        target: { cluster: 'prod-us', namespace: 'search' },
        outcome: 'refused',
      });
      await audit.recordEvent({ actor: bob, type: 'plan', actionType: 'roll-pods', target, outcome: 'succeeded' });
      for (let i = 0; i < 250; i++)
        await audit.recordEvent({
          actor: bob,
          type: 'plan',
          target: { cluster: 'prod-eu', namespace: `search-${i % 50}` },
          outcome: 'succeeded',
        });
      await audit.recordEvent({ actor: bob, type: 'plan', target: { cluster: 'staging' }, outcome: 'succeeded' });
      await audit.recordEvent({ actor: ann, type: 'sign-in', outcome: 'succeeded' });
      await audit.recordEvent({ actor: bob, type: 'sign-in', outcome: 'succeeded' });
      const teams = teamsConfigSchema.parse({
        teams: [
          { name: 'payments', groups: ['payments'], clusters: [{ cluster: 'prod-*', namespaces: ['payments-*'], role: 'operator' }] },
        ],
        admins: { groups: ['admins'] },
      });
      const principal = resolvePrincipal(ann, teams);
      const visibility = auditVisibilityFor(principal, scopeFor(principal, teams));
      const seen = (await audit.listAudit({ limit: 10 }, visibility)).items;
      expect(seen.map((entry) => `${entry.actor.subject}:${entry.type}`)).toEqual(['ann:sign-in', 'bob:plan']);
      expect((await audit.listAudit({ type: 'sign-in' }, visibility)).items.map((entry) => entry.actor.subject)).toEqual(['ann']);
      expect((await audit.listAudit({ cluster: 'prod-eu' }, visibility)).items.map((entry) => entry.type)).toEqual(['plan']);
      const admin = resolvePrincipal({ subject: 'root', groups: ['admins'], via: 'oidc' }, teams);
      expect((await audit.listAudit({ limit: 500 }, auditVisibilityFor(admin, scopeFor(admin, teams)))).items).toHaveLength(255);
      // Another replica (or the store opened again) finds the same scopes.
      expect((await (await reopen()).audit.listAudit({ limit: 10 }, visibility)).items).toHaveLength(2);
    });
  });

  describe(`${engine}: sessions`, () => {
    const inAnHour = () => new Date(clock.getTime() + 3600_000).toISOString();

    it('finds a live session by its token, never by its id, and ends it on revoke on every replica', async () => {
      const { sessions } = await open();
      const other = await reopen();
      const { token, record } = await sessions.create({ subject: 'ann', groups: ['payments'], expiresAt: inAnHour(), idToken: 'id-token' });
      expect(record.id).not.toBe(token);
      expect(await other.sessions.find(token)).toMatchObject({ subject: 'ann', groups: ['payments'], idToken: 'id-token' });
      expect(await other.sessions.find(record.id.slice(0, 43))).toBeUndefined();
      expect(await sessions.find('not a token')).toBeUndefined();
      expect(await other.sessions.revoke(record.id)).toMatchObject({ subject: 'ann', idToken: 'id-token' });
      expect(await sessions.find(token)).toBeUndefined();
      expect(await sessions.revoke(record.id)).toBeUndefined();
    });

    it('expires sessions, re-reads groups, and revokes every live session of a subject', async () => {
      const { sessions } = await open();
      const short = await sessions.create({ subject: 'ann', groups: [], expiresAt: new Date(clock.getTime() + 60_000).toISOString() });
      const long = await sessions.create({ subject: 'ann', groups: ['a'], expiresAt: inAnHour(), refreshToken: 'r1' });
      await sessions.create({ subject: 'bob', groups: [], expiresAt: inAnHour() });
      clock = new Date(clock.getTime() + 120_000);
      expect(await sessions.find(short.token)).toBeUndefined();
      await sessions.updateGroups(long.record.id, ['a', 'b'], undefined);
      expect(await sessions.find(long.token)).toMatchObject({ groups: ['a', 'b'], refreshToken: 'r1', groupsReadAt: clock.toISOString() });
      const live = await sessions.listLive();
      expect(live.map((session) => session.subject).sort()).toEqual(['ann', 'bob']);
      expect(live.some((session) => 'refreshToken' in session || 'idToken' in session)).toBe(false);
      expect(await sessions.revokeSubject('ann')).toBe(1);
      expect(await sessions.find(long.token)).toBeUndefined();
      expect((await sessions.listLive('ann')).length).toBe(0);
    });
  });

  describe(`${engine}: jobs`, () => {
    const record = (step: number) => ({ type: 'roll-pods', progress: { done: step, total: 3 } });

    it('one replica owns a job: only it saves it, any replica reads it and asks it to stop', async () => {
      const one = await open({ replicaId: 'replica-1' });
      const two = await reopen({ replicaId: 'replica-2' });
      await one.jobs.create({ id: 'job-1', kind: 'action', owner: 'replica-1', record: record(0), leaseMs: 60_000 });
      await expect(
        one.jobs.create({ id: 'job-1', kind: 'action', owner: 'replica-1', record: record(0), leaseMs: 60_000 }),
      ).rejects.toThrow();
      expect(await one.jobs.save('job-1', 'replica-1', 'running', record(1))).toBe(true);
      expect(await two.jobs.save('job-1', 'replica-2', 'running', record(2))).toBe(false);
      expect(await two.jobs.get('job-1')).toMatchObject({ status: 'running', owner: 'replica-1', leaseExpired: false, record: record(1) });

      expect((await one.jobs.heartbeat('replica-1', 60_000)).cancelRequested).toEqual([]);
      expect(await two.jobs.requestCancel('job-1')).toBe(true);
      expect(await one.jobs.heartbeat('replica-1', 60_000)).toEqual({ renewed: ['job-1'], cancelRequested: ['job-1'] });
      expect(await one.jobs.save('job-1', 'replica-1', 'cancelled', record(2))).toBe(true);
      expect(await two.jobs.get('job-1')).toMatchObject({ status: 'cancelled', record: record(2), cancelRequested: true });
      // Ended: no more writes, no more cancels, no more heartbeats.
      expect(await one.jobs.save('job-1', 'replica-1', 'running', record(3))).toBe(false);
      expect(await two.jobs.requestCancel('job-1')).toBe(false);
      expect((await one.jobs.heartbeat('replica-1', 60_000)).renewed).toEqual([]);
      expect(await one.jobs.get('nope')).toBeUndefined();
    });

    it('a job whose lease ran out is claimed by exactly one replica, which then owns it', async () => {
      const one = await open({ replicaId: 'replica-1' });
      const two = await reopen({ replicaId: 'replica-2' });
      const three = await reopen({ replicaId: 'replica-3' });
      await one.jobs.create({ id: 'live', kind: 'action', owner: 'replica-1', record: record(0), leaseMs: 60_000 });
      for (const id of ['dead-1', 'dead-2', 'dead-3'])
        await one.jobs.create({ id, kind: 'migration', owner: 'replica-1', record: record(1), leaseMs: 1 });
      await sleep(30);
      expect(await two.jobs.get('dead-1')).toMatchObject({ status: 'running', leaseExpired: true });
      const [byTwo, byThree] = await Promise.all([
        two.jobs.claimExpired('replica-2', 60_000),
        three.jobs.claimExpired('replica-3', 60_000),
      ]);
      const claimed = [...byTwo.map((job) => job.id), ...byThree.map((job) => job.id)].sort();
      expect(claimed).toEqual(['dead-1', 'dead-2', 'dead-3']);
      expect([...byTwo, ...byThree].every((job) => !job.leaseExpired && job.kind === 'migration')).toBe(true);
      expect(await two.jobs.claimExpired('replica-2', 60_000)).toEqual([]);
      const taken = byTwo[0] ?? byThree[0];
      // The dead owner can no longer write it; the claimant ends it.
      expect(await one.jobs.save(taken.id, 'replica-1', 'succeeded', record(3))).toBe(false);
      expect(await two.jobs.save(taken.id, taken.owner, 'unknown outcome', taken.record)).toBe(true);
      expect(await one.jobs.get(taken.id)).toMatchObject({ status: 'unknown outcome', owner: taken.owner, leaseExpired: false });
      expect((await one.jobs.list({ kind: 'migration' })).length).toBe(3);
      expect((await one.jobs.list({ status: 'running', kind: 'action' })).map((job) => job.id)).toEqual(['live']);
    });

    it('a heartbeat keeps a job from being claimed', async () => {
      const one = await open({ replicaId: 'replica-1' });
      const two = await reopen({ replicaId: 'replica-2' });
      await one.jobs.create({ id: 'kept', kind: 'action', owner: 'replica-1', record: record(0), leaseMs: 1 });
      expect((await one.jobs.heartbeat('replica-1', 60_000)).renewed).toEqual(['kept']);
      await sleep(30);
      expect(await two.jobs.claimExpired('replica-2', 60_000)).toEqual([]);
      expect(await two.jobs.get('kept')).toMatchObject({ leaseExpired: false, owner: 'replica-1' });
    });
  });

  describe(`${engine}: locks`, () => {
    it('a named lock is held by one holder until released', async () => {
      const store = await open();
      const held = await store.tryLock('background');
      expect(held?.held()).toBe(true);
      expect(await store.tryLock('background')).toBeUndefined();
      const other = await store.tryLock('something-else');
      expect(other).toBeDefined();
      await held!.release();
      expect(held!.held()).toBe(false);
      const again = await store.tryLock('background');
      expect(again).toBeDefined();
      await again!.release();
      await other!.release();
    });
  });
}
