import Link from 'next/link';
import type { SeverityFilter } from '@/lib/console/matrix-url';
import type { SeverityCounts } from '@/lib/console/row-match';
import { SEVERITY_DOT, SEVERITY_LABEL } from '@/components/findings/severity-style';

const ORDER: SeverityFilter[] = ['error', 'warning', 'info', 'ok'];

/** Rows per worst severity; each chip toggles that severity in the filter (links, so aria-current, not aria-pressed). */
export function SeverityChips({
  counts,
  selected,
  hrefFor,
}: {
  counts: SeverityCounts;
  selected: string[];
  hrefFor: (severities: string[]) => string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Filter by severity">
      {ORDER.map((severity) => {
        const on = selected.includes(severity);
        const next = on ? selected.filter((s) => s !== severity) : [...selected, severity];
        return (
          <Link
            prefetch={false}
            key={severity}
            href={hrefFor(next)}
            scroll={false}
            aria-current={on ? 'true' : undefined}
            className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-[12px] font-medium transition-colors ${on ? 'border-neutral-900 bg-neutral-900 text-white' : 'border-neutral-300 bg-white text-neutral-700 hover:border-neutral-400'}`}
          >
            <span className={`size-2 rounded-full ${SEVERITY_DOT[severity]}`} aria-hidden="true" />
            {SEVERITY_LABEL[severity]}
            <span className={`tabular-nums ${on ? 'text-neutral-200' : 'text-neutral-600'}`}>{counts[severity]}</span>
          </Link>
        );
      })}
    </div>
  );
}
