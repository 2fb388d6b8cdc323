import type { EksAccessEntry } from './cluster-state';
import type { Finding, Severity } from './finding';
import type { MigrationState } from '@/lib/migration/states';

// The shapes of the console's HTTP API (shared/docs/api.md). The UI renders these same objects.

export type Mechanism = 'pod-identity' | 'irsa' | 'both' | 'static-keys' | 'none' | 'mixed';

/** What one running pod actually received, judged from its spec (the webhook's injected env). */
export type PodMechanism = 'pod-identity' | 'irsa' | 'both' | 'static-keys' | 'none';

export type StsMode = 'regional' | 'legacy' | 'sdk-default' | 'unknown';

export interface ServiceAccountRow {
  cluster: string;
  namespace: string;
  name: string;
  /** false for a row made from an association whose service account does not exist. */
  exists: boolean;
  podIdentity: {
    associationId: string;
    roleArn: string | null;
    targetRoleArn: string | null;
    ownerArn: string | null;
    disableSessionTags: boolean | null;
    /** The association's session policy (JSON text), when it carries one. */
    policy?: string;
  } | null;
  irsa: { roleArn: string; audience: string; tokenExpiration: number | null } | null;
  sts: {
    /** The raw `eks.amazonaws.com/sts-regional-endpoints` annotation, or null when absent. */
    annotation: string | null;
    desired: StsMode;
    /** Counts over IRSA pods only (findings.md, STS section). */
    running: { regional: number; legacy: number; unset: number };
  };
  /** `null` counts when pods could not be read. */
  pods: { total: number | null; stale: number | null };
  mechanism: Mechanism | 'unknown';
  /** Per-pod mechanism counts, for the "what pods get" column. */
  podMechanisms?: Partial<Record<PodMechanism, number>>;
  snapshots?: { state: SnapshotState; oldestAgeSeconds: number | null; sources: string[] };
  findings: Finding[];
  worstSeverity: Severity | null;
  /** api.md "Permissions": the services the effective identity may use, and whether it is admin-equivalent (PM003 * on *). */
  permissions?: { summary: { allowedServices: string[]; adminEquivalent: boolean } };
  /** api.md "Migration from IRSA to Pod Identity": can this service account move, and why not. */
  migration?: {
    state: MigrationState;
    reasons: { code: string; message: string; offer?: { targetRoleArn: string; roleAccount: string } }[];
  };
  /**
   * What could not be read for this row (e.g. "pods", "role payments-api"): its rules could not all be judged,
   * so no findings does not mean healthy. Absent when everything was read.
   */
  unknown?: string[];
}

export type SnapshotState = 'fresh' | 'stale' | 'failing' | 'unreadable';

export type ChainStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export interface ChainStep {
  step: string;
  title: string;
  status: ChainStatus;
  evidence: Record<string, unknown>;
  /** Commands to verify this step by hand. */
  commands?: string[];
}

export interface PodDetail {
  name: string;
  namespace: string;
  node: string | null;
  phase: string | null;
  startTime: string | null;
  mechanism: PodMechanism;
  /** The env that matters to credentials, per container (values of secrets are never shown). */
  env: {
    container: string;
    name: string;
    /** null for credential-like variables (lib/identity/secret-env.ts): `from` says where the value comes from. */
    value: string | null;
    source: 'value' | 'secret' | 'configmap' | 'field' | 'envFrom';
    /** e.g. "ConfigMap leak, key AWS_SECRET_ACCESS_KEY (envFrom)", "Secret creds, key K", "literal env". */
    from?: string;
  }[];
  /** Admitted before the association/annotation change it should carry. */
  stale: boolean;
  owner: { kind: string; name: string } | null;
  images: {
    container: string;
    image: string;
    sdkVerdicts: { sdk: string; verdict: 'ok' | 'too-old' | 'unknown'; note: string; source?: string }[];
  }[];
}

export interface ServiceAccountDetail extends ServiceAccountRow {
  chain: ChainStep[];
  // The API names this `pods`; it replaces the row's counts, which move to `podCounts`.
  podDetails: PodDetail[];
}

export interface ClusterRow {
  name: string;
  /** The EKS access entries with their access policies; null = unreadable (CL004 says why); absent off EKS. */
  accessEntries?: EksAccessEntry[] | null;
  /** The IAM principal of the console's own EKS token, for clusters it reaches by ARN (CL005 checks its entry). */
  consolePrincipalArn?: string | null;
  kind: 'eks' | 'k3s' | 'rke2' | 'kubernetes';
  region?: string;
  account?: string;
  version?: string;
  platformVersion?: string;
  stsRegionalDefault?: boolean;
  oidcIssuer?: string;
  oidcProviderRegistered?: boolean;
  podIdentityAgent?: { addonVersion: string | null; desired: number | null; ready: number | null };
  associationCount?: number;
  /** The per-cluster association limit PI010 measures against (config, else 5,000). */
  associationLimit?: number;
  findings: Finding[];
  /**
   * Snapshot health of this cluster's etcd and Restate sources the caller may see (SN findings are the sources'
   * own, not cluster findings): the clusters pages show one status that includes them.
   */
  snapshots?: ClusterSnapshotHealth;
  /** How current each source of this cluster is (issue 17): the Kubernetes watch, and the AWS reads. */
  sources?: ClusterSources;
}

export interface ClusterSources {
  /**
   * watching: every informer listed and its watch is open (age 0); down: some watch is down, serving what it last
   * saw (`down` names them); starting: not listed yet; listed: informers are off, a list per collection.
   */
  kube: {
    state: 'watching' | 'down' | 'starting' | 'listed';
    ageSeconds: number;
    down?: string[];
    /** Down: since when the oldest of the `down` resources was last known current (RFC 3339). */
    since?: string;
    /** Down: what failed and why ("watch pods: ServiceUnavailable: …"). */
    reason?: string;
  };
  /**
   * The AWS half as of the last collection (`ageSeconds`): listings every listSeconds, the rest rolling. When the
   * cache still holds them, `associationsListedSeconds` is the age of this cluster's association listing and
   * `iamReadSeconds` that of the oldest IAM read of its roles, re-read every `iamRereadPeriodSeconds` (0.5–1.5× it):
   * iamRereadSeconds, or longer when the re-read budget (rereadCallsPerMinute) stretches it. `stale`: the listing is
   * older than twice listSeconds (at least 60 s) or an IAM read older than twice that period (at least 60 s).
   */
  aws?: { ageSeconds: number; associationsListedSeconds?: number; iamReadSeconds?: number; iamRereadPeriodSeconds?: number; stale?: true };
}

export interface ClusterSnapshotHealth {
  sources: {
    kind: 'etcd' | 'restate';
    source: string;
    state: SnapshotState;
    /** "namespace/serviceAccount" of a Restate writer. */
    writer?: string;
    /** For etcd uploads to S3: the bucket they go to, as the snapshot records name it. */
    s3Bucket?: string;
  }[];
  findings: Finding[];
}
