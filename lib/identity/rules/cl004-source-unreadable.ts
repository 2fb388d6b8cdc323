import type { SourceError } from '@/lib/model/cluster-state';
import type { Finding } from '@/lib/model/finding';
import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
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
    const arn = sa.metadata.annotations?.[ANNOTATION_ROLE_ARN];
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
  for (const e of ctx.state.sourceErrors) add(e);
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

const SUBJECT_NOUN: Record<string, string> = { associationId: 'associations', roleArn: 'roles', addonName: 'add-ons', account: 'accounts' };
const MAX_SUBJECTS = 20;

function finding(ctx: ClusterContext, errors: SourceError[]): Finding {
  const [e] = errors;
  const lacks = isAccessDenied(e.code) && e.missingPermission ? `; the console lacks ${e.missingPermission}` : '';
  const subject = { kind: 'cluster' as const, cluster: ctx.name };
  if (errors.length === 1) {
    const about = e.subject
      ? ` (${Object.entries(e.subject)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`
      : '';
    return makeFinding('CL004', subject, `Could not read ${e.operation}${about} in cluster ${ctx.name}: ${e.code}${lacks}`, {
      source: e.source,
      operation: e.operation,
      code: e.code,
      message: e.message,
      missingPermission: e.missingPermission ?? null,
      subject: e.subject ?? null,
    });
  }
  // One finding per failing call and error, listing what it left unknown: a throttled Describe of 70
  // associations is one problem, not 70.
  const noun = SUBJECT_NOUN[Object.keys(e.subject ?? {})[0] ?? ''] ?? 'items';
  return makeFinding(
    'CL004',
    subject,
    `Could not read ${e.operation} for ${errors.length} ${noun} in cluster ${ctx.name}: ${e.code}${lacks}`,
    {
      source: e.source,
      operation: e.operation,
      code: e.code,
      message: e.message,
      missingPermission: e.missingPermission ?? null,
      count: errors.length,
      subjects: errors.slice(0, MAX_SUBJECTS).map((error) => error.subject ?? null),
      ...(errors.length > MAX_SUBJECTS ? { moreSubjects: errors.length - MAX_SUBJECTS } : {}),
    },
  );
}

export const cl004SourceUnreadable: ClusterRule = {
  code: 'CL004',
  scope: 'cluster',
  evaluate(ctx) {
    const groups = new Map<string, SourceError[]>();
    for (const e of sourceErrorsOfCluster(ctx)) {
      const key = `${e.source}|${e.operation}|${e.code}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    return [...groups.values()].map((errors) => finding(ctx, errors));
  },
};
