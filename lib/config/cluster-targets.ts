import 'server-only';
import path from 'node:path';
import type { Context, KubeConfig, User } from '@kubernetes/client-node';
import { defaultKubeconfigPaths, loadKubeconfigFiles } from '@/lib/kube/kubeconfig';
import { parseRoleArn } from '@/lib/model/arn';
import { EKS_CLUSTER_ARN, type ClusterConfig, type ClusterKind, type ConsoleConfig, type DiscoverConfig } from './schema';

// Which clusters the console looks at. Zero config: every context of the current kubeconfig (KUBECONFIG,
// a list separated like PATH, else ~/.kube/config) is a cluster. With `clusters:` in CONSOLE_CONFIG, exactly
// those. An EKS cluster's name, region and account come from its ARN, which `aws eks update-kubeconfig` uses
// as the cluster, context and user name, or from the `aws eks get-token` arguments of the context's user.

export interface EksIdentity {
  name: string;
  region: string;
  /** Absent when only `get-token`'s --cluster-name/--region are known: the collector reads it from DescribeCluster's ARN. */
  account?: string;
}

export interface ClusterTarget {
  /** Display name: the EKS name, else the context name (or the config's name). */
  name: string;
  /** Known from config or from EKS identity; otherwise the collector tells k3s/rke2/kubernetes from /version. */
  kind?: ClusterKind;
  /** Kubeconfig context ('' for in-cluster). */
  context: string;
  /** Kubeconfig file; absent = the default (KUBECONFIG list or ~/.kube/config). */
  kubeconfigPath?: string;
  inCluster?: boolean;
  eks?: EksIdentity;
  /** Role assumed for this cluster's AWS calls (CONSOLE_CONFIG clusters[].assumeRoleArn, or get-token --role-arn). */
  assumeRoleArn?: string;
  /** AWS profile for this cluster's AWS calls (the AWS_PROFILE of the context's `aws eks get-token`). */
  awsProfile?: string;
  stsRegionalDefault?: boolean;
  /** EKS Pod Identity associations allowed per cluster (PI010 warns at 90%): clusters[].associationLimit, else podIdentity.associationLimit. */
  associationLimit?: number;
  /**
   * Reached without a kubeconfig (clusters[].arn, or found by clusters[].discover): the endpoint and CA come
   * from eks:DescribeCluster, and the console authenticates with an EKS token made from its own AWS identity.
   */
  viaEksApi?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

// https://<id>.<sk>.<region>.eks.amazonaws.com (and .eks.amazonaws.com.cn)
const EKS_SERVER = /^https:\/\/[^/]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/;

function execArgument(args: string[], flag: string): string | undefined {
  for (let index = 0; index < args.length; index++) {
    if (args[index] === flag) return args[index + 1];
    if (args[index].startsWith(`${flag}=`)) return args[index].slice(flag.length + 1);
  }
  return undefined;
}

interface ExecCredentials {
  eks?: EksIdentity;
  roleArn?: string;
  profile?: string;
}

interface ExecPluginFacts {
  clusterName?: string;
  region?: string;
  roleArn?: string;
  profile?: string;
}

/** What the user's exec plugin says: `aws eks get-token --cluster-name N --region R [--role-arn A]`, or aws-iam-authenticator `token -i N`. */
function fromExecPlugin(user: User | null): ExecPluginFacts {
  const exec = user?.exec as { command?: string; args?: string[] | null; env?: { name: string; value: string }[] | null } | undefined;
  if (!exec) return {};
  const args = (exec.args ?? []).map(String);
  const env = new Map((exec.env ?? []).map((entry) => [entry.name, entry.value]));
  const command = path.basename(exec.command ?? '');
  const facts: ExecPluginFacts = {};
  if (command === 'aws' && args.includes('get-token')) {
    facts.clusterName = execArgument(args, '--cluster-name') ?? execArgument(args, '--cluster-id');
    facts.roleArn = execArgument(args, '--role-arn');
  } else if (command === 'aws-iam-authenticator' && args.includes('token')) {
    facts.clusterName = execArgument(args, '-i') ?? execArgument(args, '--cluster-id');
    facts.roleArn = execArgument(args, '-r') ?? execArgument(args, '--role');
  } else {
    return {};
  }
  facts.region = execArgument(args, '--region') ?? env.get('AWS_REGION') ?? env.get('AWS_DEFAULT_REGION');
  facts.profile = execArgument(args, '--profile') ?? env.get('AWS_PROFILE');
  return facts;
}

/** The EKS identity of a kubeconfig context: its cluster ARN, else the exec plugin's arguments (region from the API server's host name when the plugin has none). */
export function eksIdentityOfContext(kubeconfig: KubeConfig, context: Context): ExecCredentials {
  const exec = fromExecPlugin(kubeconfig.getUser(context.user));
  const credentials = { ...(exec.roleArn ? { roleArn: exec.roleArn } : {}), ...(exec.profile ? { profile: exec.profile } : {}) };
  for (const candidate of [context.cluster, context.name]) {
    const match = EKS_CLUSTER_ARN.exec(candidate ?? '');
    if (match) return { ...credentials, eks: { region: match[2], account: match[3], name: match[4] } };
  }
  if (!exec.clusterName) return credentials;
  const region = exec.region ?? EKS_SERVER.exec(kubeconfig.getCluster(context.cluster)?.server ?? '')?.[1];
  if (!region) return credentials;
  // get-token's --role-arn is the role kubectl authenticates as; it is normally in the cluster's account.
  const account = exec.roleArn ? parseRoleArn(exec.roleArn)?.account : undefined;
  return { ...credentials, eks: { name: exec.clusterName, region, ...(account ? { account } : {}) } };
}

function targetFromContext(kubeconfig: KubeConfig, context: Context, kubeconfigPath?: string): ClusterTarget {
  const identity = eksIdentityOfContext(kubeconfig, context);
  return {
    name: identity.eks?.name ?? context.name,
    ...(identity.eks ? { kind: 'eks' as const, eks: identity.eks } : {}),
    context: context.name,
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    ...(identity.roleArn ? { assumeRoleArn: identity.roleArn } : {}),
    ...(identity.profile ? { awsProfile: identity.profile } : {}),
  };
}

/** The target of an EKS cluster reached through the EKS API (clusters[].arn, or found by discover). */
export function targetOfClusterArn(
  name: string,
  arn: string,
  options: { assumeRoleArn?: string; stsRegionalDefault?: boolean } = {},
): ClusterTarget {
  const match = EKS_CLUSTER_ARN.exec(arn);
  if (!match) throw new Error(`${arn} is not an EKS cluster ARN`);
  return {
    name,
    kind: 'eks',
    context: '',
    eks: { region: match[2], account: match[3], name: match[4] },
    viaEksApi: true,
    ...(options.assumeRoleArn ? { assumeRoleArn: options.assumeRoleArn } : {}),
    ...(options.stsRegionalDefault !== undefined ? { stsRegionalDefault: options.stsRegionalDefault } : {}),
  };
}

/** The clusters[].discover entries of the config (lib/collect/discover-clusters.ts lists their clusters). */
export function discoverEntries(config: ConsoleConfig): DiscoverConfig[] {
  return (config.clusters ?? []).filter((entry): entry is DiscoverConfig => 'discover' in entry);
}

function resolveConfiguredCluster(cluster: ClusterConfig, config: ConsoleConfig, env: Env): ClusterTarget {
  if (cluster.arn) return targetOfClusterArn(cluster.name, cluster.arn, cluster);
  const base = config.sourceFile ? path.dirname(config.sourceFile) : process.cwd();
  if (cluster.inCluster) {
    return {
      name: cluster.name,
      context: '',
      inCluster: true,
      ...(cluster.kind ? { kind: cluster.kind } : cluster.eks ? { kind: 'eks' as const } : {}),
      ...(cluster.eks ? { eks: cluster.eks } : {}),
      ...(cluster.assumeRoleArn ? { assumeRoleArn: cluster.assumeRoleArn } : {}),
      ...(cluster.stsRegionalDefault !== undefined ? { stsRegionalDefault: cluster.stsRegionalDefault } : {}),
    };
  }
  const kubeconfigPath = cluster.kubeconfig ? path.resolve(base, cluster.kubeconfig) : undefined;
  const files = kubeconfigPath ? [kubeconfigPath] : defaultKubeconfigPaths(env);
  const where = kubeconfigPath ?? (files.length > 0 ? files.join(path.delimiter) : 'the default kubeconfig (none found)');
  const kubeconfig = loadKubeconfigFiles(files);
  const contextName = cluster.context ?? kubeconfig.getCurrentContext();
  const context = contextName ? kubeconfig.getContextObject(contextName) : null;
  if (!context) {
    const problem = cluster.context
      ? `context '${cluster.context}' is not in ${where}`
      : `${where} has no current context; set clusters[].context`;
    throw new Error(`cluster '${cluster.name}': ${problem}`);
  }
  const detected = targetFromContext(kubeconfig, context, kubeconfigPath);
  const eks = cluster.eks ?? (cluster.kind === undefined || cluster.kind === 'eks' ? detected.eks : undefined);
  const kind = cluster.kind ?? (eks ? 'eks' : undefined);
  return {
    name: cluster.name,
    ...(kind ? { kind } : {}),
    context: context.name,
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    ...(eks ? { eks } : {}),
    ...((cluster.assumeRoleArn ?? (eks ? detected.assumeRoleArn : undefined))
      ? { assumeRoleArn: cluster.assumeRoleArn ?? detected.assumeRoleArn }
      : {}),
    ...(eks && detected.awsProfile ? { awsProfile: detected.awsProfile } : {}),
    ...(cluster.stsRegionalDefault !== undefined ? { stsRegionalDefault: cluster.stsRegionalDefault } : {}),
  };
}

/**
 * Every cluster the console names. With `clusters:` in the config, those (each resolved against its
 * kubeconfig, an unknown context being an error naming the cluster; an `arn:` entry needs none); the
 * clusters of `discover:` entries are listed from AWS by lib/collect/discover-clusters.ts. Otherwise every
 * context of the current kubeconfig, or the console's own cluster when it runs in a pod with no kubeconfig.
 */
export function resolveClusterTargets(config: ConsoleConfig, env: Env = process.env): ClusterTarget[] {
  const limit = config.podIdentity?.associationLimit;
  return resolveTargets(config, env).map((target) => {
    const own = config.clusters?.find(
      (cluster): cluster is ClusterConfig => 'name' in cluster && cluster.name === target.name,
    )?.associationLimit;
    return own !== undefined || limit !== undefined ? { ...target, associationLimit: own ?? limit } : target;
  });
}

function resolveTargets(config: ConsoleConfig, env: Env): ClusterTarget[] {
  if (config.clusters && config.clusters.length > 0) {
    return config.clusters.flatMap((cluster, index) => {
      if ('discover' in cluster) return [];
      try {
        return [resolveConfiguredCluster(cluster, config, env)];
      } catch (error) {
        const file = config.sourceFile ?? 'CONSOLE_CONFIG';
        throw new Error(`${file}: clusters[${index}]: ${(error as Error).message}`);
      }
    });
  }
  const files = defaultKubeconfigPaths(env);
  if (files.length === 0) {
    // In a pod without a kubeconfig: the console's own cluster, through its service account.
    if (env.KUBERNETES_SERVICE_HOST) return [{ name: 'in-cluster', context: '', inCluster: true }];
    return [];
  }
  const kubeconfig = loadKubeconfigFiles(files);
  const targets = kubeconfig.getContexts().map((context) => targetFromContext(kubeconfig, context));
  // Two contexts for the same EKS cluster (say, two users) would share a display name: the later ones
  // keep their context name so every row still says which context it came from.
  const used = new Set<string>();
  return targets.map((target) => {
    const name = used.has(target.name) ? target.context : target.name;
    used.add(name);
    return { ...target, name };
  });
}
