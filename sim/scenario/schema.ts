import { Cron } from 'croner';
import { z } from 'zod';

// The contract of the simulated world (shared/docs/scenario-format.md). Strict objects: an unknown key is
// an error that names the key and its path.

const time = z.string().refine((v) => /^-\d+(s|m|h|d)$/.test(v) || !Number.isNaN(Date.parse(v)), {
  message: 'expected an RFC 3339 time or a relative time like "-3h" ("-90s", "-45m", "-7d")',
});

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');

const policyDocument = z.looseObject({
  Version: z.string().optional(),
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});

const iamPath = z
  .string()
  .regex(/^\/([\w+=,.@-]+\/)*$/, 'expected an IAM path like "/" or "/service/"')
  .optional();

const policyArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/(.+\/)?[\w+=,.@-]+$/,
    'expected an IAM policy ARN like arn:aws:iam::111122223333:policy/NAME',
  );

/** Inline policies by name (ListRolePolicies / GetRolePolicy). */
const inlinePolicies = z.record(z.string().regex(/^[\w+=,.@-]{1,128}$/, 'expected an IAM policy name'), policyDocument);

export const roleSchema = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (1-64 of letters, digits and +=,.@_-)'),
  path: iamPath,
  trustPolicy: policyDocument,
  tags: z.record(z.string(), z.string()).optional(),
  createdAt: time.optional(),
  description: z.string().optional(),
  inlinePolicies: inlinePolicies.optional(),
  attachedPolicies: z.array(policyArn).optional(),
  permissionsBoundary: policyArn.optional(),
});

export const managedPolicySchema = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'expected an IAM policy name (1-128 of letters, digits and +=,.@_-)'),
  path: iamPath,
  description: z.string().optional(),
  createdAt: time.optional(),
  /** The default version's document. */
  document: policyDocument,
});

export const userSchema = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM user name (1-64 of letters, digits and +=,.@_-)'),
  path: iamPath,
  accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{12,124}$/, 'expected an access key id like AKIA… (16-128 upper-case letters and digits)'),
  secretAccessKey: z.string().min(1),
  tags: z.record(z.string(), z.string()).optional(),
  createdAt: time.optional(),
  inlinePolicies: inlinePolicies.optional(),
  attachedPolicies: z.array(policyArn).optional(),
  permissionsBoundary: policyArn.optional(),
});

export const accountSchema = z.strictObject({
  id: accountId,
  alias: z.string().optional(),
  accessKeyId: z.string().min(16).optional(),
  secretAccessKey: z.string().min(1).optional(),
  roles: z.array(roleSchema).default([]),
  managedPolicies: z.array(managedPolicySchema).default([]),
  users: z.array(userSchema).default([]),
  oidcProviders: z
    .array(
      z.strictObject({
        url: z.string().url(),
        clientIds: z.array(z.string()).default(['sts.amazonaws.com']),
        thumbprints: z.array(z.string()).optional(),
      }),
    )
    .default([]),
});

export const bucketObjectSchema = z
  .strictObject({
    key: z.string().min(1),
    json: z.unknown().optional(),
    body: z.string().optional(),
    lastModified: time.optional(),
    contentType: z.string().optional(),
    /** Simulator-only: a Restate latest.json whose partition leader is stuck, so the writer never snapshots it. */
    leaderStuck: z.boolean().optional(),
  })
  .refine((o) => !(o.json !== undefined && o.body !== undefined), { message: 'give either json or body, not both' });

export const bucketSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name (3-63 of a-z, 0-9, . and -)'),
  region: z.string().default('us-east-1'),
  owner: accountId.optional(),
  deny: z.array(accountId).default([]),
  /** The bucket policy (GetBucketPolicy; enforced). */
  policy: policyDocument.optional(),
  objects: z.array(bucketObjectSchema).default([]),
});

export const associationSchema = z
  .strictObject({
    namespace: z.string().min(1),
    serviceAccount: z.string().min(1),
    roleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN'),
    targetRoleArn: z
      .string()
      .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN')
      .nullable()
      .optional(),
    disableSessionTags: z.boolean().optional(),
    ownerArn: z.string().nullable().optional(),
    associationId: z
      .string()
      .regex(/^a-[a-z0-9]{17}$/, 'expected an id like a-abcdefghijklmnopq')
      .optional(),
    createdAt: time.optional(),
    tags: z.record(z.string(), z.string()).optional(),
    /** Session policy (EKS, Feb 2026); needs disableSessionTags: true (domain.md §1a). */
    policy: policyDocument.optional(),
  })
  .refine((a) => a.policy === undefined || a.disableSessionTags === true, {
    message: 'a session policy needs disableSessionTags: true (EKS refuses policy with session tags)',
    path: ['policy'],
  });

export const accessEntrySchema = z.strictObject({
  principalArn: z.string().regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/, 'expected an IAM principal ARN'),
  type: z.enum(['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX']).default('STANDARD'),
  username: z.string().optional(),
  kubernetesGroups: z.array(z.string()).default([]),
  accessPolicies: z
    .array(
      z.strictObject({
        policyArn: z.string().regex(/^arn:aws[\w-]*:eks::aws:cluster-access-policy\/[\w-]+$/, 'expected an EKS access policy ARN'),
        accessScope: z
          .union([
            z.strictObject({ type: z.literal('cluster') }),
            z.strictObject({ type: z.literal('namespace'), namespaces: z.array(z.string().min(1)).min(1) }),
          ])
          .default({ type: 'cluster' }),
      }),
    )
    .default([]),
  createdAt: time.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * A K3s/RKE2 server's scheduled etcd snapshots (domain.md §2b; sim/README.md "K3s/RKE2 etcd snapshots"): the
 * server flags `--etcd-snapshot-schedule-cron`, `--etcd-snapshot-retention`, `--etcd-snapshot-name`, and with
 * `s3` the `--etcd-s3*` flags. Without this key the simulator takes no scheduled snapshots on the cluster.
 */
function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { timezone: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

const etcdSnapshotsSchema = z.strictObject({
  schedule: z
    .string()
    .refine((v) => !v.startsWith('@every'), { message: 'the simulator does not run "@every" schedules; give a cron expression' })
    .refine(isCronExpression, { message: 'expected a cron expression like "0 */12 * * *"' })
    .default('0 */12 * * *'),
  retention: z.number().int().min(0).default(5),
  name: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'expected a snapshot base name like etcd-snapshot')
    .default('etcd-snapshot'),
  /** The etcd server nodes (default: the nodes labelled node-role.kubernetes.io/etcd=true). */
  nodes: z.array(z.string().min(1)).optional(),
  /** The servers' EC2 instance role, which the S3 client falls back to when it has no keys (IMDS). */
  instanceRoleArn: z
    .string()
    .regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN')
    .optional(),
  s3: z
    .strictObject({
      bucket: z.string().min(1).optional(),
      folder: z.string().default(''),
      region: z.string().default('us-east-1'),
      endpoint: z.string().default('s3.amazonaws.com'),
      /** --etcd-s3-access-key: a literal key (an account's or an IAM user's, or an unknown one). */
      accessKeyId: z.string().min(1).optional(),
      /** --etcd-s3-access-key/--etcd-s3-secret-key are this IAM user's keys (any account of the scenario). */
      user: z.string().min(1).optional(),
      /** --etcd-s3-config-secret: a kube-system Secret read at every upload, used only when no other S3 flag is set. */
      configSecret: z.string().min(1).optional(),
    })
    .refine((s) => s.bucket !== undefined || s.configSecret !== undefined, { message: 'give bucket, or configSecret' })
    .refine((s) => !(s.accessKeyId && s.user), { message: 'give either accessKeyId or user, not both' })
    .optional(),
});

const kubeObject = z.looseObject({
  apiVersion: z.string({ message: 'every Kubernetes object needs apiVersion' }),
  kind: z.string({ message: 'every Kubernetes object needs kind' }),
  metadata: z.looseObject({ name: z.string({ message: 'every Kubernetes object needs metadata.name' }).min(1) }),
});

export const clusterSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'expected a cluster name (letters, digits, - and _)'),
    kind: z.enum(['eks', 'k3s', 'rke2', 'kubernetes']).default('eks'),
    account: accountId.optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1')
      .optional(),
    version: z
      .string()
      .regex(/^\d+\.\d+$/, 'expected a Kubernetes minor version like "1.30"')
      .default('1.30'),
    platformVersion: z
      .string()
      .regex(/^eks\.\d+$/, 'expected a platform version like eks.8')
      .optional(),
    oidcIssuer: z.string().url().optional(),
    stsRegionalDefault: z.boolean().optional(),
    createdAt: time.optional(),
    addons: z
      .array(z.strictObject({ name: z.string().min(1), version: z.string().default('v1.0.0-eksbuild.1'), status: z.string().optional() }))
      .default([]),
    podIdentityAssociations: z.array(associationSchema).default([]),
    /** EKS Auto Mode: DescribeCluster computeConfig.enabled; default nodes are Auto Mode nodes with the agent built in. */
    autoMode: z.boolean().optional(),
    /** Pod Identity associations allowed on this cluster (default 5,000, domain.md §1a). */
    associationLimit: z.number().int().min(0).optional(),
    accessEntries: z.array(accessEntrySchema).default([]),
    /** K3s/RKE2 only: the server's scheduled etcd snapshots (and their S3 uploads), simulated after load. */
    etcdSnapshots: etcdSnapshotsSchema.optional(),
    objects: z.array(kubeObject).default([]),
    objectFiles: z.array(z.string()).default([]),
    /** Generated filler objects, for benchmarks and scale (sim/README.md). */
    generate: z
      .strictObject({
        namespaces: z.number().int().min(1),
        serviceAccountsPerNamespace: z.number().int().min(0),
        podsPerServiceAccount: z.number().int().min(0),
        associationsPerNamespace: z.number().int().min(0).default(0),
        roleAccount: accountId.optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'eks') {
      if (!c.account) ctx.addIssue({ code: 'custom', path: ['account'], message: 'an eks cluster needs account' });
      if (!c.region) ctx.addIssue({ code: 'custom', path: ['region'], message: 'an eks cluster needs region' });
    } else {
      for (const key of ['account', 'region', 'platformVersion', 'oidcIssuer', 'autoMode', 'associationLimit'] as const) {
        if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is for eks clusters only` });
      }
      if (c.podIdentityAssociations.length > 0)
        ctx.addIssue({ code: 'custom', path: ['podIdentityAssociations'], message: 'Pod Identity associations are for eks clusters only' });
      if (c.accessEntries.length > 0)
        ctx.addIssue({ code: 'custom', path: ['accessEntries'], message: 'access entries are for eks clusters only' });
    }
    if (c.etcdSnapshots && c.kind !== 'k3s' && c.kind !== 'rke2')
      ctx.addIssue({ code: 'custom', path: ['etcdSnapshots'], message: 'etcdSnapshots is for k3s and rke2 clusters only' });
  });

export const faultSchema = z
  .strictObject({
    service: z.enum(['eks', 'iam', 'sts', 's3', 'kube']),
    operation: z.string().min(1),
    cluster: z.string().optional(),
    latencyMs: z.number().int().min(0).optional(),
    error: z
      .strictObject({ status: z.number().int().min(400).max(599), code: z.string().min(1), message: z.string().default('') })
      .optional(),
    throttle: z.strictObject({ perSecond: z.number().positive() }).optional(),
    hang: z.boolean().optional(),
    probability: z.number().min(0).max(1).default(1),
  })
  .refine((f) => [f.latencyMs !== undefined, !!f.error, !!f.throttle, !!f.hang].filter(Boolean).length === 1, {
    message: 'a fault needs exactly one of latencyMs, error, throttle or hang',
  });

/** Per-account API rate limits (sim/aws-traffic.ts): a token bucket per account and operation. */
const rateLimitSchema = z.strictObject({
  account: accountId.optional(),
  service: z.enum(['eks', 'iam', 'sts', 's3']),
  operation: z.string().min(1),
  perSecond: z.number().positive(),
  burst: z.number().int().min(1).optional(),
});

export const scenarioSchema = z.strictObject({
  now: time.optional(),
  description: z.string().optional(),
  accounts: z.array(accountSchema).default([]),
  buckets: z.array(bucketSchema).default([]),
  clusters: z.array(clusterSchema).default([]),
  faults: z.array(faultSchema).default([]),
  rateLimits: z.array(rateLimitSchema).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioCluster = z.infer<typeof clusterSchema>;
