import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import type { ConfigMap, KubeObject, Workload } from '@/lib/model/kube-objects';
import { readSnapshotSources } from './read-sources';
import { discoverRestateWriters } from './restate-discovery';
import { clusterState, inMemoryS3 } from './testing/in-memory-s3';
import type { RestateSnapshotSource } from './types';

const restateCluster = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'restate.dev/v1',
  kind: 'RestateCluster',
  metadata: { name },
  spec,
});

const statefulSet = (namespace: string, name: string, podSpec: Record<string, unknown>): Workload => ({
  kind: 'StatefulSet',
  metadata: { name, namespace },
  spec: { template: { spec: { containers: [], ...podSpec } } },
});

const configMap = (namespace: string, name: string, data: Record<string, string>): ConfigMap => ({ metadata: { name, namespace }, data });

describe('Restate destinations from RestateCluster CRs', () => {
  it('reads [worker.snapshots] from spec.config, writer = namespace named after the CR with SA restate', () => {
    const cluster = clusterState('prod', {
      restateClusters: [
        restateCluster('restate-prod', {
          config:
            '[worker.snapshots]\ndestination = "s3://restate-snapshots/prod"\nsnapshot-interval = "30m"\nsnapshot-interval-num-records = 100000\n',
        }),
      ],
    });
    const [writer] = discoverRestateWriters(cluster);
    expect(writer.writer).toEqual({ cluster: 'prod', namespace: 'restate-prod', serviceAccount: 'restate' });
    expect(writer.settings.destination).toEqual({
      value: 's3://restate-snapshots/prod',
      from: 'RestateCluster restate-prod spec.config [worker.snapshots] destination',
    });
    expect(writer.settings.snapshotInterval?.value).toBe(1800);
    expect(writer.settings.snapshotIntervalNumRecords?.value).toBe(100_000);
    expect(writer.problems).toEqual([]);
  });

  it('lets spec.compute.env override the TOML (defaults < file < env)', () => {
    const cluster = clusterState('prod', {
      restateClusters: [
        restateCluster('restate-prod', {
          config: '[worker.snapshots]\ndestination = "s3://old-bucket/prod"\nsnapshot-interval = "30m"\n',
          compute: { env: [{ name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://new-bucket/prod' }] },
        }),
      ],
    });
    const [writer] = discoverRestateWriters(cluster);
    expect(writer.settings.destination?.value).toBe('s3://new-bucket/prod');
    expect(writer.settings.destination?.from).toContain('spec.compute.env');
    expect(writer.settings.snapshotInterval).toEqual({
      value: 1800,
      from: 'RestateCluster restate-prod spec.config [worker.snapshots] snapshot-interval',
    });
  });

  it('ignores a RestateCluster without snapshot settings, and does not count its operator StatefulSet twice', () => {
    const cluster = clusterState('prod', {
      restateClusters: [
        restateCluster('quiet', { config: '[worker]\nnum-timers-in-memory-limit = 100\n' }),
        restateCluster('loud', { compute: { env: [{ name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://b/loud' }] } }),
      ],
      workloads: [
        statefulSet('loud', 'restate', {
          serviceAccountName: 'restate',
          containers: [
            {
              name: 'restate',
              env: [
                { name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://b/loud' },
                { name: 'RESTATE_CONFIG', value: '/config/config.toml' },
              ],
            },
          ],
        }),
      ],
    });
    const writers = discoverRestateWriters(cluster);
    expect(writers).toHaveLength(1);
    expect(writers[0].origin).toEqual([{ kind: 'RestateCluster', cluster: 'prod', name: 'loud' }]);
  });

  it('reports invalid TOML and an interval without a destination as problems, not crashes', async () => {
    const cluster = clusterState('prod', {
      restateClusters: [
        restateCluster('broken', { config: '[worker.snapshots\ndestination = ' }),
        restateCluster('no-destination', { config: '[worker.snapshots]\nsnapshot-interval = "1h"\n' }),
      ],
    });
    const writers = discoverRestateWriters(cluster);
    expect(writers.find((writer) => writer.writer.namespace === 'broken')?.problems[0].reason).toContain('not valid TOML');
    const fleet: FleetState = { clusters: [cluster], roles: {}, accounts: {}, sourceErrors: [], collectedAt: '' };
    const sources = (await readSnapshotSources(
      fleet,
      {},
      () => inMemoryS3({}),
      new Date('2026-03-01T12:00:00Z'),
    )) as RestateSnapshotSource[];
    const withoutDestination = sources.find((source) => source.source === 'prod/RestateCluster/no-destination');
    expect(withoutDestination?.state).toBe('failing');
    expect(withoutDestination?.problems[0].reason).toContain('without a destination');
    expect(withoutDestination?.writer).toEqual({ cluster: 'prod', namespace: 'no-destination', serviceAccount: 'restate' });
  });
});

describe('Restate destinations from StatefulSets and Deployments', () => {
  it('reads RESTATE_WORKER__SNAPSHOTS__* env; writer = namespace + serviceAccountName', () => {
    const cluster = clusterState('prod', {
      workloads: [
        {
          kind: 'Deployment',
          metadata: { name: 'restate-dev', namespace: 'dev' },
          spec: {
            template: {
              spec: {
                serviceAccountName: 'restate-dev',
                containers: [
                  { name: 'sidecar' },
                  {
                    name: 'restate',
                    env: [
                      { name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://dev-snaps' },
                      { name: 'RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL_NUM_RECORDS', value: '5000' },
                    ],
                  },
                ],
              },
            },
          },
        },
        statefulSet('other', 'postgres', { containers: [{ name: 'pg', env: [{ name: 'PGDATA', value: '/data' }] }] }),
      ],
    });
    const writers = discoverRestateWriters(cluster);
    expect(writers).toHaveLength(1);
    expect(writers[0].writer).toEqual({ cluster: 'prod', namespace: 'dev', serviceAccount: 'restate-dev' });
    expect(writers[0].origin).toEqual([
      { kind: 'Deployment', cluster: 'prod', namespace: 'dev', name: 'restate-dev', container: 'restate' },
    ]);
    expect(writers[0].settings.snapshotIntervalNumRecords?.value).toBe(5000);
    expect(writers[0].settings.snapshotInterval).toBeUndefined();
  });

  it('resolves RESTATE_CONFIG inside a mounted ConfigMap and lets env override the file', () => {
    const cluster = clusterState('prod', {
      configMaps: [
        configMap('restate', 'restate-config', {
          'config.toml':
            '[worker.snapshots]\ndestination = "s3://file-bucket/prefix"\nsnapshot-interval = "2h"\naws-region = "eu-west-1"\n',
        }),
      ],
      workloads: [
        statefulSet('restate', 'restate', {
          volumes: [{ name: 'config', configMap: { name: 'restate-config' } }],
          containers: [
            {
              name: 'restate',
              volumeMounts: [{ name: 'config', mountPath: '/config' }],
              env: [
                { name: 'RESTATE_CONFIG', value: '/config/config.toml' },
                { name: 'RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL', value: '15m' },
              ],
            },
          ],
        }),
      ],
    });
    const [writer] = discoverRestateWriters(cluster);
    expect(writer.writer.serviceAccount).toBe('default');
    expect(writer.settings.destination).toEqual({
      value: 's3://file-bucket/prefix',
      from: 'ConfigMap restate/restate-config key config.toml [worker.snapshots] destination',
    });
    expect(writer.settings.snapshotInterval?.value).toBe(900);
    expect(writer.settings.snapshotInterval?.from).toContain('env RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL');
    expect(writer.settings.awsRegion?.value).toBe('eu-west-1');
  });

  it('follows ConfigMap items, subPath mounts and --config-file on the command line (which wins over RESTATE_CONFIG)', () => {
    const cluster = clusterState('prod', {
      configMaps: [
        configMap('a', 'items-config', { 'restate.toml': '[worker.snapshots]\ndestination = "s3://items/x"\n' }),
        configMap('b', 'subpath-config', { main: '[worker.snapshots]\ndestination = "s3://subpath/y"\n' }),
        configMap('b', 'ignored-config', { 'config.toml': '[worker.snapshots]\ndestination = "s3://ignored/z"\n' }),
      ],
      workloads: [
        statefulSet('a', 'restate', {
          volumes: [{ name: 'cfg', configMap: { name: 'items-config', items: [{ key: 'restate.toml', path: 'conf/restate.toml' }] } }],
          containers: [
            {
              name: 'restate',
              volumeMounts: [{ name: 'cfg', mountPath: '/etc/restate/' }],
              env: [{ name: 'RESTATE_CONFIG', value: '/etc/restate/conf/restate.toml' }],
            },
          ],
        }),
        statefulSet('b', 'restate', {
          volumes: [
            { name: 'main', configMap: { name: 'subpath-config' } },
            { name: 'other', configMap: { name: 'ignored-config' } },
          ],
          containers: [
            {
              name: 'restate',
              args: ['--config-file', '/restate.toml'],
              volumeMounts: [
                { name: 'main', mountPath: '/restate.toml', subPath: 'main' },
                { name: 'other', mountPath: '/other' },
              ],
              env: [{ name: 'RESTATE_CONFIG', value: '/other/config.toml' }],
            },
          ],
        }),
      ],
    });
    const destinations = discoverRestateWriters(cluster).map((writer) => writer.settings.destination?.value);
    expect(destinations).toEqual(['s3://items/x', 's3://subpath/y']);
  });

  it('resolves env from ConfigMap references and reports Secret-sourced values as unknown', async () => {
    const cluster = clusterState('prod', {
      configMaps: [configMap('x', 'restate-env', { RESTATE_WORKER__SNAPSHOTS__DESTINATION: 's3://from-envfrom/p', interval: '45m' })],
      workloads: [
        statefulSet('x', 'restate', {
          containers: [
            {
              name: 'restate',
              envFrom: [{ configMapRef: { name: 'restate-env' } }],
              env: [
                {
                  name: 'RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL',
                  valueFrom: { configMapKeyRef: { name: 'restate-env', key: 'interval' } },
                },
              ],
            },
          ],
        }),
        statefulSet('y', 'restate', {
          containers: [
            {
              name: 'restate',
              env: [{ name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', valueFrom: { secretKeyRef: { name: 's', key: 'd' } } }],
            },
          ],
        }),
      ],
    });
    const [fromConfigMap] = discoverRestateWriters(cluster);
    expect(fromConfigMap.settings.destination?.value).toBe('s3://from-envfrom/p');
    expect(fromConfigMap.settings.snapshotInterval?.value).toBe(2700);

    const fleet: FleetState = { clusters: [cluster], roles: {}, accounts: {}, sourceErrors: [], collectedAt: '' };
    const sources = (await readSnapshotSources(fleet, {}, () => inMemoryS3({}), new Date())) as RestateSnapshotSource[];
    const fromSecret = sources.find((source) => source.writer?.namespace === 'y');
    expect(fromSecret?.state).toBe('unreadable');
    expect(fromSecret?.problems[0].reason).toContain('RESTATE_WORKER__SNAPSHOTS__DESTINATION is set from a Secret');
  });

  it('marks writers configured with static keys so their service account is not blamed', () => {
    const cluster = clusterState('prod', {
      workloads: [
        statefulSet('k', 'restate', {
          containers: [
            {
              name: 'restate',
              env: [
                { name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://k/p' },
                { name: 'RESTATE_WORKER__SNAPSHOTS__AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws', key: 'id' } } },
              ],
            },
          ],
        }),
      ],
    });
    expect(discoverRestateWriters(cluster)[0].settings.credentialSource).toBe('static-keys'); // set from a Secret: still static keys
    const withValue = clusterState('prod', {
      workloads: [
        statefulSet('k', 'restate', {
          containers: [
            {
              name: 'restate',
              env: [
                { name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://k/p' },
                { name: 'RESTATE_WORKER__SNAPSHOTS__AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLE' },
              ],
            },
          ],
        }),
      ],
    });
    expect(discoverRestateWriters(withValue)[0].settings.credentialSource).toBe('static-keys');
  });
});
