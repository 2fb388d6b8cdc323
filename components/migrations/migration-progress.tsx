'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { ActionApiError } from '@/lib/console/action-api';
import { formatTimestamp, serviceAccountPath } from '@/lib/console/format';
import { controlMigration, fetchMigration, type MigrationVerb } from '@/lib/console/migration-api';
import type { ItemStatus, MigrationItem, MigrationRecord, MigrationStatus } from '@/lib/migration/types';
import { ActionErrorView } from '@/components/actions/action-error-view';

const STATUS_TEXT: Record<MigrationStatus, string> = {
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  paused: 'Paused',
  cancelled: 'Cancelled',
  'rolled-back': 'Rolled back',
  'unknown outcome': 'Unknown outcome',
};

const ITEM_STYLE: Partial<Record<ItemStatus, string>> = {
  succeeded: 'text-emerald-700',
  'rolled-back': 'text-violet-700',
  failed: 'text-red-700',
  'unknown outcome': 'text-red-700',
  running: 'text-amber-800',
  'rolling-back': 'text-amber-800',
  skipped: 'text-neutral-500',
};

const keyOf = (item: { namespace: string; name: string }) => `${item.namespace}/${item.name}`;

const BUTTON =
  'rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-800 hover:bg-neutral-50 disabled:opacity-50';

/** What the batch ended with, in words: verified on Pod Identity, back on IRSA, or nothing to do. */
function Result({ record }: { record: MigrationRecord }) {
  const migrated = record.items.filter((item) => item.status === 'succeeded');
  const rolledBack = record.items.filter((item) => item.status === 'rolled-back');
  const skipped = record.items.filter((item) => item.status === 'skipped');
  if (record.status === 'running') return null;
  return (
    <section aria-label="Result" className="space-y-1 rounded-lg border border-neutral-200 bg-white p-3 text-[13px]">
      {record.message?.startsWith('Nothing to do') ? (
        <p data-testid="migration-result">{record.message}</p>
      ) : (
        <p data-testid="migration-result">
          {migrated.length > 0 &&
            `${migrated.length} service account(s) migrated and verified: every new pod carries the Pod Identity env (AWS_CONTAINER_CREDENTIALS_FULL_URI) and not the IRSA env. `}
          {rolledBack.length > 0 &&
            `${rolledBack.length} service account(s) rolled back and verified: their new pods carry the IRSA env (AWS_ROLE_ARN) again. `}
          {migrated.length === 0 && rolledBack.length === 0 && `Nothing was migrated: ${record.progress.message}`}
        </p>
      )}
      {skipped.length > 0 && (
        <p className="text-neutral-600">
          Left untouched: {skipped.map((item) => `${keyOf(item)} (${item.skip ?? item.state})`).join(', ')}.
        </p>
      )}
    </section>
  );
}

/**
 * A migration batch, live: GET /api/v1/migrations/{id} every second while it runs, the status and step of each
 * service account, and for an operator pause / cancel / resume and rollback of the batch or of one service account.
 */
export function MigrationProgress({ initial, canAct }: { initial: MigrationRecord; canAct: boolean }) {
  const queryClient = useQueryClient();
  const queryKey = ['migration', initial.id];
  const query = useQuery({
    queryKey,
    queryFn: async () => {
      const result = await fetchMigration(initial.id);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    initialData: initial,
    refetchInterval: (current) => (current.state.data?.status === 'running' ? 1000 : false),
  });
  const record = query.data;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionApiError | null>(null);

  const control = async (verb: MigrationVerb, items?: MigrationItem[]) => {
    setBusy(true);
    setError(null);
    const result = await controlMigration(
      record.id,
      verb,
      items?.map(({ namespace, name }) => ({ namespace, name })),
    );
    if (!result.ok) setError(result.error);
    await queryClient.invalidateQueries({ queryKey });
    setBusy(false);
  };

  const running = record.status === 'running';
  const runnable = record.items.filter((item) => item.status !== 'skipped');
  const percent = runnable.length ? Math.round((record.progress.done / runnable.length) * 100) : 100;
  const canUndo = record.items.some((item) => item.applied.length > 0);
  const canResume = ['paused', 'cancelled', 'failed', 'unknown outcome'].includes(record.status);

  return (
    <div className="space-y-4">
      <section aria-label="Progress" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2 text-[13px]">
          <span
            data-testid="migration-status"
            className={`font-medium ${record.status === 'succeeded' || record.status === 'rolled-back' ? 'text-emerald-700' : running || record.status === 'paused' ? 'text-neutral-800' : 'text-red-700'}`}
          >
            {STATUS_TEXT[record.status]}
          </span>
          <span className="font-mono text-[11px] text-neutral-500">migration {record.id}</span>
        </div>
        <div
          role="progressbar"
          aria-label="Service accounts done"
          aria-valuemin={0}
          aria-valuemax={runnable.length}
          aria-valuenow={record.progress.done}
          className="h-2 overflow-hidden rounded-full bg-neutral-200"
        >
          <div className="h-full bg-emerald-600 transition-all" style={{ width: `${percent}%` }} />
        </div>
        <p className="text-[13px] text-neutral-700" aria-live="polite">
          {record.progress.message}
        </p>
        {query.error && <p className="text-[12px] text-red-700">Could not refresh: {query.error.message}</p>}
      </section>

      {canAct && (
        <div role="group" aria-label="Batch controls" className="flex flex-wrap gap-2">
          {running && (
            <>
              <button type="button" className={BUTTON} disabled={busy} onClick={() => void control('pause')}>
                Pause
              </button>
              <button type="button" className={BUTTON} disabled={busy} onClick={() => void control('cancel')}>
                Cancel
              </button>
            </>
          )}
          {canResume && (
            <button type="button" className={BUTTON} disabled={busy} onClick={() => void control('resume')}>
              Resume
            </button>
          )}
          {!running && canUndo && (
            <button type="button" className={BUTTON} disabled={busy} onClick={() => void control('rollback')}>
              Roll back the batch
            </button>
          )}
        </div>
      )}
      {error && <ActionErrorView error={error} />}

      <table className="w-full text-left text-[13px]" aria-label="Service accounts of the migration">
        <thead className="text-[11px] text-neutral-500 uppercase">
          <tr>
            <th className="px-2 py-1">Service account</th>
            <th className="px-2 py-1">Status</th>
            <th className="px-2 py-1">Step</th>
            <th className="px-2 py-1">Applied</th>
            <th className="px-2 py-1">Verified</th>
            {canAct && (
              <th className="px-2 py-1">
                <span className="sr-only">Roll back</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {record.items.map((item) => (
            <tr key={keyOf(item)} data-testid="migration-item" data-sa={keyOf(item)} data-status={item.status} className="align-top">
              <td className="px-2 py-1 font-medium">
                <Link href={serviceAccountPath(record.cluster, item.namespace, item.name)} className="hover:underline">
                  {keyOf(item)}
                </Link>
              </td>
              <td className={`px-2 py-1 ${ITEM_STYLE[item.status] ?? 'text-neutral-800'}`}>
                {item.status}
                {item.skip && <div className="text-[12px] text-neutral-500">{item.skip}</div>}
                {item.error && <div className="text-[12px] text-red-700">{item.error}</div>}
              </td>
              <td className="px-2 py-1 text-neutral-700">{item.step ?? ''}</td>
              <td className="px-2 py-1 text-[12px] text-neutral-700">{item.applied.map((applied) => applied.step).join(', ')}</td>
              <td className="px-2 py-1 text-[12px] text-neutral-700">{item.verifiedAt ? formatTimestamp(item.verifiedAt) : ''}</td>
              {canAct && (
                <td className="px-2 py-1">
                  {!running && item.applied.length > 0 && (
                    <button
                      type="button"
                      className={BUTTON}
                      disabled={busy}
                      aria-label={`Roll back ${keyOf(item)}`}
                      onClick={() => void control('rollback', [item])}
                    >
                      Roll back
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      <Result record={record} />
    </div>
  );
}
