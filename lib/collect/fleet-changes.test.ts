import { describe, expect, it } from 'vitest';
import {
  changedKeys,
  fingerprintsOf,
  publishFleetChange,
  serviceAccountKey,
  serviceAccountRefOf,
  subscribeFleetChanges,
  type FleetChange,
} from './fleet-changes';

const row = (cluster: string, namespace: string, name: string, findings: string[] = []) => ({ cluster, namespace, name, findings });

describe('fleet change feed', () => {
  it('tells each subscriber until it unsubscribes, and a failing listener does not stop the others', () => {
    const seen: FleetChange[] = [];
    const stopFailing = subscribeFleetChanges(() => {
      throw new Error('listener bug');
    });
    const stop = subscribeFleetChanges((change) => seen.push(change));
    const change: FleetChange = {
      at: '2026-12-01T20:00:00Z',
      clusters: [],
      serviceAccounts: [{ cluster: 'a', namespace: 'n', name: 's' }],
    };
    publishFleetChange(change);
    stop();
    stopFailing();
    publishFleetChange(change);
    expect(seen).toEqual([change]);
  });

  it('names the rows that changed, appeared or disappeared between two views, and only those', () => {
    const before = fingerprintsOf([row('a', 'n', 'same'), row('a', 'n', 'changes'), row('a', 'n', 'goes')], serviceAccountKey);
    const after = fingerprintsOf([row('a', 'n', 'same'), row('a', 'n', 'changes', ['PI001']), row('b', 'n', 'new')], serviceAccountKey);
    expect(changedKeys(before, after).map(serviceAccountRefOf)).toEqual([
      { cluster: 'a', namespace: 'n', name: 'changes' },
      { cluster: 'b', namespace: 'n', name: 'new' },
      { cluster: 'a', namespace: 'n', name: 'goes' },
    ]);
  });
});
