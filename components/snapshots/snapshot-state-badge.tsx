import type { SnapshotState } from '@/lib/model/identity-row';

export const SNAPSHOT_STATE_STYLE: Record<SnapshotState, string> = {
  fresh: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  stale: 'bg-amber-50 text-amber-900 ring-amber-300',
  failing: 'bg-red-50 text-red-800 ring-red-200',
  unreadable: 'bg-violet-50 text-violet-800 ring-violet-200',
};

export function SnapshotStateBadge({ state }: { state: SnapshotState }) {
  return <span className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${SNAPSHOT_STATE_STYLE[state]}`}>{state}</span>;
}
