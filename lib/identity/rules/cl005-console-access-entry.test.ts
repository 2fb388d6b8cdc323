import { describe, expect, it } from 'vitest';
import type { ClusterState, EksAccessEntry } from '@/lib/model/cluster-state';
import { evaluateFleet } from '../evaluate-identity';
import { eksCluster, fleet, roleArn } from '../test-fixtures';

const CONSOLE = roleArn('workload-identity-console');
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

function reachedWithToken(
  entries: EksAccessEntry[] | null,
  o: { principal?: string | null; sourceErrors?: ClusterState['sourceErrors'] } = {},
) {
  const cluster = eksCluster({ sourceErrors: o.sourceErrors ?? [] });
  return fleet([
    {
      ...cluster,
      consolePrincipalArn: o.principal === undefined ? CONSOLE : o.principal,
      eks: { ...cluster.eks!, accessEntries: entries },
    },
  ]);
}
const cl005 = (f: ReturnType<typeof fleet>) => evaluateFleet(f).filter((finding) => finding.code === 'CL005');
const entry = (o: Partial<EksAccessEntry> = {}): EksAccessEntry => ({
  principalArn: CONSOLE,
  kubernetesGroups: ['workload-identity-console-read'],
  accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
  ...o,
});

describe("CL005: the console's principal has no access entry, or one too narrow for what the console needs", () => {
  it('names the missing entry with the create-access-entry and associate-access-policy commands to run', () => {
    const [finding] = cl005(reachedWithToken([entry({ principalArn: roleArn('someone-else') })]));
    expect(finding.severity).toBe('error');
    expect(finding.subject).toEqual({ kind: 'cluster', cluster: 'prod' });
    expect(finding.title).toContain(`${CONSOLE} has no access entry in cluster prod`);
    expect(finding.evidence.commands).toEqual([
      `aws eks create-access-entry --cluster-name prod --region us-east-1 --principal-arn ${CONSOLE} --kubernetes-groups workload-identity-console-read`,
      `aws eks associate-access-policy --cluster-name prod --region us-east-1 --principal-arn ${CONSOLE} --policy-arn ${VIEW} --access-scope type=cluster`,
    ]);
  });

  it('names AmazonEKSViewPolicy when the entry has only a namespace-scoped policy', () => {
    const [finding] = cl005(
      reachedWithToken([entry({ accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['payments'] } }] })]),
    );
    expect(finding.evidence.missing).toBe('AmazonEKSViewPolicy at cluster scope');
    expect(finding.evidence.accessPolicies).toEqual(['AmazonEKSViewPolicy (namespaces payments)']);
    expect(finding.evidence.commands).toEqual([expect.stringMatching(/^aws eks associate-access-policy .*--access-scope type=cluster$/)]);
  });

  it('names the verbs the cluster refused, and adds the read group keeping the entry’s own groups', () => {
    const [finding] = cl005(
      reachedWithToken([entry({ kubernetesGroups: ['auditors'] })], {
        sourceErrors: [
          {
            source: 'kubernetes',
            operation: 'list nodes',
            code: 'Forbidden',
            message: 'nodes is forbidden',
            missingPermission: 'list nodes',
          },
        ],
      }),
    );
    expect(finding.title).toContain('it lacks list nodes');
    expect(finding.evidence.commands).toContain(
      `aws eks update-access-entry --cluster-name prod --region us-east-1 --principal-arn ${CONSOLE} --kubernetes-groups auditors workload-identity-console-read`,
    );
  });

  it('finds an entry that names the role with its path, since a session ARN carries none', () => {
    expect(cl005(reachedWithToken([entry({ principalArn: 'arn:aws:iam::111122223333:role/platform/workload-identity-console' })]))).toEqual(
      [],
    );
  });

  it('accepts any policy that includes the view rules, at cluster scope', () => {
    for (const name of ['AmazonEKSEditPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminViewPolicy'])
      expect(
        cl005(
          reachedWithToken([
            entry({ accessPolicies: [{ policyArn: VIEW.replace('AmazonEKSViewPolicy', name), accessScope: { type: 'cluster' } }] }),
          ]),
        ),
      ).toEqual([]);
  });

  it('stays silent when the entries, the policies or the caller are unknown, or the cluster is reached by kubeconfig', () => {
    expect(cl005(reachedWithToken(null))).toEqual([]);
    expect(cl005(reachedWithToken([entry({ accessPolicies: null })]))).toEqual([]);
    expect(cl005(reachedWithToken([], { principal: null }))).toEqual([]);
    const byKubeconfig = eksCluster();
    expect(cl005(fleet([{ ...byKubeconfig, eks: { ...byKubeconfig.eks!, accessEntries: [] } }]))).toEqual([]);
  });
});
