import Link from 'next/link';
import { snapshotAnchor } from '@/lib/console/snapshot-url';
import type { PodMechanism, ServiceAccountRow } from '@/lib/model/identity-row';
import { formatAge } from '@/lib/console/format';
import { MechanismBadge } from './mechanism-badge';
import { Absent, Unknown } from './identity-cells';

const POD_MECHANISM_ORDER: PodMechanism[] = ['pod-identity', 'irsa', 'both', 'static-keys', 'none'];

/** What the running pods actually received, counted per pod; a mix is highlighted. */
export function PodMechanismsCell({ row }: { row: ServiceAccountRow }) {
  if (row.pods.total === null || row.mechanism === 'unknown') return <Unknown why="pods could not be read" />;
  const counts = row.podMechanisms ?? {};
  const present = POD_MECHANISM_ORDER.filter((mechanism) => (counts[mechanism] ?? 0) > 0);
  if (!present.length) return <span className="text-[12px] text-neutral-500">no pods</span>;
  const mixed = row.mechanism === 'mixed';
  return (
    <div className={`flex flex-wrap items-center gap-1 ${mixed ? 'rounded-md bg-amber-50 p-0.5 ring-1 ring-amber-400' : ''}`}>
      {mixed && <span className="px-0.5 text-[10.5px] font-semibold tracking-wide text-amber-800 uppercase">mixed</span>}
      {present.map((mechanism) => (
        <MechanismBadge key={mechanism} mechanism={mechanism} short count={counts[mechanism]} />
      ))}
    </div>
  );
}

/** STS endpoint mode: desired against what the IRSA pods run with (findings.md, STS section). */
export function StsCell({ row }: { row: ServiceAccountRow }) {
  const { desired, running } = row.sts;
  const irsaPods = running.regional + running.legacy + running.unset;
  if (!row.irsa && irsaPods === 0) return <Absent />;
  if (desired === 'unknown') return <Unknown why="the cluster's STS default is not known" />;
  if (row.pods.total === null)
    return (
      <span className="text-[12px] text-neutral-600">
        desired {desired} · running <Unknown why="pods could not be read" />
      </span>
    );
  const runningDesired = desired === 'regional' ? running.regional : running.unset;
  const desiredLabel = desired === 'sdk-default' ? 'SDK default' : desired;
  if (irsaPods === 0)
    return (
      <span className="text-[12px] text-neutral-600">
        {desiredLabel} <span className="text-neutral-500">· no IRSA pods</span>
      </span>
    );
  if (runningDesired === irsaPods) {
    return <span className={`text-[12px] ${desired === 'regional' ? 'text-emerald-700' : 'text-neutral-700'}`}>{desiredLabel} ✓</span>;
  }
  const off = [
    running.regional && desired !== 'regional' ? `${running.regional} regional` : '',
    running.legacy ? `${running.legacy} legacy` : '',
    running.unset && desired !== 'sdk-default' ? `${running.unset} unset` : '',
  ].filter(Boolean);
  return (
    <span className="text-[12px] text-amber-800">
      desired {desiredLabel} · running <span className="font-semibold">{off.join(', ')}</span>
    </span>
  );
}

export function PodCountsCell({ pods }: { pods: ServiceAccountRow['pods'] }) {
  if (pods.total === null) return <Unknown why="pods could not be read" />;
  return (
    <span className="font-mono text-[12px] whitespace-nowrap tabular-nums">
      {pods.total}
      <span className="text-neutral-500"> / </span>
      {pods.stale === null ? (
        <Unknown />
      ) : (
        <span className={pods.stale > 0 ? 'font-semibold text-amber-700' : 'text-neutral-500'} title={`${pods.stale} stale`}>
          {pods.stale}
        </span>
      )}
    </span>
  );
}

const SNAPSHOT_STYLE = {
  fresh: 'bg-emerald-50 text-emerald-700 ring-emerald-600/25',
  stale: 'bg-amber-50 text-amber-800 ring-amber-600/30',
  failing: 'bg-red-50 text-red-700 ring-red-600/25',
  unreadable: 'bg-neutral-100 text-neutral-600 ring-neutral-500/25',
} as const;

export function SnapshotCell({ snapshots }: { snapshots: ServiceAccountRow['snapshots'] }) {
  if (!snapshots) return <Absent />;
  return (
    <Link
      prefetch={false}
      href={`/snapshots#${snapshotAnchor(snapshots.sources[0] ?? '')}`}
      title={snapshots.sources.join('\n')}
      className="inline-flex items-center gap-1 hover:underline"
    >
      <span className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${SNAPSHOT_STYLE[snapshots.state]}`}>
        {snapshots.state}
      </span>
      <span className="text-[11px] text-neutral-500">{formatAge(snapshots.oldestAgeSeconds)}</span>
    </Link>
  );
}
