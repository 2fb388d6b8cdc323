// The collector: the only step that does I/O (design.md "The data path"). Everything after it is pure.
export {
  collectFleet,
  clusterStateOf,
  invalidateCollected,
  lookUpNewRoles,
  scopeForAccount,
  readBucketPolicyOnDemand,
} from './collect-fleet';
export { kubeInformers, type KubeInformers, type KubeTouch } from './kube-informers';
export { collectKubeSide } from './kube-side';
export { collectCache } from './cache';
export { s3ReaderFactory } from './s3-reader';
export { discoverClusterTargets } from './discover-clusters';
