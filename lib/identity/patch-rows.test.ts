import { describe, expect, it } from 'vitest';
import { buildClusterRows, buildServiceAccountRows, evaluateClustersInSlices, patchClusterRows } from './service-account-rows';
import {
  PI_ENV,
  association,
  eksCluster,
  fleet,
  iamRole,
  pod,
  podIdentityStatement,
  roleArn,
  roles,
  serviceAccount,
} from './test-fixtures';
import type { FleetState } from '@/lib/model/cluster-state';
import type { ServiceAccountRow } from '@/lib/model/identity-row';

// Issue 17: after a Kubernetes change the rules re-run only for the service accounts it touched, and the patched
// rows read exactly as a full rebuild's would.

const role = iamRole(roleArn('api-role'), [podIdentityStatement()]);

function twoTeams(apiPods = [pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV })]): FleetState {
  return fleet(
    [
      eksCluster({
        serviceAccounts: [serviceAccount('payments', 'api'), serviceAccount('search', 'indexer')],
        associations: [association('payments', 'api', { roleArn: role.arn, associationId: 'a-payments1234567' })],
        pods: [...apiPods, pod('search', 'indexer-1', { serviceAccount: 'indexer' })],
      }),
    ],
    { roles: roles(role) },
  );
}

const byKey = (rows: ServiceAccountRow[]) => new Map(rows.map((row) => [`${row.namespace}/${row.name}`, row]));

describe('patchClusterRows', () => {
  it('re-evaluates only the touched service account and keeps every other row as it was', () => {
    const before = buildServiceAccountRows(twoTeams());
    // A pod of payments/api lost its Pod Identity env (admitted before the association): its row changes.
    const after = twoTeams([pod('payments', 'api-1', { serviceAccount: 'api' })]);
    const patch = patchClusterRows(after, 'prod', { serviceAccounts: new Set(['payments/api']), namespaces: new Set() }, byKey(before));
    expect(patch.evaluated).toEqual(['payments/api']);
    expect(patch.rows).toEqual(buildServiceAccountRows(after));
    // The untouched row is the very object it was, not a recomputed copy.
    expect(patch.rows.find((row) => row.name === 'indexer')).toBe(before.find((row) => row.name === 'indexer'));
    expect(patch.cluster).toEqual(buildClusterRows(after)[0]);
  });

  it('a touched namespace re-evaluates every row in it; a deleted service account leaves the list, a new one joins it', () => {
    const before = buildServiceAccountRows(twoTeams());
    const after = twoTeams();
    after.clusters[0].kube.serviceAccounts = [serviceAccount('payments', 'api'), serviceAccount('search', 'crawler')];
    const patch = patchClusterRows(
      after,
      'prod',
      { serviceAccounts: new Set(['search/indexer', 'search/crawler']), namespaces: new Set(['payments']) },
      byKey(before),
    );
    expect(patch.rows.map((row) => `${row.namespace}/${row.name}`)).toEqual(
      buildServiceAccountRows(after).map((row) => `${row.namespace}/${row.name}`),
    );
    expect(patch.rows).toEqual(buildServiceAccountRows(after));
    expect(patch.evaluated.sort()).toEqual(['payments/api', 'search/crawler']);
  });

  it('answers nothing for a cluster the fleet does not have', () => {
    expect(patchClusterRows(twoTeams(), 'elsewhere', { serviceAccounts: new Set(), namespaces: new Set() }, new Map())).toEqual({
      rows: [],
      cluster: null,
      evaluated: [],
    });
  });
});

describe('evaluateClustersInSlices', () => {
  const state = fleet(
    [
      eksCluster({
        name: 'prod',
        serviceAccounts: ['a', 'b', 'c', 'd', 'e'].map((name) => serviceAccount('payments', name)),
        associations: [association('payments', 'a', { roleArn: role.arn, associationId: 'a-payments1234567' })],
        pods: [pod('payments', 'a-1', { serviceAccount: 'a', env: PI_ENV })],
      }),
      eksCluster({ name: 'staging', serviceAccounts: [serviceAccount('search', 'indexer')] }),
    ],
    { roles: roles(role) },
  );

  it('gives exactly the rows and cluster rows of a whole evaluation, pausing between slices and clusters', async () => {
    let pauses = 0;
    const evaluated = await evaluateClustersInSlices(state, async () => void pauses++, { slice: 2 });
    expect([...evaluated.keys()]).toEqual(['prod', 'staging']);
    const rows = [...evaluated.values()].flatMap((cluster) => cluster.rows);
    expect(rows).toEqual(buildServiceAccountRows(state));
    expect([...evaluated.values()].map((cluster) => cluster.cluster)).toEqual(buildClusterRows(state));
    // A pause after every 2 rows, and at the end of each cluster.
    expect(pauses).toBe(Math.floor(rows.length / 2) + 2);
  });

  it('evaluates only the clusters asked for, against the whole fleet', async () => {
    const evaluated = await evaluateClustersInSlices(state, async () => undefined, { only: new Set(['staging']) });
    expect([...evaluated.keys()]).toEqual(['staging']);
    expect(evaluated.get('staging')!.rows).toEqual(buildServiceAccountRows(state).filter((row) => row.cluster === 'staging'));
  });
});
