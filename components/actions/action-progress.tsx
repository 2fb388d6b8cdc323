'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ActionPlan, ActionRecord } from '@/lib/actions/types';
import { cancelRunningAction, fetchAction } from '@/lib/console/action-api';
import { ActionErrorView } from './action-error-view';

const FINAL = new Set<ActionRecord['status']>(['succeeded', 'failed', 'stuck', 'cancelled', 'unknown outcome']);

/** Live progress of an applied action (GET /api/v1/actions/{id} every second) until it is done, stuck or cancelled. */
export function ActionProgressView({
  id,
  plan,
  onFinished,
  onFollowUp,
}: {
  id: string;
  plan: ActionPlan;
  onFinished: () => void;
  onFollowUp: (followUp: NonNullable<ActionPlan['followUp']>) => void;
}) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['action', id],
    queryFn: async () => {
      const result = await fetchAction(id);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    refetchInterval: (current) => (current.state.data && FINAL.has(current.state.data.status) ? false : 1000),
  });
  const record = query.data;
  const finished = record ? FINAL.has(record.status) : false;
  const reported = useRef(false);
  useEffect(() => {
    if (finished && !reported.current) {
      reported.current = true;
      onFinished();
    }
  }, [finished, onFinished]);

  const progress = record?.progress;
  const percent =
    progress && progress.total > 0
      ? Math.round((progress.done / progress.total) * 100)
      : finished && record?.status === 'succeeded'
        ? 100
        : 0;
  const statusText: Record<ActionRecord['status'], string> = {
    running: 'Running',
    succeeded: 'Done',
    failed: 'Failed',
    stuck: 'Stuck',
    cancelled: 'Cancelled',
    'unknown outcome': 'Unknown outcome',
  };
  const followUp = record?.followUp ?? plan.followUp;

  return (
    <section aria-label="Progress" className="space-y-3">
      <div className="flex items-center justify-between text-[13px]">
        <span
          data-testid="action-status"
          className={`font-medium ${record?.status === 'succeeded' ? 'text-emerald-700' : record?.status === 'running' || !record ? 'text-neutral-800' : 'text-red-700'}`}
        >
          {record ? statusText[record.status] : 'Starting'}
        </span>
        <span className="font-mono text-[11px] text-neutral-500">action {id}</span>
      </div>
      {(plan.type === 'roll-pods' || progress) && (
        <div
          role="progressbar"
          aria-label="Pods replaced"
          aria-valuemin={0}
          aria-valuemax={progress?.total ?? 0}
          aria-valuenow={progress?.done ?? 0}
          className="h-2 overflow-hidden rounded-full bg-neutral-200"
        >
          <div
            className={`h-full transition-all ${record?.status === 'stuck' || record?.status === 'failed' ? 'bg-red-500' : 'bg-sky-600'}`}
            style={{ width: `${percent}%` }}
          />
        </div>
      )}
      {progress?.message && <p className="text-[13px] text-neutral-700">{progress.message}</p>}
      {record?.error && <ActionErrorView error={{ ...record.error, code: record.error.code }} />}
      {query.error && <p className="text-[13px] text-red-700">Could not read the progress: {(query.error as Error).message}</p>}
      {cancelError && <p className="text-[13px] text-red-700">{cancelError}</p>}
      <div className="flex flex-wrap justify-end gap-2">
        {plan.type === 'roll-pods' && record?.status === 'running' && (
          <button
            type="button"
            onClick={async () => {
              const result = await cancelRunningAction(id);
              setCancelError(result.ok ? null : result.error.message);
            }}
            className="rounded-md border border-neutral-300 px-3 py-1.5 text-[13px] font-medium text-neutral-700 hover:bg-neutral-50"
          >
            Cancel roll
          </button>
        )}
        {record?.status === 'succeeded' && followUp && (
          <button
            type="button"
            onClick={() => onFollowUp(followUp)}
            className="rounded-md bg-sky-700 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-sky-800"
          >
            Roll the pods of {followUp.params.namespace}/{followUp.params.serviceAccount} now
          </button>
        )}
      </div>
    </section>
  );
}
