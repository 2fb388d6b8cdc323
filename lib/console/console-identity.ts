import 'server-only';
import type { Scope } from '@/lib/auth/scope';
import { loadConsoleConfig } from '@/lib/config/console-config';
import { resolveClusterTargets, type ClusterTarget } from '@/lib/config/cluster-targets';
import { awsScopeOf } from '@/lib/collect/aws-side';
import { callerIdentity, type CallerIdentity } from '@/lib/aws/sts';
import { awsSourceError } from '@/lib/aws/errors';
import { kubeSourceError } from '@/lib/kube/client';
import { selfSubjectReview, selfSubjectRules, type KubeUserInfo, type RulesInNamespace } from '@/lib/kube/self-review';
import type { Finding } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { currentFleetView, type SourceErrorSummary } from './queries';

// GET /api/v1/console (api.md "Operating the console"): the console's own identity and reach. Per AWS
// credential it uses, who sts:GetCallerIdentity says it is; per cluster, who the API server says it is
// (SelfSubjectReview) and what it may do (SelfSubjectRulesReview, cluster-wide rules plus its own namespace's
// and kube-system's); and when it runs as a service account of a watched cluster, that service account's row
// with its findings: the console must pass its own rules.

export interface ConsoleAwsIdentity {
  /** The account the config or the cluster ARN names for the clusters using these credentials. */
  account?: string;
  region: string;
  /** The role assumed for these clusters (clusters[].assumeRoleArn), absent for the console's own credentials. */
  assumeRoleArn?: string;
  clusters: string[];
  identity: CallerIdentity | null;
  error?: SourceErrorSummary;
}

export interface ConsoleClusterIdentity {
  cluster: string;
  inCluster: boolean;
  user: KubeUserInfo | null;
  rules: RulesInNamespace[];
  errors: SourceErrorSummary[];
  /** When the user is a service account of this cluster: its row as the matrix shows it. */
  self?: Pick<ServiceAccountRow, 'cluster' | 'namespace' | 'name' | 'mechanism' | 'podIdentity' | 'irsa' | 'sts' | 'pods'> & {
    findings: Finding[];
  };
}

export interface ConsoleIdentity {
  aws: ConsoleAwsIdentity[];
  clusters: ConsoleClusterIdentity[];
  collectedAt: string;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

function summarize(error: {
  cluster?: string;
  source: string;
  operation: string;
  code: string;
  message: string;
  missingPermission?: string;
}) {
  return {
    ...(error.cluster ? { cluster: error.cluster } : {}),
    source: error.source,
    operation: error.operation,
    code: error.code,
    message: error.message,
    ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
  } as SourceErrorSummary;
}

async function awsIdentities(targets: ClusterTarget[]): Promise<ConsoleAwsIdentity[]> {
  const groups = new Map<string, { target: ClusterTarget; clusters: string[] }>();
  for (const target of targets) {
    const scope = awsScopeOf(target);
    if (!scope || !target.eks) continue;
    const key = JSON.stringify([target.eks.account, scope.region, target.assumeRoleArn ?? '', target.awsProfile ?? '']);
    const group = groups.get(key) ?? { target, clusters: [] };
    group.clusters.push(target.name);
    groups.set(key, group);
  }
  return Promise.all(
    [...groups.values()].map(async ({ target, clusters }) => {
      const scope = awsScopeOf(target)!;
      const base = {
        account: target.eks!.account,
        region: scope.region,
        ...(target.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}),
        clusters,
      };
      try {
        return { ...base, identity: await callerIdentity(scope) };
      } catch (error) {
        const failure = awsSourceError(
          { source: 'sts', operation: 'GetCallerIdentity', action: 'sts:GetCallerIdentity', cluster: clusters[0] },
          error,
        );
        return { ...base, identity: null, error: summarize(failure) };
      }
    }),
  );
}

async function clusterIdentity(target: ClusterTarget, rows: ServiceAccountRow[]): Promise<ConsoleClusterIdentity> {
  const result: ConsoleClusterIdentity = { cluster: target.name, inCluster: target.inCluster ?? false, user: null, rules: [], errors: [] };
  try {
    result.user = await selfSubjectReview(target);
  } catch (error) {
    result.errors.push(
      summarize(kubeSourceError(target, 'create selfsubjectreviews', error, 'create selfsubjectreviews.authentication.k8s.io')),
    );
  }
  const own = SERVICE_ACCOUNT_USER.exec(result.user?.username ?? '');
  const namespaces = [...new Set([own?.[1] ?? 'default', 'kube-system'])];
  for (const namespace of namespaces) {
    try {
      result.rules.push(await selfSubjectRules(target, namespace));
    } catch (error) {
      result.errors.push(
        summarize(kubeSourceError(target, 'create selfsubjectrulesreviews', error, 'create selfsubjectrulesreviews.authorization.k8s.io')),
      );
    }
  }
  if (own) {
    const row = rows.find((candidate) => candidate.cluster === target.name && candidate.namespace === own[1] && candidate.name === own[2]);
    if (row)
      result.self = {
        cluster: row.cluster,
        namespace: row.namespace,
        name: row.name,
        mechanism: row.mechanism,
        podIdentity: row.podIdentity,
        irsa: row.irsa,
        sts: row.sts,
        pods: row.pods,
        findings: row.findings,
      };
  }
  return result;
}

/** The console's identity in every account and cluster the caller may see. */
export async function getConsoleIdentity(scope: Scope): Promise<ConsoleIdentity> {
  const targets = resolveClusterTargets(loadConsoleConfig()).filter((target) => scope.canSeeCluster(target.name));
  const view = await currentFleetView();
  const [aws, clusters] = await Promise.all([
    awsIdentities(targets),
    Promise.all(targets.map((target) => clusterIdentity(target, view.rows))),
  ]);
  return { aws, clusters, collectedAt: new Date().toISOString() };
}
