// The snapshot-freshness core: what the API routes, the matrix and the snapshots page call.
export { readSnapshotSources, type SnapshotSourcesConfig } from './read-sources';
export { linkSnapshotCauses, serviceAccountKey } from './link-causes';
export { snapshotStateForServiceAccounts, SNAPSHOT_STATE_RANK, oldestAge, type ServiceAccountSnapshotState } from './service-account-state';
export {
  parseSnapshotsConfig,
  snapshotsConfigSchema,
  restateSourceConfigSchema,
  type SnapshotsConfig,
  type RestateSourceConfig,
} from './config';
export { discoverRestateWriters, type DiscoveredRestateWriter } from './restate-discovery';
export { evaluateEtcdSnapshots, SN005_FACTOR } from './etcd';
export { readRestateSource, judgeRestateSource, restateThreshold, DEFAULT_RESTATE_THRESHOLD_SECONDS } from './restate-source';
export { scheduleIntervalSeconds, DEFAULT_ETCD_SCHEDULE_CRON } from './schedule';
export type * from './types';
