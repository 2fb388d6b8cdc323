import { describe, expect, it } from 'vitest';
import { CollectCache, cacheKey } from './cache';
import { ConcurrencyPool } from './pool';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('cacheKey', () => {
  it('does not depend on the order of the parameters and drops undefined ones', () => {
    expect(cacheKey('eks:DescribeCluster', { region: 'us-east-1', cluster: 'prod' })).toBe(
      cacheKey('eks:DescribeCluster', { cluster: 'prod', region: 'us-east-1', account: undefined }),
    );
    expect(cacheKey('iam:GetRole', { roleArn: 'a' })).not.toBe(cacheKey('iam:GetRole', { roleArn: 'b' }));
  });
});

describe('CollectCache', () => {
  it('says when the oldest stored read of an operation was loaded, leaving failures out (the ages the cluster pages show)', async () => {
    const clock = fakeClock();
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 5_000, concurrency: 4, now: clock.now });
    await cache.get('iam:GetRole', { roleArn: 'a' }, async () => 'a');
    clock.advance(10_000);
    await cache.get('iam:GetRole', { roleArn: 'b' }, async () => 'b');
    await cache.get('iam:GetRole', { roleArn: 'c' }, () => Promise.reject(new Error('AccessDenied'))).catch(() => undefined);
    expect(cache.oldestLoad('iam:GetRole', () => true)).toBe(1_000_000);
    expect(cache.oldestLoad('iam:GetRole', (params) => params.roleArn !== 'a')).toBe(1_010_000);
    expect(cache.oldestLoad('iam:GetRole', (params) => params.roleArn === 'c')).toBeUndefined();
    expect(cache.oldestLoad('eks:ListPodIdentityAssociations', () => true)).toBeUndefined();
  });

  it('makes one call when several callers ask at the same time (single-flight)', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const callers = [1, 2, 3, 4, 5].map(() => cache.get('iam:GetRole', { roleArn: 'arn:aws:iam::1:role/a' }, load));
    gate.resolve('role-a');
    expect(await Promise.all(callers)).toEqual(['role-a', 'role-a', 'role-a', 'role-a', 'role-a']);
    expect(loads).toBe(1);
    expect(cache.stats()).toMatchObject({ calls: 1, joins: 4, hits: 0 });
  });

  it('serves a stored result until the TTL passes, then loads again', async () => {
    const clock = fakeClock();
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4, now: clock.now });
    let version = 0;
    const load = async () => ++version;
    expect(await cache.get('eks:DescribeCluster', { cluster: 'prod' }, load)).toBe(1);
    clock.advance(29_999);
    expect(await cache.get('eks:DescribeCluster', { cluster: 'prod' }, load)).toBe(1);
    clock.advance(2);
    expect(await cache.get('eks:DescribeCluster', { cluster: 'prod' }, load)).toBe(2);
    expect(cache.stats()).toMatchObject({ calls: 2, hits: 1 });
  });

  it('keeps different parameters apart', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    const a = await cache.get('iam:GetRole', { roleArn: 'a' }, async () => 'A');
    const b = await cache.get('iam:GetRole', { roleArn: 'b' }, async () => 'B');
    expect([a, b]).toEqual(['A', 'B']);
  });

  it('shares a failure with the callers already waiting, then retries once the short error TTL passes', async () => {
    const clock = fakeClock();
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 2_000, concurrency: 4, now: clock.now });
    let attempts = 0;
    const load = async () => {
      attempts++;
      if (attempts === 1) throw new Error('Throttling');
      return 'ok';
    };
    const first = cache.get('eks:DescribePodIdentityAssociation', { id: 'a-1' }, load);
    const joined = cache.get('eks:DescribePodIdentityAssociation', { id: 'a-1' }, load);
    await expect(first).rejects.toThrow('Throttling');
    await expect(joined).rejects.toThrow('Throttling');
    clock.advance(1_000);
    await expect(cache.get('eks:DescribePodIdentityAssociation', { id: 'a-1' }, load)).rejects.toThrow('Throttling');
    clock.advance(1_001);
    await expect(cache.get('eks:DescribePodIdentityAssociation', { id: 'a-1' }, load)).resolves.toBe('ok');
    expect(attempts).toBe(2);
  });

  it('with no error TTL, the next caller after a failure tries again at once', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    let attempts = 0;
    const load = async () => {
      attempts++;
      if (attempts === 1) throw new Error('down');
      return 'up';
    };
    await expect(cache.get('k', {}, load)).rejects.toThrow('down');
    await tick();
    await expect(cache.get('k', {}, load)).resolves.toBe('up');
  });

  it('never runs more pooled calls at once than the bound, and runs them all', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 3 });
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    const calls = gates.map((gate, index) =>
      cache.get(
        'iam:GetRole',
        { roleArn: `r${index}` },
        async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
          return index;
        },
        { pooled: true },
      ),
    );
    await tick();
    expect(running).toBe(3);
    for (const gate of gates) {
      gate.resolve();
      await tick();
    }
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(cache.stats().peakConcurrency).toBe(3);
  });

  it("invalidates by parameter: a write to one cluster drops only that cluster's reads", async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('eks:ListPodIdentityAssociations', { cluster: 'prod', region: 'us-east-1' }, load);
    await cache.get('eks:ListPodIdentityAssociations', { cluster: 'staging', region: 'us-east-1' }, load);
    await cache.get('iam:GetRole', { roleArn: 'arn:aws:iam::1:role/a' }, load);
    expect(cache.invalidate({ cluster: 'prod' })).toBe(1);
    await cache.get('eks:ListPodIdentityAssociations', { cluster: 'prod', region: 'us-east-1' }, load);
    await cache.get('eks:ListPodIdentityAssociations', { cluster: 'staging', region: 'us-east-1' }, load);
    await cache.get('iam:GetRole', { roleArn: 'arn:aws:iam::1:role/a' }, load);
    expect(loads).toBe(4);
    expect(cache.invalidate({ roleArn: 'arn:aws:iam::1:role/a' })).toBe(1);
    expect(await cache.get('iam:GetRole', { roleArn: 'arn:aws:iam::1:role/a' }, load)).toBe(5);
  });

  it('invalidates by key prefix', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('iam:ListRoles', { account: '1' }, load);
    await cache.get('iam:GetRole', { roleArn: 'x' }, load);
    await cache.get('eks:DescribeCluster', { cluster: 'c' }, load);
    expect(cache.invalidate({ prefix: 'iam:' })).toBe(2);
    expect(cache.invalidate({})).toBe(0);
    await cache.get('eks:DescribeCluster', { cluster: 'c' }, load);
    expect(loads).toBe(3);
  });

  it('does not keep a load that was under way when it was invalidated', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    const gate = deferred<string>();
    const before = cache.get('iam:GetRole', { roleArn: 'a' }, () => gate.promise);
    cache.invalidate({ roleArn: 'a' });
    const after = cache.get('iam:GetRole', { roleArn: 'a' }, async () => 'new trust policy');
    gate.resolve('old trust policy');
    expect(await before).toBe('old trust policy');
    expect(await after).toBe('new trust policy');
    expect(await cache.get('iam:GetRole', { roleArn: 'a' }, async () => 'third')).toBe('new trust policy');
  });
});

describe('ConcurrencyPool', () => {
  it('rejects a bound that is not a positive integer', () => {
    expect(() => new ConcurrencyPool(0)).toThrow('positive integer');
  });

  it('starts waiting tasks in arrival order and keeps going after a failure', async () => {
    const pool = new ConcurrencyPool(1);
    const order: number[] = [];
    const tasks = [0, 1, 2].map((index) =>
      pool.run(async () => {
        order.push(index);
        if (index === 0) throw new Error('first fails');
        return index;
      }),
    );
    await expect(tasks[0]).rejects.toThrow('first fails');
    expect(await Promise.all(tasks.slice(1))).toEqual([1, 2]);
    expect(order).toEqual([0, 1, 2]);
  });
});

describe('separate bounds for S3 and the control planes', () => {
  it('S3 reads run under their own bound and never take a control-plane slot', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 2, s3Concurrency: 4 });
    const releases: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const s3 = Array.from({ length: 6 }, (_, index) => cache.get('s3:GetObject', { key: String(index) }, hold, { pooled: true }));
    const iam = Array.from({ length: 3 }, (_, index) => cache.get('iam:GetRole', { roleArn: String(index) }, hold, { pooled: true }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // 4 S3 reads and 2 IAM calls are running; the rest wait for their own pool.
    expect(releases).toHaveLength(6);
    expect(cache.stats()).toMatchObject({ peakS3Concurrency: 4, peakConcurrency: 2 });
    while (releases.length) releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    while (releases.length) releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    while (releases.length) releases.shift()!();
    await Promise.all([...s3, ...iam]);
  });
});

describe('backing off an operation throttled past the retries', () => {
  const throttled = () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

  it('fails later calls of the same operation and credentials at once, with the throttling code, until the back-off ends', async () => {
    let now = 1_000_000;
    // Past the retries (none here): the throttling is reported, and the operation backs off.
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4, throttleRetries: 0, now: () => now });
    let describes = 0;
    const describe = (id: string, load: () => Promise<unknown>) =>
      cache.get(
        'eks:DescribePodIdentityAssociation',
        { associationId: id, region: 'us-east-1' },
        () => {
          describes++;
          return load();
        },
        { pooled: true },
      );

    await expect(describe('a-1', throttled)).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
    const skipped = describe('a-2', () => Promise.resolve('never called'));
    await expect(skipped).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(skipped).rejects.toThrow(/backs off/);
    expect(describes).toBe(1);
    expect(cache.stats()).toMatchObject({ skipped: 1, callsByOperation: { 'eks:DescribePodIdentityAssociation': 1 } });

    // Another operation, or other credentials, are not held back.
    await expect(
      cache.get('eks:DescribePodIdentityAssociation', { associationId: 'a-3', region: 'eu-west-1' }, () => Promise.resolve('ok'), {
        pooled: true,
      }),
    ).resolves.toBe('ok');

    now += 16_000;
    await expect(describe('a-4', () => Promise.resolve('answered'))).resolves.toBe('answered');
  });

  it("retries a throttled call after a jittered wait instead of failing it, and narrows that account's window (AIMD)", async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 16, accountConcurrency: 8, throttleBackoffMs: 5 });
    let attempts = 0;
    const answer = cache.get(
      'eks:DescribePodIdentityAssociation',
      { associationId: 'a-1', region: 'us-east-1' },
      () => (++attempts < 3 ? throttled() : Promise.resolve('described')),
      { pooled: true },
    );
    await expect(answer).resolves.toBe('described');
    expect(attempts).toBe(3);
    const stats = cache.stats();
    expect(stats.throttled).toBe(2);
    // Halved once (two throttles within a second count once), then widened a little by the success.
    expect(Object.values(stats.accountLimits)).toEqual([4]);
    expect(stats.skipped).toBe(0);
  });

  it('does not back off for other errors', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4 });
    await expect(
      cache.get('iam:GetRole', { roleArn: 'r1' }, () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDenied' })), {
        pooled: true,
      }),
    ).rejects.toThrow('denied');
    await expect(cache.get('iam:GetRole', { roleArn: 'r2' }, () => Promise.resolve('found'), { pooled: true })).resolves.toBe('found');
  });
});

describe('the per-call deadline', () => {
  it('stops waiting for a call past the deadline, reports DeadlineExceeded and backs the operation off', async () => {
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4, callDeadlineMs: 50 });
    const never = () => new Promise<string>(() => undefined);
    await expect(cache.get('eks:DescribeCluster', { cluster: 'a', region: 'us-east-1' }, never, { pooled: true })).rejects.toMatchObject({
      name: 'DeadlineExceeded',
    });
    await expect(
      cache.get('eks:DescribeCluster', { cluster: 'b', region: 'us-east-1' }, () => Promise.resolve('x'), { pooled: true }),
    ).rejects.toThrow(/backs off/);
  });
});

describe('rolling re-reads under a call budget (issue 17: steady state within 2× the listings)', () => {
  const rollingCache = (options: Partial<ConstructorParameters<typeof CollectCache>[0]>) =>
    new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4, ...options });

  /** Simulates `minutes` of a collection asking for every key once a minute; returns the loads made per minute. */
  async function loadsPerMinute(
    cache: CollectCache,
    clock: ReturnType<typeof fakeClock>,
    keys: number,
    minutes: number,
  ): Promise<number[]> {
    const perMinute: number[] = [];
    for (let minute = 0; minute < minutes; minute++) {
      const before = cache.stats().calls;
      for (let i = 0; i < keys; i++) await cache.get('iam:GetRole', { roleArn: `r${i}` }, async () => ({ i }), { rolling: 'iam' });
      perMinute.push(cache.stats().calls - before);
      clock.advance(60_000);
    }
    return perMinute;
  }

  it('spends at most the budget a minute, on average, once the reads outnumber what their period allows', async () => {
    const clock = fakeClock();
    let seed = 1;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const cache = new CollectCache({
      ttlMs: 30_000,
      errorTtlMs: 0,
      concurrency: 4,
      iamRereadMs: 300_000,
      rereadCallsPerMinute: 50,
      now: clock.now,
      random,
    });
    const perMinute = await loadsPerMinute(cache, clock, 2_000, 120);
    expect(perMinute[0]).toBe(2_000); // the first pass reads everything
    // 2,000 reads at 50 a minute: a 40-minute period instead of the configured 5 minutes.
    expect(cache.rollingPeriodMs('iam')).toBe(40 * 60_000);
    const after = perMinute.slice(1);
    expect(Math.max(...after.slice(0, 19))).toBe(0); // nothing is re-read before half the stretched period
    const average = after.reduce((sum, calls) => sum + calls, 0) / after.length;
    expect(average).toBeGreaterThan(30);
    expect(average).toBeLessThanOrEqual(50);
    // Spread out, not in one wave: no minute re-reads more than twice the budget.
    expect(Math.max(...after)).toBeLessThanOrEqual(100);
  });

  it('keeps the configured period while the fleet is small enough for the budget', async () => {
    const clock = fakeClock();
    const cache = rollingCache({ iamRereadMs: 300_000, rereadCallsPerMinute: 50, now: clock.now, random: () => 0.5 });
    await loadsPerMinute(cache, clock, 100, 1);
    expect(cache.rollingPeriodMs('iam')).toBe(300_000);
    // jitter 0.5 + 0.5 = 1.0: re-read exactly one period after the load.
    expect(await loadsPerMinute(cache, clock, 100, 5)).toEqual([0, 0, 0, 0, 100]);
  });

  it('with no budget (0) the periods are as configured, whatever they cost', async () => {
    const clock = fakeClock();
    const cache = rollingCache({ iamRereadMs: 120_000, rereadCallsPerMinute: 0, now: clock.now, random: () => 0.5 });
    expect(await loadsPerMinute(cache, clock, 1_000, 5)).toEqual([1_000, 0, 1_000, 0, 1_000]);
  });

  it('forgotten and invalidated reads stop counting against the budget, and cluster reads never count', async () => {
    const clock = fakeClock();
    const cache = rollingCache({ iamRereadMs: 60_000, rereadCallsPerMinute: 1, now: clock.now });
    for (let i = 0; i < 10; i++) await cache.get('iam:GetRole', { roleArn: `r${i}` }, async () => i, { rolling: 'iam' });
    await cache.get('eks:DescribeCluster', { cluster: 'prod' }, async () => 'prod', { rolling: 'cluster' });
    expect(cache.rollingPeriodMs('iam')).toBe(10 * 60_000);
    expect(cache.rollingPeriodMs('describe')).toBe(10 * 60_000);
    cache.forget('iam:GetRole', { roleArn: 'r0' });
    cache.invalidate({ roleArn: 'r1' });
    expect(cache.rollingPeriodMs('iam')).toBe(8 * 60_000);
    expect(cache.peek('iam:GetRole', { roleArn: 'r0' })).toBeUndefined();
    expect(cache.peek('iam:GetRole', { roleArn: 'r2' })).toEqual({ value: 2, loadedAt: 1_000_000 });
    cache.clear();
    expect(cache.rollingPeriodMs('iam')).toBe(60_000);
  });

  it('keeps listings for their own period, apart from the cache TTL', async () => {
    const clock = fakeClock();
    const cache = new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 4, listMs: 60_000, now: clock.now });
    let version = 0;
    const list = () => cache.get('eks:ListPodIdentityAssociations', { cluster: 'prod' }, async () => ++version, { list: true });
    expect(await list()).toBe(1);
    clock.advance(45_000);
    expect(await list()).toBe(1);
    clock.advance(15_000);
    expect(await list()).toBe(2);
  });
});
