// The pure identity core: FleetState in, rows and findings out. No I/O.
export { evaluateFleet, evaluateCluster, evaluateServiceAccount, sortFindings, worstSeverity } from './evaluate-identity';
export { buildServiceAccountRows, buildServiceAccountDetail, buildClusterRows, stalePods, type RowOptions } from './service-account-rows';
export { buildCredentialChain } from './credential-chain';
export { IDENTITY_RULES } from './rules';
export { FINDING_CATALOG, severityOf, type CatalogEntry } from './catalog';
export { clusterStsDefault, sdkVerdictsForImage, issuerHostPath, oidcProviderArn } from './identity-facts';
export { parseImageReference, parseVersionTag, compareVersions } from './image-reference';
export { accessIndexOf, accessSubjectOf, lookUpAccess, type AccessAnswer } from './access-index';
export { permissionsViewOf, type PermissionsView } from './permission-view';
export { bucketOfArn, evaluateWorkloadAccess, workloadIdentityOf, type WorkloadIdentity } from './permissions';
