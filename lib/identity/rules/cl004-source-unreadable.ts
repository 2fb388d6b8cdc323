import type { SourceError } from '@/lib/model/cluster-snapshot';
import type { Finding } from '@/lib/model/finding';
import type { ClusterContext } from '../identity-context';
import { makeFinding, type ClusterRule } from '../rule-kit';

// CL004: a source could not be read; evidence names the call, the error and, for AccessDenied, the IAM
// action or RBAC verb the console lacks. Sources: the cluster's own errors, fleet errors tagged with the
// cluster, failed GetRole lookups of roles this cluster's SAs or associations name, account-level errors
// (subject.account) for clusters of that account, and untargeted fleet errors for every EKS cluster.

function rolesOfCluster(ctx: ClusterContext): Set<string> {
  const arns = new Set<string>();
  for (const a of ctx.associations ?? []) {
    if (a.roleArn) arns.add(a.roleArn);
    if (a.targetRoleArn) arns.add(a.targetRoleArn);
  }
  for (const sa of ctx.serviceAccountsByKey?.values() ?? []) {
    const arn = sa.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    if (arn) arns.add(arn);
  }
  return arns;
}

export function sourceErrorsOfCluster(ctx: ClusterContext): SourceError[] {
  const out: SourceError[] = [];
  const seen = new Set<string>();
  const add = (e: SourceError) => {
    const k = `${e.source}|${e.operation}|${e.code}|${JSON.stringify(e.subject ?? {})}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(e);
  };
  for (const e of ctx.snapshot.sourceErrors) add(e);
  const clusterRoles = rolesOfCluster(ctx);
  for (const e of ctx.fleet.sourceErrors) {
    if (e.cluster !== undefined) {
      if (e.cluster === ctx.name) add(e);
    } else if (e.subject?.roleArn) {
      if (clusterRoles.has(e.subject.roleArn)) add(e);
    } else if (e.subject?.account) {
      // Account-level reads (ListRoles, ListOpenIDConnectProviders) matter to the clusters of that account.
      if (ctx.eks?.account === e.subject.account) add(e);
    } else if (ctx.isEks) {
      add(e);
    }
  }
  for (const arn of clusterRoles) {
    const lookup = ctx.fleet.roles[arn];
    if (lookup?.status === 'error') add({ ...lookup.error, subject: lookup.error.subject ?? { roleArn: arn } });
  }
  return out;
}

function isAccessDenied(code: string): boolean {
  return /accessdenied|forbidden|unauthorized/i.test(code);
}

export const cl004SourceUnreadable: ClusterRule = {
  code: 'CL004',
  scope: 'cluster',
  evaluate(ctx) {
    return sourceErrorsOfCluster(ctx).map((e): Finding => {
      const lacks = isAccessDenied(e.code) && e.missingPermission ? `; the console lacks ${e.missingPermission}` : '';
      const about = e.subject ? ` (${Object.entries(e.subject).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
      return makeFinding('CL004', { kind: 'cluster', cluster: ctx.name }, `Could not read ${e.operation}${about} in cluster ${ctx.name}: ${e.code}${lacks}`, {
        source: e.source,
        operation: e.operation,
        code: e.code,
        message: e.message,
        missingPermission: e.missingPermission ?? null,
        subject: e.subject ?? null,
      });
    });
  },
};
