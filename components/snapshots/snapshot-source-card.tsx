import Link from 'next/link';
import type { EtcdSnapshotSource, RestateSnapshotSource, SourceOrigin } from '@/lib/snapshots/types';
import { formatAge, formatTimestamp } from '@/lib/console/format';
import { THRESHOLD_REASON_WORDS } from '@/lib/console/evidence-format';
import { serviceAccountPath } from '@/lib/console/format';
import { snapshotAnchor, type SnapshotItem } from '@/lib/console/snapshot-url';
import { FindingBadge } from '@/components/findings/finding-badge';
import { FindingList } from '@/components/findings/finding-list';
import { SeverityBadge } from '@/components/findings/severity-badge';
import { EtcdTimeline } from './etcd-timeline';
import { PartitionHeatStrip } from './partition-heat-strip';
import { SnapshotStateBadge } from './snapshot-state-badge';

function originText(origin: SourceOrigin): string {
  switch (origin.kind) {
    case 'RestateCluster':
      return `RestateCluster ${origin.name}`;
    case 'StatefulSet':
    case 'Deployment':
      return `${origin.kind} ${origin.namespace}/${origin.name} (container ${origin.container})`;
    case 'console-config':
      return `console config snapshots.restate[${origin.index}]`;
    case 'ETCDSnapshotFile':
      return 'ETCDSnapshotFile records';
    case 'ConfigMap':
      return `ConfigMap ${origin.namespace}/${origin.name} (legacy records)`;
  }
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-1.5">
      <dt className="text-neutral-500">{label}</dt>
      <dd className="text-neutral-800">{children}</dd>
    </div>
  );
}

function Writer({ item }: { item: SnapshotItem }) {
  if (!item.writer) return null;
  const { cluster, namespace, serviceAccount } = item.writer;
  const identity = item.writerIdentity;
  return (
    <div className="rounded-md border border-neutral-200 bg-neutral-50/60 px-3 py-2 text-[13px]" aria-label="Writer">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-neutral-500">Written by</span>
        <Link href={serviceAccountPath(cluster, namespace, serviceAccount)} className="font-medium text-sky-700 hover:underline">
          {cluster}/{namespace}/{serviceAccount}
        </Link>
        {identity &&
          (identity.findings.length ? <SeverityBadge severity={identity.worstSeverity ?? 'info'} /> : <SeverityBadge severity="ok" />)}
        {identity?.findings.map((finding, index) => (
          <FindingBadge key={`${finding.code}-${index}`} finding={finding} />
        ))}
      </div>
      {identity && identity.findings.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-[12px] text-neutral-700">
          {identity.findings.map((finding, index) => (
            <li key={index}>
              <code className="font-mono">{finding.code}</code> {finding.title}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function RestateCard({ item }: { item: SnapshotItem & RestateSnapshotSource }) {
  const notFresh = item.partitions.filter((partition) => partition.state !== 'fresh');
  return (
    <>
      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-[12px]">
        <Fact label="threshold">
          {formatAge(item.threshold.seconds)} ({THRESHOLD_REASON_WORDS[item.threshold.reason]})
        </Fact>
        <Fact label="partitions">{item.partitions.length}</Fact>
        {item.settings?.snapshotInterval && (
          <Fact label="interval">
            {formatAge(item.settings.snapshotInterval.value)} from {item.settings.snapshotInterval.from}
          </Fact>
        )}
        <Fact label="found in">{item.origin.map(originText).join('; ')}</Fact>
      </dl>
      <Writer item={item} />
      {item.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-900">
          {item.error.operation} failed: <span className="font-medium">{item.error.code}</span> — {item.error.message}
        </p>
      )}
      {item.problems.map((problem, index) => (
        <p key={index} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          {problem.reason}
        </p>
      ))}
      <PartitionHeatStrip partitions={item.partitions} thresholdSeconds={item.threshold.seconds} />
      {notFresh.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-[12px]" aria-label="Partitions that are not fresh">
            <thead className="text-neutral-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Partition</th>
                <th className="pr-3 font-medium">State</th>
                <th className="pr-3 font-medium">Age</th>
                <th className="pr-3 font-medium">Snapshot</th>
                <th className="pr-3 font-medium">LSN</th>
                <th className="pr-3 font-medium">Node</th>
                <th className="font-medium">Detail</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {notFresh.map((partition) => (
                <tr key={partition.id} data-partition-row={partition.id}>
                  <td className="py-1 pr-3 font-mono">{partition.id}</td>
                  <td className="pr-3">{partition.state}</td>
                  <td className="pr-3">{partition.ageSeconds === null ? '—' : formatAge(partition.ageSeconds)}</td>
                  <td className="pr-3 font-mono">{partition.snapshotId ?? '—'}</td>
                  <td className="pr-3 font-mono">{partition.minAppliedLsn ?? '—'}</td>
                  <td className="pr-3">{partition.nodeName ?? '—'}</td>
                  <td className="text-neutral-600">
                    {partition.error
                      ? `${partition.error.code}: ${partition.error.message}`
                      : partition.missingReason === 'no-latest-json'
                        ? 'no latest.json'
                        : partition.missingReason
                          ? 'no partition directory'
                          : partition.key}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function EtcdCard({ item, now }: { item: SnapshotItem & EtcdSnapshotSource; now: string }) {
  return (
    <>
      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-[12px]">
        <Fact label="schedule">
          <code className="font-mono">{item.schedule.expression}</code> (every {formatAge(item.schedule.intervalSeconds)})
        </Fact>
        <Fact label="records">{item.records === 'ConfigMap' ? 'legacy ConfigMap' : 'ETCDSnapshotFile'}</Fact>
      </dl>
      {item.problems.map((problem, index) => (
        <p key={index} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          {problem.reason}
        </p>
      ))}
      <ul className="space-y-3" aria-label="Storage locations">
        {item.locations.map((location) => (
          <li key={location.location} data-location={location.location} className="space-y-1.5">
            <div className="flex flex-wrap items-center gap-2 text-[13px]">
              <span className="font-medium text-neutral-900">
                {location.kind === 's3'
                  ? `S3${location.s3?.bucket ? ` ${location.s3.bucket}${location.s3.prefix ? `/${location.s3.prefix}` : ''}` : ''}`
                  : `node ${location.location}`}
              </span>
              <SnapshotStateBadge state={location.state} />
              <span className="text-neutral-600">
                {location.newestSuccess
                  ? `newest success ${formatAge(location.newestSuccess.ageSeconds)} ago (${location.newestSuccess.name})`
                  : 'no successful snapshot'}
              </span>
            </div>
            <EtcdTimeline entries={location.timeline} now={now} />
            {location.recentFailures.length > 0 && (
              <ul className="space-y-0.5 text-[12px] text-red-800" aria-label={`Failures at ${location.location}`}>
                {location.recentFailures.slice(0, 3).map((failure) => (
                  <li key={`${failure.name}-${failure.time}`}>
                    <time dateTime={failure.time} className="font-mono">
                      {formatTimestamp(failure.time)}
                    </time>{' '}
                    {failure.message}
                  </li>
                ))}
                {location.recentFailures.length > 3 && (
                  <li className="text-neutral-500">and {location.recentFailures.length - 3} more in the last 24 h</li>
                )}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** One snapshot source: where it is, its state, its partitions or locations, its findings and its writer's identity. */
export function SnapshotSourceCard({ item, now }: { item: SnapshotItem; now: string }) {
  return (
    <article
      id={snapshotAnchor(item.source)}
      aria-label={`Snapshot source ${item.source}`}
      data-state={item.state}
      className="scroll-mt-20 space-y-3 rounded-lg border border-neutral-200 bg-white px-4 py-3"
    >
      <header className="flex flex-wrap items-center gap-2">
        <span className="rounded bg-neutral-100 px-1.5 py-px text-[11px] font-medium text-neutral-600">
          {item.kind === 'restate' ? 'Restate' : 'K3s/RKE2 etcd'}
        </span>
        <h3 className="font-mono text-[13px] font-semibold text-neutral-900">{item.source}</h3>
        {item.kind === 'restate' && item.name && <span className="text-[12px] text-neutral-500">{item.name}</span>}
        <SnapshotStateBadge state={item.state} />
        {item.cluster && <span className="text-[12px] text-neutral-500">cluster {item.cluster}</span>}
      </header>
      {item.kind === 'restate' ? <RestateCard item={item} /> : <EtcdCard item={item} now={now} />}
      {item.findings.length > 0 && <FindingList findings={item.findings} />}
    </article>
  );
}
