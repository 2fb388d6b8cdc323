import type { EksClusterFacts } from '@/lib/model/cluster-state';
import type { StsMode } from '@/lib/model/identity-row';
import { compareVersions, parseImageReference, parseVersionTag } from './image-reference';
import { SDK_COMPATIBILITY } from './data/sdk-compatibility';
import {
  POD_IDENTITY_ALL_PLATFORMS_FROM,
  POD_IDENTITY_MIN_PLATFORM,
  POD_IDENTITY_OLDEST_KUBERNETES,
  STS_REGIONAL_DEFAULTS,
} from './data/sts-regional-defaults';

// Small pure facts the rules share: version tables, image verdicts (annotations and env: lib/model/kube-objects.ts).

export const AGENT_ADDON_NAME = 'eks-pod-identity-agent';
// Associations per cluster: 5,000, not adjustable (AUG pod-identities, 2025; 1,000 before). Configurable per
// cluster (clusters[].associationLimit) and fleet-wide (podIdentity.associationLimit) since AWS may change it.
export const ASSOCIATIONS_PER_CLUSTER_LIMIT = 5000;

/** The cluster's association limit: from config, else the documented default. */
export function associationLimitOf(ctx: { state: { eks?: { associationLimit?: number } } }): number {
  return ctx.state.eks?.associationLimit ?? ASSOCIATIONS_PER_CLUSTER_LIMIT;
}

/** Issuer URL → host+path without scheme or trailing slash, the form IAM OIDC provider ARNs use. */
export function issuerHostPath(issuer: string): string {
  return issuer.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

export function oidcProviderArn(account: string, issuer: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${issuerHostPath(issuer)}`;
}

/** Go's strconv.ParseBool, which the pod identity webhook uses for the sts-regional-endpoints annotation. */
export function parseGoBool(value: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return null;
}

function parseKubernetesMinor(version: string | undefined): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function parsePlatform(platform: string | undefined): number | null {
  const m = /^eks\.(\d+)$/.exec(platform ?? '');
  return m ? Number(m[1]) : null;
}

function cmpMinor(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The cluster's STS default for IRSA pods without the annotation, from the data table; unknown without versions. */
export function clusterStsDefault(cluster: EksClusterFacts | null | undefined): { mode: StsMode; reason: string } {
  const minor = parseKubernetesMinor(cluster?.version);
  const platform = parsePlatform(cluster?.platformVersion);
  if (!minor) return { mode: 'unknown', reason: 'the cluster version is unknown' };
  const entry = STS_REGIONAL_DEFAULTS.find((e) => cmpMinor(parseKubernetesMinor(e.kubernetesVersion)!, minor) === 0);
  const newest = parseKubernetesMinor(STS_REGIONAL_DEFAULTS[0].kubernetesVersion)!;
  const oldest = parseKubernetesMinor(STS_REGIONAL_DEFAULTS[STS_REGIONAL_DEFAULTS.length - 1].kubernetesVersion)!;
  if (!entry) {
    if (cmpMinor(minor, newest) > 0)
      return { mode: 'regional', reason: `Kubernetes ${minor.join('.')} is newer than the table; regional is the default from 1.22` };
    if (cmpMinor(minor, oldest) < 0)
      return { mode: 'legacy', reason: `Kubernetes ${minor.join('.')} predates regional STS support: global endpoint` };
    return { mode: 'unknown', reason: `Kubernetes ${minor.join('.')} is not in the table` };
  }
  if (platform === null) return { mode: 'unknown', reason: 'the platform version is unknown' };
  const min = parsePlatform(entry.minPlatformVersion)!;
  if (platform < min)
    return {
      mode: 'legacy',
      reason: `${cluster?.version} ${cluster?.platformVersion} is below ${entry.minPlatformVersion}: only the global endpoint`,
    };
  return entry.defaultEndpoint === 'regional'
    ? { mode: 'regional', reason: `${entry.kubernetesVersion} ${entry.minPlatformVersion}+ defaults to regional` }
    : { mode: 'legacy', reason: `${entry.kubernetesVersion} ${entry.minPlatformVersion}+ defaults to the global endpoint` };
}

/** Pod Identity platform minimum (CL003): null when supported or unknown, else the requirement not met. */
export function podIdentityPlatformShortfall(cluster: EksClusterFacts | null | undefined): { required: string } | null {
  const minor = parseKubernetesMinor(cluster?.version);
  if (!minor) return null;
  if (cmpMinor(minor, parseKubernetesMinor(POD_IDENTITY_ALL_PLATFORMS_FROM)!) >= 0) return null;
  if (cmpMinor(minor, parseKubernetesMinor(POD_IDENTITY_OLDEST_KUBERNETES)!) < 0)
    return { required: `Kubernetes ${POD_IDENTITY_OLDEST_KUBERNETES} or newer` };
  const entry = POD_IDENTITY_MIN_PLATFORM.find((e) => cmpMinor(parseKubernetesMinor(e.kubernetesVersion)!, minor) === 0);
  if (!entry) return null;
  const platform = parsePlatform(cluster?.platformVersion);
  if (platform === null) return null;
  return platform < parsePlatform(entry.minPlatformVersion)!
    ? { required: `${entry.kubernetesVersion} ${entry.minPlatformVersion}` }
    : null;
}

export interface SdkVerdict {
  sdk: string;
  verdict: 'ok' | 'too-old' | 'unknown';
  note: string;
  source?: string;
}

/** What the SDK table says about one image; empty when the image is not in the table. */
export function sdkVerdictsForImage(image: string): SdkVerdict[] {
  const ref = parseImageReference(image);
  if (!ref) return [];
  const out: SdkVerdict[] = [];
  for (const entry of SDK_COMPATIBILITY) {
    if (!entry.repositories.includes(ref.normalized)) continue;
    const version = ref.tag ? parseVersionTag(ref.tag) : null;
    const fixed = parseVersionTag(entry.fixedIn)!;
    if (!version) {
      out.push({
        sdk: entry.sdk,
        verdict: 'unknown',
        note: `tag ${ref.tag ?? '(none)'} is not a version; ${entry.fixedIn}+ is needed for Pod Identity`,
        source: entry.source,
      });
    } else if (compareVersions(version, fixed) < 0) {
      out.push({ sdk: entry.sdk, verdict: 'too-old', note: `${ref.tag} < ${entry.fixedIn}: ${entry.note}`, source: entry.source });
    } else {
      out.push({ sdk: entry.sdk, verdict: 'ok', note: `${ref.tag} ≥ ${entry.fixedIn}`, source: entry.source });
    }
  }
  return out;
}
