// Container images known to ship an AWS SDK too old for EKS Pod Identity (PI009). Each entry names the
// image repositories (normalized: registry/path), the first fixed version, and the source of the fact.
// Add entries here; the rule and the SA page read only this table.

export interface SdkCompatibilityEntry {
  /** Normalized repositories: Docker Hub images as `docker.io/<path>`. */
  repositories: string[];
  /** The SDK that is too old, as users would name it. */
  sdk: string;
  /** Versions strictly below this fail with Pod Identity. */
  fixedIn: string;
  note: string;
  source: string;
}

export const SDK_COMPATIBILITY: SdkCompatibilityEntry[] = [
  {
    repositories: ['docker.io/argoproj/argoexec', 'quay.io/argoproj/argoexec'],
    sdk: 'minio-go (aws-sdk-go credential chain) in argoexec',
    fixedIn: 'v3.6.2',
    note: 'argoexec before v3.6.2 bundles a minio-go that rejects the Pod Identity agent address ("invalid endpoint host 169.254.170.23, only loopback hosts are allowed"); the fix (minio-go v7.0.77) was never backported to 3.5.x. Upgrade to v3.6.2+, or use IRSA for this service account.',
    source: 'https://github.com/argoproj/argo-workflows/pull/13854',
  },
  // The SDK minimums of AUG pod-id-minimum-sdk (domain.md §1a) apply where an image's tag is the SDK's own
  // version. The AWS CLI's official images are tagged with the CLI version (v2 only).
  {
    repositories: ['docker.io/amazon/aws-cli', 'public.ecr.aws/aws-cli/aws-cli'],
    sdk: 'AWS CLI v2',
    fixedIn: '2.15.0',
    note: 'AWS CLI v2 before 2.15.0 has no EKS Pod Identity credential provider, so it finds no credentials once the IRSA env is gone. Use 2.15.0 or later.',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-minimum-sdk.html',
  },
];
