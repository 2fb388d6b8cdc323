import type { ClusterRow } from '@/lib/model/identity-row';
import { sourceLines, type SourceTone } from '@/lib/console/source-freshness';
import { Section } from '@/components/shell/page-header';

// How current each of a cluster's sources is (lib/console/source-freshness.ts): a compact list in the clusters
// table, the whole sentences on the cluster page. A source that is down or stale says so in words and in colour.

const TONE_STYLE: Record<SourceTone, string> = {
  ok: 'text-neutral-700',
  starting: 'text-neutral-600 italic',
  stale: 'font-semibold text-amber-800',
  down: 'font-semibold text-red-700',
};

/** The clusters table's lines under the cluster name: "Kubernetes watching", "Associations listed 12 s ago". */
export function SourceFreshnessLines({ cluster }: { cluster: ClusterRow }) {
  const lines = sourceLines(cluster.sources);
  if (!lines.length) return null;
  return (
    <ul data-testid="cluster-sources" aria-label={`How current ${cluster.name}'s sources are`} className="mt-1 space-y-px text-[11px]">
      {lines.map((line) => (
        <li key={line.source} data-source={line.source} data-tone={line.tone} title={`${line.label}: ${line.text}`}>
          <span className="text-neutral-500">{line.shortLabel}</span>{' '}
          <span className={TONE_STYLE[line.tone]}>
            {line.short}
            {line.tone === 'stale' && ' (stale)'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The cluster page's "Sources" section: each source's state and age in a sentence, down or stale ones marked. */
export function ClusterSourceFreshness({ cluster }: { cluster: ClusterRow }) {
  const lines = sourceLines(cluster.sources);
  if (!lines.length) return null;
  return (
    <Section title="Sources" description="How current what this page shows is, per source">
      <dl className="divide-y divide-neutral-100 rounded-lg border border-neutral-200 bg-white text-[13px]">
        {lines.map((line) => (
          <div
            key={line.source}
            data-testid="cluster-source"
            data-source={line.source}
            data-tone={line.tone}
            className="flex flex-col gap-0.5 px-4 py-2.5 sm:flex-row sm:gap-4"
          >
            <dt className="shrink-0 font-medium text-neutral-900 sm:w-52">
              {line.label}
              {(line.tone === 'down' || line.tone === 'stale') && (
                <span
                  className={`ml-2 rounded px-1.5 py-px text-[11px] font-semibold uppercase ring-1 ring-inset ${
                    line.tone === 'down' ? 'bg-red-50 text-red-800 ring-red-600/25' : 'bg-amber-50 text-amber-900 ring-amber-600/25'
                  }`}
                >
                  {line.tone}
                </span>
              )}
            </dt>
            <dd className={`min-w-0 break-words ${TONE_STYLE[line.tone]}`}>{line.text}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}
