import { z } from 'zod';
import { accountOfArn } from '@/lib/model/arn';
import { authConfigSchema, teamsConfigSchema } from '@/lib/auth/config-schema';
import { snapshotsConfigSchema } from '@/lib/snapshots/config';

// The console config file (CONSOLE_CONFIG, YAML). Built from one schema per section so each part of the
// console owns its section (auth, teams and admins: lib/auth; snapshots: lib/snapshots); every object is
// strict, so a misspelt key is an error that names its path instead of a setting silently ignored.

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1');
const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN such as arn:aws:iam::111122223333:role/console-reader');

export const clusterKindSchema = z.enum(['eks', 'k3s', 'rke2', 'kubernetes']);

/** arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME (EKS API reference, Cluster.arn). */
export const EKS_CLUSTER_ARN = /^arn:(aws[a-z-]*):eks:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):cluster\/([0-9A-Za-z][A-Za-z0-9\-_]*)$/;
const eksClusterArn = z
  .string()
  .regex(EKS_CLUSTER_ARN, 'must be an EKS cluster ARN such as arn:aws:eks:eu-west-1:111122223333:cluster/prod');

export const clusterConfigSchema = z
  .strictObject({
    /** Display name; also what teams' cluster patterns match. */
    name: nonEmpty,
    /** Kubeconfig context; default: the kubeconfig's current context. */
    context: nonEmpty.optional(),
    /** Kubeconfig file for this cluster (relative to the config file); default: KUBECONFIG or ~/.kube/config. */
    kubeconfig: nonEmpty.optional(),
    /** Use the console pod's own service account (the console runs inside this cluster). */
    inCluster: z.boolean().optional(),
    /**
     * An EKS cluster reached without a kubeconfig: endpoint and CA from eks:DescribeCluster, and a bearer token
     * the console makes from its own AWS identity, authorized by the cluster's access entries.
     */
    arn: eksClusterArn.optional(),
    kind: clusterKindSchema.optional(),
    eks: z.strictObject({ name: nonEmpty, region, account: accountId }).optional(),
    /** A role to assume (sts:AssumeRole) for this cluster's AWS calls, for clusters in another account. */
    assumeRoleArn: roleArn.optional(),
    /** The cluster's STS regional-endpoint default when the version table cannot tell (domain.md §1c). */
    stsRegionalDefault: z.boolean().optional(),
    /** Pod Identity associations EKS allows this cluster, if not the fleet's podIdentity.associationLimit. */
    associationLimit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .superRefine((cluster, ctx) => {
    if (cluster.arn) {
      const clash = (['context', 'kubeconfig', 'inCluster', 'eks'] as const).filter((key) => cluster[key] !== undefined);
      if (clash.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `arn reaches the cluster through the EKS API with the console's AWS identity; remove ${clash.join(', ')}`,
          path: ['arn'],
        });
      if (cluster.kind && cluster.kind !== 'eks')
        ctx.addIssue({ code: 'custom', message: 'an arn names an EKS cluster; remove kind or set kind: eks', path: ['kind'] });
    }
    if (cluster.inCluster && (cluster.context || cluster.kubeconfig))
      ctx.addIssue({
        code: 'custom',
        message: "inCluster uses the pod's service account; remove context and kubeconfig",
        path: ['inCluster'],
      });
    if (cluster.kind && cluster.kind !== 'eks' && cluster.eks)
      ctx.addIssue({
        code: 'custom',
        message: `a ${cluster.kind} cluster has no EKS identity; remove eks or set kind: eks`,
        path: ['eks'],
      });
    if (cluster.assumeRoleArn && cluster.kind && cluster.kind !== 'eks')
      ctx.addIssue({
        code: 'custom',
        message: `a ${cluster.kind} cluster makes no AWS calls, so it has no role to assume`,
        path: ['assumeRoleArn'],
      });
  });

/** One account to discover EKS clusters in: its id, and the role to assume there (else the console's own credentials). */
const discoverAccountSchema = z.union([
  accountId,
  z.strictObject({ id: accountId, assumeRoleArn: roleArn.optional() }).superRefine((account, ctx) => {
    const roleAccount = accountOfArn(account.assumeRoleArn);
    if (roleAccount && roleAccount !== account.id)
      ctx.addIssue({
        code: 'custom',
        message: `the role is in account ${roleAccount}, not ${account.id}: eks:ListClusters lists the clusters of the caller's own account`,
        path: ['assumeRoleArn'],
      });
  }),
]);

/**
 * A clusters entry that lists EKS clusters with eks:ListClusters in each account and region; each cluster found
 * is reached as an `arn:` entry is (DescribeCluster and the console's own EKS token).
 */
export const discoverConfigSchema = z.strictObject({
  discover: z.strictObject({
    accounts: z.array(discoverAccountSchema).min(1, 'name at least one account'),
    regions: z.array(region).min(1, 'name at least one region'),
  }),
  /** The clusters' STS regional-endpoint default when the version table cannot tell (domain.md §1c). */
  stsRegionalDefault: z.boolean().optional(),
});

export const awsConfigSchema = z.strictObject({
  /** Concurrent AWS calls across the whole console (design.md: bounded pool, default 16). */
  concurrency: z.number().int().min(1).max(256).default(16),
  /**
   * Concurrent S3 reads (snapshot freshness), a bound of their own: S3 serves thousands of GETs per second per
   * prefix (docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html), while the EKS and IAM
   * control planes throttle far sooner, so S3 reads neither wait behind nor crowd out the identity reads.
   */
  s3Concurrency: z.number().int().min(1).max(256).default(32),
  /** How long the page waits for one AWS call, with the SDK's retries, before it reports it missing and backs off. */
  callTimeoutSeconds: z.number().min(1).max(300).default(15),
  /** How long a read is served from the cache. */
  cacheTtlSeconds: z.number().min(0).max(3600).default(30),
  /** SDK attempts per call (standard retry mode), including the first. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /**
   * Calls at once per account and service, to start with and at most: throttling halves it, successes widen it
   * again (AIMD), since EKS and IAM limit request rates per account, not per client.
   */
  accountConcurrency: z.number().int().min(1).max(256).default(10),
  /** A throttled call waits (jittered, doubling from throttleBackoffMs) and is retried this often before it is reported (CL004). */
  throttleRetries: z.number().int().min(0).max(20).default(4),
  throttleBackoffMs: z.number().int().min(1).max(60_000).default(250),
  /**
   * Listings (each cluster's Pod Identity associations, each account's roles and IAM OIDC providers, discovered
   * clusters) are read again this often: how soon an association or role made or deleted elsewhere shows. One pass
   * is a page per 100 associations and per 1,000 roles; the console's own writes drop what they change at once.
   */
  listSeconds: z.number().min(0).max(86_400).default(60),
  /**
   * Each association is described when it first appears (or its list entry changes) and again on this rolling
   * schedule (each at 0.5–1.5× it, so they spread out), to catch role changes made elsewhere.
   */
  redescribeSeconds: z.number().min(0).max(86_400).default(600),
  /**
   * IAM roles and their policies are re-read on this rolling schedule, and at once after the console's own writes.
   * A role whose trust policy the account's role listing shows changed (or that appeared or went) is read at once.
   */
  iamRereadSeconds: z.number().min(0).max(86_400).default(300),
  /**
   * The most AWS calls a minute the rolling re-describes and IAM re-reads make together, on average: when the
   * fleet holds more of those reads than redescribeSeconds and iamRereadSeconds allow at this rate, both periods
   * stretch to (reads ÷ this) minutes. EKS and IAM limit calls per account, and a console must not spend them on
   * re-reading what rarely changes. 0: no budget (the periods as configured, whatever they cost).
   */
  rereadCallsPerMinute: z.number().min(0).max(100_000).default(60),
  /** Each cluster's DescribeCluster, add-ons and access entries are re-read on this rolling schedule. */
  clusterRereadSeconds: z.number().min(0).max(86_400).default(300),
});

export const AWS_CONFIG_DEFAULTS: AwsConfig = {
  concurrency: 16,
  s3Concurrency: 32,
  callTimeoutSeconds: 15,
  cacheTtlSeconds: 30,
  maxAttempts: 3,
  accountConcurrency: 10,
  throttleRetries: 4,
  throttleBackoffMs: 250,
  listSeconds: 60,
  redescribeSeconds: 600,
  iamRereadSeconds: 300,
  rereadCallsPerMinute: 60,
  clusterRereadSeconds: 300,
};

export const kubeConfigSchema = z.strictObject({
  /**
   * Keep each cluster's service accounts, pods, nodes, namespaces, workloads and ConfigMaps live with informers
   * (list, then watch; issue 17) instead of relisting them for every refresh. Needs `watch` besides `list`.
   */
  informers: z.boolean().default(true),
  /** How long the API server keeps one watch open before the console opens the next from where it left off. */
  watchTimeoutSeconds: z.number().int().min(10).max(3600).default(300),
  /** First wait before retrying a failed list or watch; doubles per failure (with full jitter) up to the max. */
  backoffInitialMs: z.number().int().min(10).max(60_000).default(500),
  backoffMaxMs: z.number().int().min(100).max(600_000).default(30_000),
});

export type KubeConfigSection = z.infer<typeof kubeConfigSchema>;

export const KUBE_CONFIG_DEFAULTS: KubeConfigSection = {
  informers: true,
  watchTimeoutSeconds: 300,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
};

export const consoleConfigSchema = z
  .strictObject({
    clusters: z.array(z.union([discoverConfigSchema, clusterConfigSchema])).optional(),
    aws: awsConfigSchema.default(AWS_CONFIG_DEFAULTS),
    kube: kubeConfigSchema.default(KUBE_CONFIG_DEFAULTS),
    snapshots: snapshotsConfigSchema.optional(),
    /** EKS Pod Identity facts that AWS may change: the per-cluster association limit (domain.md §1a: 5,000 since 2025). */
    podIdentity: z.strictObject({ associationLimit: z.number().int().min(1).max(1_000_000).optional() }).optional(),
    /** GET /metrics: open by default (api.md), or only with this bearer token, read from the named env var. */
    metrics: z.strictObject({ bearerTokenEnv: nonEmpty }).optional(),
    auth: authConfigSchema.optional(),
    teams: teamsConfigSchema.shape.teams,
    admins: teamsConfigSchema.shape.admins,
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    (config.clusters ?? []).forEach((cluster, index) => {
      if (!('name' in cluster)) return;
      const first = seen.get(cluster.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: `cluster name '${cluster.name}' is already used by clusters[${first}]`,
          path: ['clusters', index, 'name'],
        });
      else seen.set(cluster.name, index);
    });
  });

export type ClusterKind = z.infer<typeof clusterKindSchema>;
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;
export type DiscoverConfig = z.infer<typeof discoverConfigSchema>;
export type AwsConfig = z.infer<typeof awsConfigSchema>;
export type ConsoleConfig = z.infer<typeof consoleConfigSchema> & {
  /** The file the config was read from (absent in zero-config mode); relative paths in it resolve against its folder. */
  sourceFile?: string;
};
