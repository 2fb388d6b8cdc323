import Link from 'next/link';
import type { ConsoleIdentity } from '@/lib/console/console-identity';
import type { ResourceRule } from '@/lib/kube/self-review';
import { FindingList } from '@/components/findings/finding-list';
import { Section } from '@/components/shell/page-header';

// "The console watching itself" (issue 12): who the console is in each AWS account and cluster it reads, what
// the API server lets it do, and its own service account's findings when it runs in a watched cluster.

function ruleText(rule: ResourceRule): string {
  const groups = (rule.apiGroups ?? ['']).map((group) => group || 'core').join(',');
  const names = rule.resourceNames?.length ? ` (${rule.resourceNames.join(', ')})` : '';
  return `${rule.verbs.join(',')} ${(rule.resources ?? []).join(',')} [${groups}]${names}`;
}

const cell = 'px-3 py-2 align-top';

export function ConsoleIdentitySection({ identity }: { identity: ConsoleIdentity }) {
  return (
    <Section
      title="The console's own identity"
      description="Who the console is where it reads, as AWS STS and each API server answer (GET /api/v1/console)."
    >
      <div className="space-y-4 text-[13px]">
        {identity.aws.length ? (
          <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
            <table className="w-full" aria-label="AWS identity per account">
              <thead className="bg-neutral-50 text-left text-[12px] text-neutral-600">
                <tr>
                  <th className={cell}>Account</th>
                  <th className={cell}>Clusters</th>
                  <th className={cell}>Caller identity (sts:GetCallerIdentity)</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-200">
                {identity.aws.map((entry) => (
                  <tr key={`${entry.account}-${entry.region}-${entry.assumeRoleArn ?? ''}`}>
                    <td className={cell}>
                      {entry.account ?? 'unknown'} <span className="text-neutral-500">{entry.region}</span>
                    </td>
                    <td className={cell}>{entry.clusters.join(', ')}</td>
                    <td className={`${cell} font-mono text-[12px] break-all`}>
                      {entry.identity ? entry.identity.arn : <span className="text-red-700">{entry.error?.message ?? 'unreadable'}</span>}
                      {entry.assumeRoleArn ? <div className="text-neutral-500">assumed: {entry.assumeRoleArn}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {identity.clusters.map((cluster) => (
          <div
            key={cluster.cluster}
            className="space-y-2 rounded-lg border border-neutral-200 bg-white px-4 py-3"
            data-console-cluster={cluster.cluster}
          >
            <div className="flex flex-wrap items-baseline gap-2">
              <Link href={`/clusters/${encodeURIComponent(cluster.cluster)}`} className="font-semibold text-neutral-900 hover:underline">
                {cluster.cluster}
              </Link>
              <span className="font-mono text-[12px] break-all" aria-label="Kubernetes user">
                {cluster.user?.username ?? 'unknown user'}
              </span>
              {cluster.inCluster ? <span className="text-neutral-500">(in-cluster)</span> : null}
            </div>
            {cluster.errors.map((error, index) => (
              <p key={index} className="text-red-700">
                {error.operation}: {error.message}
              </p>
            ))}
            {cluster.rules.map((rules) => (
              <details key={rules.namespace}>
                <summary className="cursor-pointer text-neutral-700">
                  Rules in {rules.namespace}: {rules.resourceRules.length} resource, {rules.nonResourceRules.length} non-resource
                  {rules.incomplete ? ' (incomplete: another authorizer also decides)' : ''}
                </summary>
                <ul className="mt-1 space-y-0.5 font-mono text-[12px] text-neutral-700">
                  {rules.resourceRules.map((rule, index) => (
                    <li key={index}>{ruleText(rule)}</li>
                  ))}
                  {rules.nonResourceRules.map((rule, index) => (
                    <li key={`n${index}`}>
                      {rule.verbs.join(',')} {(rule.nonResourceURLs ?? []).join(',')}
                    </li>
                  ))}
                </ul>
              </details>
            ))}
            {cluster.self ? (
              <div className="space-y-1" aria-label="The console's service account">
                <p className="text-neutral-700">
                  Its service account{' '}
                  <Link
                    className="font-mono hover:underline"
                    href={`/serviceaccounts/${encodeURIComponent(cluster.self.cluster)}/${encodeURIComponent(cluster.self.namespace)}/${encodeURIComponent(cluster.self.name)}`}
                  >
                    {cluster.self.namespace}/{cluster.self.name}
                  </Link>{' '}
                  ({cluster.self.mechanism}, STS {cluster.self.sts.desired}):
                </p>
                <FindingList findings={cluster.self.findings} emptyText="The console passes its own rules: no finding." />
              </div>
            ) : null}
          </div>
        ))}
      </div>
    </Section>
  );
}
