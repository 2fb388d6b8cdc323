// The pure identity core: FleetState in, rows and findings out. No I/O.
export { evaluateFleet, evaluateCluster, evaluateServiceAccount, sortFindings, worstSeverity } from './evaluate-identity';
export {
  buildServiceAccountRows,
  buildServiceAccountDetail,
  buildClusterRows,
  filterRows,
  stalePods,
  type RowFilter,
  type RowOptions,
} from './service-account-rows';
export { buildCredentialChain } from './credential-chain';
export { IDENTITY_RULES } from './rules';
export { FINDING_CATALOG, severityOf, type CatalogEntry } from './catalog';
export { clusterStsDefault, parseRoleArn, sdkVerdictsForImage, issuerHostPath, oidcProviderArn } from './identity-facts';
export { parseImageReference, parseVersionTag, compareVersions } from './image-reference';
