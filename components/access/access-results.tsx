import Link from 'next/link';
import type { AccessResult } from '@/lib/console/permission-queries';
import { serviceAccountPath } from '@/lib/console/format';
import { CopyButton } from '@/components/shell/copy-button';
import { PartialDataBanner } from '@/components/shell/partial-data-banner';
import { DecidingStatements } from './deciding-statements';
import { DecisionBadge } from './decision-badge';
import { TableHead } from '@/components/shell/table-head';
import { OrganizationsNote } from './organizations-note';

/** The reverse lookup's answer: each service account that may (or is explicitly denied, or cannot be judged). */
export function AccessResults({
  result,
  question,
  shareUrl,
}: {
  result: AccessResult;
  question: { action: string; resource: string };
  shareUrl: string;
}) {
  const allowed = result.items.filter((i) => i.decision === 'allowed').length;
  return (
    <div className="space-y-3">
      <PartialDataBanner errors={result.errors} />
      <div className="flex flex-wrap items-center gap-2 text-[13px] text-neutral-700">
        <p role="status">
          <strong className="font-semibold">{allowed}</strong> service account{allowed === 1 ? '' : 's'} may do{' '}
          <code className="font-mono">{question.action}</code> on <code className="font-mono break-all">{question.resource}</code>
          {result.items.length > allowed && <> ({result.items.length - allowed} more denied explicitly or not judgeable)</>}.
        </p>
        <span className="inline-flex items-center gap-1 text-[12px] text-neutral-500">
          Link to this answer <CopyButton text={shareUrl} label="Copy the link to this answer" />
        </span>
      </div>
      {result.items.length > 0 ? (
        <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
          <table className="w-full text-left text-[13px]">
            <TableHead
              columns={['Service account', 'Decision', 'Mechanism', 'Role', 'Deciding statements']}
              className="bg-neutral-50 text-[11px] tracking-wide text-neutral-500 uppercase"
              cellClassName="px-3 py-2 font-medium"
            />
            <tbody className="divide-y divide-neutral-100">
              {result.items.map((item) => (
                <tr key={`${item.cluster}/${item.namespace}/${item.name}`} className="align-top">
                  <td className="px-3 py-2">
                    <Link href={serviceAccountPath(item.cluster, item.namespace, item.name)} className="font-mono hover:underline">
                      {item.namespace}/{item.name}
                    </Link>
                    <div className="text-[11px] text-neutral-500">{item.cluster}</div>
                  </td>
                  <td className="px-3 py-2">
                    <DecisionBadge decision={item.decision} />
                  </td>
                  <td className="px-3 py-2 text-[12px]">{item.mechanism === 'irsa' ? 'IRSA' : 'Pod Identity'}</td>
                  <td className="px-3 py-2 font-mono text-[12px] break-all">{item.roleArn}</td>
                  <td className="px-3 py-2">
                    <DecidingStatements statements={item.statements} />
                    {item.decision === 'unknown' && item.reasons.length > 0 && (
                      <ul className="mt-1 list-disc pl-4 text-[12px] text-amber-900">
                        {item.reasons.map((r, i) => (
                          <li key={i}>{r}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="rounded-lg border border-neutral-200 bg-white px-4 py-3 text-[13px] text-neutral-600">
          No service account in your scope may do this.
        </p>
      )}
      {result.unknownIdentities.length > 0 && (
        <details className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-[12px] text-amber-950">
          <summary className="cursor-pointer font-medium">
            {result.unknownIdentities.length} service account{result.unknownIdentities.length === 1 ? '' : 's'} could not be judged
            (identity unknown)
          </summary>
          <ul className="mt-1 space-y-0.5">
            {result.unknownIdentities.map((u) => (
              <li key={`${u.cluster}/${u.namespace}/${u.name}`}>
                <span className="font-mono">
                  {u.cluster}/{u.namespace}/{u.name}
                </span>
                : {u.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <OrganizationsNote className="text-[12px] text-neutral-500" />
    </div>
  );
}
