import Link from 'next/link';
import type { ClusterRow } from '@/lib/model/identity-row';
import { FindingList } from '@/components/findings/finding-list';
import { Section } from '@/components/shell/page-header';

const STATE_STYLE: Record<string, string> = {
  fresh: 'text-emerald-700',
  stale: 'font-semibold text-amber-800',
  failing: 'font-semibold text-red-700',
  unreadable: 'font-semibold text-red-700',
};

/** The clusters table's cell: how many snapshot sources, and the states that are not fresh. */
export function SnapshotHealthCell({ cluster }: { cluster: ClusterRow }) {
  const sources = cluster.snapshots?.sources ?? [];
  if (!sources.length) return <span className="text-[12px] text-neutral-600">none found</span>;
  const counts = new Map<string, number>();
  for (const source of sources) counts.set(source.state, (counts.get(source.state) ?? 0) + 1);
  return (
    <Link href={`/snapshots?cluster=${encodeURIComponent(cluster.name)}`} className="text-[12px] hover:underline">
      {[...counts].map(([state, count], index) => (
        <span key={state} className={STATE_STYLE[state] ?? 'text-neutral-700'}>
          {index > 0 && ', '}
          {count} {state}
        </span>
      ))}
    </Link>
  );
}

/**
 * The cluster page's snapshot health: the SN findings of this cluster's etcd and Restate sources, and for etcd
 * uploads to S3, what the cluster says about the credentials they use.
 */
export function ClusterSnapshotHealth({ cluster }: { cluster: ClusterRow }) {
  const health = cluster.snapshots;
  const etcdUploads = (health?.sources ?? []).filter((source) => source.kind === 'etcd' && source.s3Bucket);
  return (
    <Section title="Snapshot health" description="etcd snapshots of this cluster and Restate writers running in it (SN findings)">
      <div className="space-y-3">
        {!health ? (
          <p className="text-[13px] text-neutral-600">No etcd or Restate snapshot source was found in this cluster.</p>
        ) : (
          <>
            <p className="text-[13px] text-neutral-700">
              {health.sources.map((source, index) => (
                <span key={source.source}>
                  {index > 0 && ' · '}
                  <span className="font-mono">{source.writer ?? source.source}</span>:{' '}
                  <span className={STATE_STYLE[source.state] ?? ''}>{source.state}</span>
                </span>
              ))}{' '}
              <Link href={`/snapshots?cluster=${encodeURIComponent(cluster.name)}`} className="font-medium text-sky-700 hover:underline">
                Open on Snapshots →
              </Link>
            </p>
            <FindingList findings={health.findings} emptyText="Every snapshot source of this cluster is fresh." />
          </>
        )}
        {etcdUploads.map((source) => (
          <p
            key={source.source}
            data-testid="etcd-upload-credentials"
            className="rounded-md bg-neutral-50 px-3 py-2 text-[13px] text-neutral-700 ring-1 ring-neutral-200"
          >
            <span className="font-medium text-neutral-900">Which credentials the uploads to s3://{source.s3Bucket} use:</span> this cluster
            does not reveal it to the console. K3s and RKE2 take them from the <code className="font-mono">etcd-s3</code> Secret in
            kube-system, from the <code className="font-mono">etcd-s3-access-key</code> setting in the server&apos;s config file, or else
            from the node&apos;s instance role; the console reads neither Secrets nor node files. Check those on the server nodes.
          </p>
        ))}
      </div>
    </Section>
  );
}
