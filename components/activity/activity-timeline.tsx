import Link from 'next/link';
import type { ActivityItem, ActivityKind, ActivityOutcome } from '@/lib/console/activity';
import { clusterPath, formatClockTime, formatTimestamp, serviceAccountPath } from '@/lib/console/format';
import { roleNameOf } from '@/lib/model/arn';
import { TrustPolicyDiff } from '@/components/actions/trust-policy-diff';

const OUTCOME_STYLE: Record<ActivityOutcome, string> = {
  succeeded: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  failed: 'bg-red-50 text-red-800 ring-red-200',
  refused: 'bg-orange-50 text-orange-900 ring-orange-200',
  running: 'bg-sky-50 text-sky-800 ring-sky-200',
  'unknown outcome': 'bg-amber-50 text-amber-900 ring-amber-200',
};

const VERB: Record<ActivityKind, string> = {
  action: 'applied',
  plan: 'previewed',
  refused: 'was refused',
  'sign-in': 'signed in',
  'sign-out': 'signed out',
  cancel: 'cancelled',
  'session-revoked': 'revoked sessions',
};

/** What the entry touched, each part a link where the console has a page for it. */
function Target({ target }: { target: ActivityItem['target'] }) {
  const { cluster, namespace, serviceAccount, roleArn, associationId } = target;
  const parts: React.ReactNode[] = [];
  if (cluster && namespace && serviceAccount)
    parts.push(
      <Link key="sa" href={serviceAccountPath(cluster, namespace, serviceAccount)} className="font-medium text-sky-800 hover:underline">
        {cluster}/{namespace}/{serviceAccount}
      </Link>,
    );
  else if (cluster)
    parts.push(
      <Link key="cluster" href={clusterPath(cluster)} className="font-medium text-sky-800 hover:underline">
        {namespace ? `${cluster}/${namespace}` : cluster}
      </Link>,
    );
  if (roleArn)
    parts.push(
      <span key="role">
        role{' '}
        <code className="font-mono text-[12px]" title={roleArn}>
          {roleNameOf(roleArn)}
        </code>
      </span>,
    );
  if (associationId)
    parts.push(
      <span key="association">
        association <code className="font-mono text-[12px]">{associationId}</code>
      </span>,
    );
  if (parts.length === 0) return null;
  return (
    <>
      {' on '}
      {parts.map((part, index) => (
        <span key={index}>
          {index > 0 ? ', ' : ''}
          {part}
        </span>
      ))}
    </>
  );
}

function Entry({ item }: { item: ActivityItem }) {
  const folded = item.steps.length > 0 || item.trustPolicyDiff || item.finishedAt;
  return (
    <li className="flex gap-3 px-4 py-3 max-md:px-3" data-testid="activity-entry" data-kind={item.kind} data-outcome={item.outcome}>
      <time
        dateTime={item.time}
        title={formatTimestamp(item.time)}
        className="w-16 shrink-0 pt-0.5 font-mono text-[12px] text-neutral-600 tabular-nums"
      >
        {formatClockTime(item.time)}
      </time>
      <div className="min-w-0 flex-1 space-y-1 text-[13px] break-words text-neutral-800">
        <p>
          <span className="font-medium text-neutral-950" title={item.actor.groups.join(', ') || undefined}>
            {item.actor.subject}
          </span>{' '}
          <span className="text-[12px] text-neutral-600">({item.actor.via})</span> {VERB[item.kind]}
          {item.action ? (
            <>
              {' '}
              <span className="font-medium text-neutral-950">{item.action}</span>
            </>
          ) : null}
          <Target target={item.target} />
        </p>
        {item.summary && <p className="text-neutral-700">{item.summary}</p>}
        {item.reason && <p className={item.outcome === 'refused' ? 'text-orange-900' : 'text-red-800'}>{item.reason}</p>}
        {(folded || item.jobHref) && (
          <div className="flex flex-wrap items-start gap-x-4 gap-y-1 text-[12px]">
            {folded && (
              <details className="min-w-0 flex-1 basis-full">
                <summary className="cursor-pointer text-neutral-700 hover:text-neutral-950">
                  {item.steps.length > 0 ? `${item.steps.length} step${item.steps.length === 1 ? '' : 's'}` : 'Details'}
                  {item.trustPolicyDiff ? ' and the trust policy diff' : ''}
                </summary>
                <div className="mt-2 space-y-2">
                  <ol className="space-y-0.5 text-neutral-700">
                    <li>
                      Started <time dateTime={item.time}>{formatTimestamp(item.time)}</time>
                    </li>
                    {item.steps.map((step, index) => (
                      <li key={index}>{step}</li>
                    ))}
                    {item.finishedAt && (
                      <li>
                        Finished <time dateTime={item.finishedAt}>{formatTimestamp(item.finishedAt)}</time>: {item.outcome}
                      </li>
                    )}
                  </ol>
                  {item.trustPolicyDiff && <TrustPolicyDiff diff={item.trustPolicyDiff} />}
                </div>
              </details>
            )}
            {item.jobHref && (
              <a href={item.jobHref} className="text-sky-800 hover:underline">
                Job record (JSON)
              </a>
            )}
          </div>
        )}
      </div>
      <span
        className={`h-fit shrink-0 rounded-full px-2 py-0.5 text-[12px] font-medium whitespace-nowrap ring-1 ring-inset ${OUTCOME_STYLE[item.outcome]}`}
      >
        {item.outcome}
      </span>
    </li>
  );
}

/** The audit trail as a timeline: one entry per action or event, newest first, grouped by UTC day. */
export function ActivityTimeline({ items }: { items: ActivityItem[] }) {
  const days: { day: string; items: ActivityItem[] }[] = [];
  for (const item of items) {
    const day = formatTimestamp(item.time).slice(0, 10);
    if (days.at(-1)?.day !== day) days.push({ day, items: [] });
    days.at(-1)!.items.push(item);
  }
  return (
    <div className="space-y-4">
      {days.map(({ day, items: entries }) => (
        <section key={day} aria-labelledby={`day-${day}`} className="space-y-2">
          <h2 id={`day-${day}`} className="text-[13px] font-semibold text-neutral-700">
            {day} <span className="font-normal text-neutral-600">(UTC)</span>
          </h2>
          <ol className="divide-y divide-neutral-100 rounded-lg border border-neutral-200 bg-white">
            {entries.map((item) => (
              <Entry key={item.id} item={item} />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
