import type { EksAccessEntry } from '@/lib/model/cluster-state';
import { lastSegmentOf, sameRole } from '@/lib/model/arn';
import type { ClusterContext } from '../identity-context';
import { makeFinding, type ClusterRule } from '../rule-kit';

// CL005: the console reaches this cluster with its own EKS token (clusters[].arn or discover), and its IAM
// principal has no access entry, or one too narrow for what the console reads. The console's reads are
// those of deploy/base/rbac-read.yaml: AmazonEKSViewPolicy at cluster scope covers service accounts, pods,
// namespaces, config maps and the workload kinds, but not nodes or custom resources (EKS user guide,
// access-policy-permissions), so the entry also carries the Kubernetes group that the read ClusterRole is
// bound to. Evidence: what is missing, and the aws eks commands that add it.

const ACCESS_POLICY = 'AmazonEKSViewPolicy';
/** Access policies whose rules include every rule of AmazonEKSViewPolicy (EKS access-policy-permissions). */
const COVERS_VIEW = new Set([
  'AmazonEKSViewPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminViewPolicy',
]);
/** The group deploy/base/rbac-read.yaml binds to the console's read ClusterRole. */
export const CONSOLE_READ_GROUP = 'workload-identity-console-read';

function partitionOf(arn: string): string {
  return /^arn:(aws[a-z-]*):/.exec(arn)?.[1] ?? 'aws';
}

/** An entry names a role with its path; the console's session names it without: same account and name. */
function samePrincipal(entryArn: string, principalArn: string): boolean {
  if (entryArn === principalArn) return true;
  return sameRole(entryArn, principalArn);
}

export const cl005ConsoleAccessEntry: ClusterRule = {
  code: 'CL005',
  scope: 'cluster',
  evaluate(ctx: ClusterContext) {
    const principal = ctx.state.consolePrincipalArn;
    const entries = ctx.state.eks?.accessEntries;
    // Not reached with an EKS token, or the caller or the entries unknown (CL004 says why): nothing to judge.
    if (!principal || !entries || !ctx.eks) return [];
    const { name: eksName, region, arn } = ctx.eks;
    const base = `--cluster-name ${eksName} --region ${region}`;
    const policyArn = `arn:${partitionOf(arn)}:eks::aws:cluster-access-policy/${ACCESS_POLICY}`;
    const associate = `aws eks associate-access-policy ${base} --principal-arn ${principal} --policy-arn ${policyArn} --access-scope type=cluster`;
    const subject = { kind: 'cluster' as const, cluster: ctx.name };
    const entry: EksAccessEntry | undefined = entries.find((candidate) => samePrincipal(candidate.principalArn, principal));

    if (!entry)
      return [
        makeFinding(
          'CL005',
          subject,
          `The console's principal ${principal} has no access entry in cluster ${ctx.name}, so the cluster refuses its token`,
          {
            principalArn: principal,
            missing: 'access entry',
            commands: [
              `aws eks create-access-entry ${base} --principal-arn ${principal} --kubernetes-groups ${CONSOLE_READ_GROUP}`,
              associate,
            ],
            kubernetesGroup: CONSOLE_READ_GROUP,
          },
        ),
      ];

    const missing: string[] = [];
    const commands: string[] = [];
    const evidence: Record<string, unknown> = { principalArn: principal, accessEntry: entry.principalArn };
    // Policies unknown (ListAssociatedAccessPolicies failed: CL004) are not reported as missing.
    if (entry.accessPolicies !== null) {
      const clusterWide = entry.accessPolicies.filter((p) => p.accessScope.type === 'cluster').map((p) => lastSegmentOf(p.policyArn));
      if (!clusterWide.some((name) => COVERS_VIEW.has(name))) {
        missing.push(`${ACCESS_POLICY} at cluster scope`);
        commands.push(associate);
        evidence.accessPolicies = entry.accessPolicies.map((p) =>
          p.accessScope.type === 'namespace'
            ? `${lastSegmentOf(p.policyArn)} (namespaces ${p.accessScope.namespaces.join(', ')})`
            : lastSegmentOf(p.policyArn),
        );
      }
    }
    // What the API server still refused: the RBAC verbs, from the reads that answered 403.
    const refused = [
      ...new Set(
        ctx.state.sourceErrors
          .filter((error) => error.source === 'kubernetes' && error.code === 'Forbidden')
          .map((error) => error.missingPermission ?? error.operation),
      ),
    ];
    if (refused.length > 0) {
      missing.push(...refused);
      evidence.refusedVerbs = refused;
      if (!entry.kubernetesGroups.includes(CONSOLE_READ_GROUP)) {
        // update-access-entry replaces the groups: keep the entry's own.
        const groups = [...entry.kubernetesGroups, CONSOLE_READ_GROUP].join(' ');
        commands.push(`aws eks update-access-entry ${base} --principal-arn ${entry.principalArn} --kubernetes-groups ${groups}`);
      }
      // The ClusterRole itself is deploy/base/rbac-read.yaml's (kubectl apply it first in a cluster without it).
      commands.push(
        `kubectl create clusterrolebinding ${CONSOLE_READ_GROUP} --clusterrole ${CONSOLE_READ_GROUP} --group ${CONSOLE_READ_GROUP}`,
      );
    }
    if (missing.length === 0) return [];
    return [
      makeFinding('CL005', subject, `The console's access entry in cluster ${ctx.name} is too narrow: it lacks ${missing.join(', ')}`, {
        ...evidence,
        missing: missing.join(', '),
        commands,
        kubernetesGroup: CONSOLE_READ_GROUP,
      }),
    ];
  },
};
