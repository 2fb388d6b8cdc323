import { describe, expect, it } from 'vitest';
import { SimClock } from './clock';
import { createFaultLayer } from './faults';

describe('fault layer', () => {
  it('matches by service, operation and cluster', () => {
    const faults = createFaultLayer(new SimClock(), [
      {
        service: 'eks',
        operation: 'ListPodIdentityAssociations',
        cluster: 'prod',
        error: { status: 500, code: 'ServerException', message: 'boom' },
        probability: 1,
      },
    ]);
    expect(faults.evaluate('eks', 'ListPodIdentityAssociations', 'prod')?.error?.code).toBe('ServerException');
    expect(faults.evaluate('eks', 'ListPodIdentityAssociations', 'staging')).toBeNull();
    expect(faults.evaluate('eks', 'DescribePodIdentityAssociation', 'prod')).toBeNull();
    expect(faults.evaluate('iam', 'ListPodIdentityAssociations', 'prod')).toBeNull();
  });

  it('treats "*" as any operation and adds latencies of several matching faults', () => {
    const faults = createFaultLayer(new SimClock(), [
      { service: 'kube', operation: '*', latencyMs: 20, probability: 1 },
      { service: 'kube', operation: 'list pods', latencyMs: 5, probability: 1 },
    ]);
    expect(faults.evaluate('kube', 'list pods', 'a')).toEqual({ latencyMs: 25 });
    expect(faults.evaluate('kube', 'get pods', 'a')).toEqual({ latencyMs: 20 });
  });

  it('applies a fault with the configured probability', () => {
    let next = 0.7;
    const faults = createFaultLayer(new SimClock(), [{ service: 's3', operation: 'GetObject', hang: true, probability: 0.5 }], () => next);
    expect(faults.evaluate('s3', 'GetObject')).toBeNull();
    next = 0.2;
    expect(faults.evaluate('s3', 'GetObject')).toEqual({ hang: true });
  });

  it('throttles over the rate with a token bucket that refills as the clock moves', () => {
    const clock = new SimClock(new Date('2026-01-01T00:00:00Z'));
    const faults = createFaultLayer(clock, []);
    faults.add({ service: 'eks', operation: 'DescribeCluster', throttle: { perSecond: 2 }, probability: 1 });
    const throttled = () => faults.evaluate('eks', 'DescribeCluster')?.throttled === true;
    expect([throttled(), throttled(), throttled()]).toEqual([false, false, true]);
    clock.advance(500); // one token back
    expect([throttled(), throttled()]).toEqual([false, true]);
  });

  it('adds, lists, removes and clears faults at run time', () => {
    const faults = createFaultLayer(new SimClock(), []);
    const id = faults.add({ service: 'sts', operation: 'AssumeRole', latencyMs: 100, probability: 1 });
    const named = faults.add({ id: 'mine', service: 'iam', operation: 'GetRole', hang: true, probability: 1 });
    expect(named).toBe('mine');
    expect(() => faults.add({ id: 'mine', service: 'iam', operation: 'GetRole', hang: true, probability: 1 })).toThrow('already exists');
    expect(faults.list().map((f) => f.id)).toEqual([id, 'mine']);
    expect(faults.remove(id)).toBe(true);
    expect(faults.remove(id)).toBe(false);
    expect(faults.evaluate('sts', 'AssumeRole')).toBeNull();
    faults.clear();
    expect(faults.list()).toEqual([]);
  });
});
