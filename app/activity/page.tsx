import Link from 'next/link';
import { auditVisibilityFor } from '@/lib/audit/audit-scope';
import { auditStore, type AuditEntry, type AuditOutcome } from '@/lib/audit/audit-store';
import { AUDIT_ENTRY_TYPES, auditQueryFrom } from '@/lib/audit/audit-query';
import { requirePrincipal, scopeOf } from '@/lib/auth/get-principal';

export const dynamic = 'force-dynamic';

const outcomeStyle: Record<AuditOutcome, string> = {
  succeeded: 'bg-green-100 text-green-800',
  failed: 'bg-red-100 text-red-800',
  refused: 'bg-orange-100 text-orange-800',
  pending: 'bg-blue-100 text-blue-800',
  'unknown outcome': 'bg-amber-100 text-amber-900',
};

function targetText(entry: AuditEntry): string {
  const { cluster, namespace, serviceAccount, roleArn, associationId } = entry.target;
  const workload = [cluster, namespace, serviceAccount].filter(Boolean).join('/');
  return [workload, roleArn, associationId].filter(Boolean).join(' · ') || '—';
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') params.set(key, value);
  const principal = await requirePrincipal(`/activity${params.size ? `?${params}` : ''}`);
  const query = auditQueryFrom(params);
  const filters = query.success ? query.data : {};
  const page = query.success
    ? await auditStore().listAudit({ ...filters, limit: filters.limit ?? 50 }, auditVisibilityFor(principal, scopeOf(principal)))
    : { items: [] };
  const older = new URLSearchParams(params);
  if (page.nextCursor) older.set('cursor', String(page.nextCursor));

  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Activity</h1>
      <p className="mt-1 text-sm text-slate-600">
        Every action attempt, refusal and sign-in, newest first{principal.isAdmin ? '' : ', for the namespaces in your scope'}.
        {principal.isAdmin ? (
          <>
            {' '}
            <Link href="/sessions" className="underline">
              Sign-in sessions
            </Link>
          </>
        ) : null}
      </p>
      <form method="get" className="mt-4 flex flex-wrap items-end gap-3 text-sm" aria-label="Filters">
        <label className="flex flex-col">
          Actor
          <input name="actor" defaultValue={filters.actor ?? ''} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          Type
          <select name="type" defaultValue={filters.type ?? ''} className="rounded border border-slate-300 px-2 py-1">
            <option value="">any</option>
            {AUDIT_ENTRY_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Cluster
          <input name="cluster" defaultValue={filters.cluster ?? ''} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          Since (RFC 3339)
          <input
            name="since"
            defaultValue={filters.since ?? ''}
            placeholder="2026-11-22T00:00:00Z"
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
        <Link href="/activity" className="px-2 py-1.5 text-slate-600 underline">
          Clear
        </Link>
      </form>
      {!query.success && (
        <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {query.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}
        </p>
      )}
      {query.success && page.items.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">No activity matches these filters.</p>
      ) : (
        <table className="mt-6 w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-500">
            <tr>
              <th className="py-2">Time</th>
              <th>Actor</th>
              <th>Entry</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((entry) => (
              <tr key={entry.id} className="border-b border-slate-100 align-top">
                <td className="py-2 font-mono text-xs whitespace-nowrap">
                  <time dateTime={entry.time}>{entry.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>
                </td>
                <td title={entry.actor.groups.join(', ')}>
                  {entry.actor.subject}
                  <span className="ml-1 text-xs text-slate-500">({entry.actor.via})</span>
                </td>
                <td>{entry.type}</td>
                <td>{entry.actionType ?? '—'}</td>
                <td className="font-mono text-xs break-all">{targetText(entry)}</td>
                <td>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${outcomeStyle[entry.outcome]}`}>{entry.outcome}</span>
                </td>
                <td className="max-w-xs text-xs break-words text-slate-600">
                  {entry.progress
                    ? `${entry.progress.done}/${entry.progress.total}${entry.progress.message ? ` ${entry.progress.message}` : ''}`
                    : entry.error
                      ? JSON.stringify(entry.error)
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor && (
        <Link href={`/activity?${older}`} className="mt-4 inline-block text-sm underline">
          Older entries
        </Link>
      )}
    </main>
  );
}
