import type { RestatePartition } from '@/lib/snapshots/types';
import { formatAge, formatTimestamp } from '@/lib/console/format';

// One cell per partition, coloured by the age of its newest snapshot against the source's threshold; missing
// and unreadable partitions are set apart. The cell's title carries the details (hover), and the table below
// the strip lists every partition that is not fresh for keyboard and screen-reader users.

function cellStyle(partition: RestatePartition, thresholdSeconds: number): string {
  if (partition.state === 'missing') return 'border border-dashed border-neutral-400 bg-neutral-100';
  if (partition.state === 'unreadable') return 'bg-violet-500';
  const ratio = (partition.ageSeconds ?? 0) / thresholdSeconds;
  if (ratio < 0.5) return 'bg-emerald-500';
  if (ratio < 1) return 'bg-lime-400';
  if (ratio < 2) return 'bg-orange-500';
  return 'bg-red-600';
}

export function partitionDetails(partition: RestatePartition): string {
  const lines = [`partition ${partition.id}: ${partition.state}`];
  if (partition.ageSeconds !== null) lines.push(`age ${formatAge(partition.ageSeconds)} (${formatTimestamp(partition.createdAt)})`);
  if (partition.snapshotId) lines.push(`snapshot ${partition.snapshotId}`);
  if (partition.minAppliedLsn !== null) lines.push(`LSN ${partition.minAppliedLsn}`);
  if (partition.nodeName) lines.push(`node ${partition.nodeName}`);
  if (partition.version) lines.push(`latest.json ${partition.version}`);
  if (partition.missingReason)
    lines.push(partition.missingReason === 'no-latest-json' ? 'no latest.json in its directory' : 'no directory for this partition');
  if (partition.error) lines.push(`${partition.error.code}: ${partition.error.message}`);
  lines.push(partition.key);
  return lines.join('\n');
}

export function PartitionHeatStrip({ partitions, thresholdSeconds }: { partitions: RestatePartition[]; thresholdSeconds: number }) {
  if (partitions.length === 0) return <p className="text-[13px] text-neutral-500">No partition has a snapshot at this destination.</p>;
  return (
    <div className="space-y-1.5">
      <ol aria-label="Partitions" className="flex flex-wrap gap-[3px]">
        {partitions.map((partition) => (
          <li
            key={partition.id}
            data-partition={partition.id}
            data-state={partition.state}
            title={partitionDetails(partition)}
            className={`size-4 rounded-[3px] ${cellStyle(partition, thresholdSeconds)}`}
          >
            <span className="sr-only">{partitionDetails(partition)}</span>
          </li>
        ))}
      </ol>
      <p className="flex flex-wrap gap-x-3 gap-y-1 text-[11px] text-neutral-500" aria-hidden="true">
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-emerald-500" />
          under half the threshold
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-lime-400" />
          aging
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-orange-500" />
          stale
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-red-600" />
          over twice the threshold
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm border border-dashed border-neutral-400 bg-neutral-100" />
          never snapshotted
        </span>
        <span>
          <span className="mr-1 inline-block size-2.5 rounded-sm bg-violet-500" />
          unreadable
        </span>
      </p>
    </div>
  );
}
