// The default STS endpoint of IRSA pods when the service account has no
// `eks.amazonaws.com/sts-regional-endpoints` annotation, by Kubernetes version and platform version.
// Source: AUG "Configure the AWS Security Token Service endpoint for a service account"
// (docs.aws.amazon.com/eks/latest/userguide/configure-sts-endpoint.html), via shared/docs/domain.md §1c:
// the seed table (1.19–1.23) and the newer page (1.24–1.31). At or above the listed platform version the
// default is as listed; below it the service account can only use the global endpoint.
// Versions newer than the table default to regional (regional is the default from 1.22 on).

export interface StsDefaultEntry {
  kubernetesVersion: string;
  minPlatformVersion: string;
  defaultEndpoint: 'regional' | 'global';
}

export const STS_REGIONAL_DEFAULTS: StsDefaultEntry[] = [
  { kubernetesVersion: '1.31', minPlatformVersion: 'eks.4', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.30', minPlatformVersion: 'eks.2', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.29', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.28', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.27', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.26', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.25', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.24', minPlatformVersion: 'eks.2', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.23', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.22', minPlatformVersion: 'eks.1', defaultEndpoint: 'regional' },
  { kubernetesVersion: '1.21', minPlatformVersion: 'eks.3', defaultEndpoint: 'global' },
  { kubernetesVersion: '1.20', minPlatformVersion: 'eks.3', defaultEndpoint: 'global' },
  { kubernetesVersion: '1.19', minPlatformVersion: 'eks.7', defaultEndpoint: 'global' },
];

/** Pod Identity's minimum platform version per Kubernetes version (AUG pod-identities, "Cluster versions"). */
export const POD_IDENTITY_MIN_PLATFORM_SOURCE = 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html';
export const POD_IDENTITY_MIN_PLATFORM: { kubernetesVersion: string; minPlatformVersion: string }[] = [
  { kubernetesVersion: '1.28', minPlatformVersion: 'eks.4' },
  { kubernetesVersion: '1.27', minPlatformVersion: 'eks.8' },
  { kubernetesVersion: '1.26', minPlatformVersion: 'eks.9' },
];
/** Kubernetes versions from this one on support Pod Identity on every platform version; below 1.26 none does. */
export const POD_IDENTITY_ALL_PLATFORMS_FROM = '1.29';
export const POD_IDENTITY_OLDEST_KUBERNETES = '1.26';
