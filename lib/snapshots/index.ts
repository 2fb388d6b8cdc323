// The snapshot-freshness core: what the API routes, the matrix and the snapshots page call.
export { readSnapshotSources } from './read-sources';
export { linkSnapshotCauses, serviceAccountKey } from './link-causes';
export { snapshotStateForServiceAccounts } from './service-account-state';
export { parseSnapshotsConfig } from './config';
export { SN005_FACTOR } from './etcd';
export type * from './types';
