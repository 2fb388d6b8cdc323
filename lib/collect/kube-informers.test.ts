import { describe, expect, it } from 'vitest';
import { pod } from '@/lib/identity/test-fixtures';
import { backoffDelayMs } from '@/lib/kube/informer';
import type { KubeObject, Workload } from '@/lib/model/kube-objects';
import { touchOf } from './kube-informers';

// The bookkeeping between an informer event and the rows it touches, and the retry schedule.

describe('touchOf', () => {
  it('a pod touches its service account (default when it names none), before and after a change', () => {
    const touch = touchOf(
      'prod',
      'pods',
      [
        { type: 'ADDED', object: pod('shop', 'web-1', { serviceAccount: 'web' }) },
        { type: 'DELETED', object: { ...pod('shop', 'x'), spec: { containers: [] } } },
      ],
      () => [],
    );
    expect([...touch.serviceAccounts].sort()).toEqual(['shop/default', 'shop/web']);
  });

  it('a node touches the service accounts of the pods on it; a namespace or ConfigMap its whole namespace', () => {
    const onNode = [pod('shop', 'web-1', { serviceAccount: 'web' })];
    const node = { metadata: { name: 'node-a' } } as KubeObject;
    expect([...touchOf('prod', 'nodes', [{ type: 'MODIFIED', object: node }], () => onNode).serviceAccounts]).toEqual(['shop/web']);
    expect([...touchOf('prod', 'namespaces', [{ type: 'DELETED', object: { metadata: { name: 'shop' } } }], () => []).namespaces]).toEqual([
      'shop',
    ]);
    const configMap = { metadata: { name: 'proxy', namespace: 'search' } } as KubeObject;
    expect([...touchOf('prod', 'configmaps', [{ type: 'ADDED', object: configMap }], () => []).namespaces]).toEqual(['search']);
  });

  it("a workload touches its pod template's service account, a CronJob's through its job template", () => {
    const deployment = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { serviceAccountName: 'web', containers: [] } } },
    } as Workload;
    const cronJob = {
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'batch' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    } as unknown as Workload;
    expect([...touchOf('prod', 'Deployment', [{ type: 'MODIFIED', object: deployment }], () => []).serviceAccounts]).toEqual(['shop/web']);
    expect([...touchOf('prod', 'CronJob', [{ type: 'ADDED', object: cronJob }], () => []).serviceAccounts]).toEqual(['batch/default']);
  });
});

describe('backoffDelayMs', () => {
  it('doubles its ceiling per failure up to the max, drawing each wait below it (full jitter)', () => {
    const timings = { backoffInitialMs: 500, backoffMaxMs: 30_000 };
    expect([1, 2, 3, 4].map((failures) => backoffDelayMs(failures, timings, () => 0.999999))).toEqual([499, 999, 1999, 3999]);
    expect(backoffDelayMs(20, timings, () => 0.5)).toBe(15_000);
    expect(backoffDelayMs(3, timings, () => 0)).toBe(0);
  });
});
