import { describe, expect, it } from 'vitest';
import { parseSnapshotsConfig } from './config';

describe('the snapshots section of the console config', () => {
  it('defaults the etcd schedule to every 12 hours and the Restate sources to none', () => {
    expect(parseSnapshotsConfig(undefined)).toEqual({ restate: [], etcd: { schedule: '0 */12 * * *', clusters: {} } });
  });

  it('accepts sources outside Kubernetes with interval, max age, threshold and writer', () => {
    const config = parseSnapshotsConfig({
      restate: [
        {
          url: 's3://bucket/prefix',
          name: 'vm restate',
          snapshotInterval: '1h',
          maxAge: '6h',
          writer: { cluster: 'prod', namespace: 'restate', serviceAccount: 'restate' },
        },
      ],
      etcd: { schedule: '0 */6 * * *', clusters: { edge: { schedule: '@every 4h' } } },
    });
    expect(config.restate[0].name).toBe('vm restate');
    expect(config.etcd.clusters.edge.schedule).toBe('@every 4h');
  });

  it('names each bad field by its path', () => {
    expect(() =>
      parseSnapshotsConfig({
        restate: [{ url: 's3://ok/p' }, { url: 'bucket/prefix', maxAge: 'soon' }],
        etcd: { schedule: '0 0 */12 * * *' },
      }),
    ).toThrow(
      /snapshots\.restate\[1\]\.url: "bucket\/prefix" is not a destination URL[\s\S]*snapshots\.restate\[1\]\.maxAge: invalid duration "soon"[\s\S]*snapshots\.etcd\.schedule: cron schedule "0 0 \*\/12 \* \* \*" must have the 5 standard fields/,
    );
    expect(() => parseSnapshotsConfig({ restate: [{ url: 's3://b', maxage: '1h' }] })).toThrow(
      'snapshots.restate[0]: Unrecognized key: "maxage"',
    );
  });
});
