// When a service account has no eks.amazonaws.com/sts-regional-endpoints annotation, the cluster's default
// depends on its Kubernetes and platform version. Source: EKS user guide, "Configure the AWS Security Token
// Service endpoint for a service account" (docs.aws.amazon.com/eks/latest/userguide/configure-sts-endpoint.html),
// as summarised in shared/docs/domain.md §1c. Below the listed platform version: global only.
export const STS_REGIONAL_DEFAULT_FROM: Record<string, number> = {
  '1.31': 4,
  '1.30': 2,
  '1.29': 1,
  '1.28': 1,
  '1.27': 1,
  '1.26': 1,
  '1.25': 1,
  '1.24': 2,
  '1.23': 1,
  '1.22': 1,
};

/** Regional by default? Versions newer than the table default to regional; 1.21 and older to global. */
export function stsRegionalDefault(version: string, platformVersion: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  const platform = Number(/^eks\.(\d+)$/.exec(platformVersion)?.[1] ?? 0);
  const listed = STS_REGIONAL_DEFAULT_FROM[`${major}.${minor}`];
  if (listed !== undefined) return platform >= listed;
  return major > 1 || minor > 31;
}
