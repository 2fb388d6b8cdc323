import type { EksAccessEntry } from '@/lib/model/cluster-state';
import type { ClusterRow } from '@/lib/model/identity-row';
import { lastSegmentOf, sameRole } from '@/lib/model/arn';
import { TableHead } from '@/components/shell/table-head';

// The cluster's EKS access entries (ListAccessEntries, DescribeAccessEntry, ListAssociatedAccessPolicies):
// who may reach the Kubernetes API with an IAM identity, with which access policies and Kubernetes groups.
// The console's own entry, for a cluster it reaches by ARN, is marked (CL005 checks it).

function policies(entry: EksAccessEntry): React.ReactNode {
  if (entry.accessPolicies === null) return <span className="text-neutral-400 italic">unknown</span>;
  if (entry.accessPolicies.length === 0) return <span className="text-neutral-500">none</span>;
  return (
    <ul className="space-y-0.5">
      {entry.accessPolicies.map((policy) => (
        <li key={policy.policyArn}>
          <span className="font-mono text-[12px]">{lastSegmentOf(policy.policyArn)}</span>{' '}
          <span className="text-neutral-500">
            {policy.accessScope.type === 'namespace' ? `in ${policy.accessScope.namespaces.join(', ')}` : 'cluster-wide'}
          </span>
        </li>
      ))}
    </ul>
  );
}

function isConsole(entry: EksAccessEntry, principal: string | null | undefined): boolean {
  if (!principal) return false;
  return entry.principalArn === principal || sameRole(entry.principalArn, principal);
}

export function AccessEntries({ cluster }: { cluster: ClusterRow }) {
  const entries = cluster.accessEntries;
  if (entries === undefined) return null;
  if (entries === null)
    return <p className="text-[13px] text-neutral-500 italic">The access entries could not be read; the cluster findings say why.</p>;
  if (entries.length === 0) return <p className="text-[13px] text-neutral-500">This cluster has no access entries.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table className="w-full text-left text-[13px]">
        <caption className="sr-only">Access entries of {cluster.name}</caption>
        <TableHead
          columns={['Principal', 'Access policies', 'Kubernetes groups', 'Username']}
          className="bg-neutral-50 text-[11px] tracking-wide text-neutral-500 uppercase"
          cellClassName="px-3 py-2 font-medium"
        />
        <tbody className="divide-y divide-neutral-100">
          {entries.map((entry) => (
            <tr key={entry.principalArn} className="align-top">
              <td className="px-3 py-2">
                <span className="font-mono text-[12px] break-all">{entry.principalArn}</span>
                {isConsole(entry, cluster.consolePrincipalArn) && (
                  <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-[11px] text-sky-800">this console</span>
                )}
                {entry.type && entry.type !== 'STANDARD' && <span className="ml-2 text-[11px] text-neutral-500">{entry.type}</span>}
              </td>
              <td className="px-3 py-2">{policies(entry)}</td>
              <td className="px-3 py-2 font-mono text-[12px]">
                {entry.kubernetesGroups.length > 0 ? entry.kubernetesGroups.join(', ') : <span className="text-neutral-500">none</span>}
              </td>
              <td className="px-3 py-2 font-mono text-[12px] break-all text-neutral-600">{entry.username ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
