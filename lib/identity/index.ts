// The pure identity core: FleetState in, rows and findings out. No I/O.
export { sortFindings, worstSeverity } from './evaluate-identity';
export {
  buildServiceAccountRows,
  buildServiceAccountDetail,
  buildClusterRows,
  evaluateClustersInSlices,
  type EvaluatedCluster,
  patchClusterRows,
} from './service-account-rows';
export { accessIndexOf, accessSubjectOf, lookUpAccess } from './access-index';
export { permissionsViewOf, type PermissionsView } from './permission-view';
export { bucketOfArn, evaluateWorkloadAccess, workloadIdentityOf } from './permissions';
