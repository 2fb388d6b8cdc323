import { formatTimestamp } from '@/lib/console/format';
import type { EtcdTimelineEntry } from '@/lib/snapshots/types';

// Successes and failures of one storage location over the window the records cover, as ticks on a time axis.

export function EtcdTimeline({ entries, now }: { entries: EtcdTimelineEntry[]; now: string }) {
  if (entries.length === 0) return <p className="text-[12px] text-neutral-500">No snapshot records.</p>;
  const end = Date.parse(now);
  const start = Math.min(...entries.map((entry) => Date.parse(entry.time)), end - 86_400_000);
  const span = Math.max(end - start, 1);
  const days = Math.max(1, Math.round(span / 86_400_000));
  return (
    <div className="space-y-1">
      <ol aria-label="Snapshot timeline" className="relative h-6 rounded bg-neutral-100">
        {entries.map((entry) => (
          <li
            key={`${entry.name}-${entry.time}`}
            data-ok={entry.ok}
            title={`${entry.ok ? 'succeeded' : 'failed'} ${formatTimestamp(entry.time)}\n${entry.name}${entry.message ? `\n${entry.message}` : ''}`}
            style={{ left: `${((Date.parse(entry.time) - start) / span) * 100}%` }}
            className={`absolute top-1 h-4 w-1.5 -translate-x-1/2 rounded-sm ${entry.ok ? 'bg-emerald-500' : 'bg-red-600'}`}
          >
            <span className="sr-only">{`${entry.ok ? 'succeeded' : 'failed'} at ${formatTimestamp(entry.time)}: ${entry.name}${entry.message ? `: ${entry.message}` : ''}`}</span>
          </li>
        ))}
      </ol>
      <p className="flex justify-between text-[11px] text-neutral-500" aria-hidden="true">
        <span>{days === 1 ? '24 h ago' : `${days} days ago`}</span>
        <span>now</span>
      </p>
    </div>
  );
}
