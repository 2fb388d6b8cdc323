// The collector: the only step that does I/O (design.md "The data path"). Everything after it is pure.
export {
  collectFleet,
  collectClusterSnapshot,
  clusterStateOf,
  invalidateCollected,
  roleArnsOf,
  scopeForAccount,
  readBucketPolicyOnDemand,
  type FleetCollectOptions,
} from './collect-fleet';
export { collectKubeSide, type KubeSide, type CollectOptions } from './kube-side';
export { collectAwsSide, type AwsSide } from './aws-side';
export { collectFleetNaive, type NaiveStats } from './naive';
export { collectCache, CollectCache, type CacheStats } from './cache';
export { s3ReaderFactory } from './s3-reader';
export { discoverClusterTargets, type DiscoveredClusters } from './discover-clusters';
