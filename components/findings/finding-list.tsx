import type { Finding } from '@/lib/model/finding';
import type { CommandFacts } from '@/lib/actions/command-kit';
import { EvidenceView } from './evidence-view';
import { HowToFix } from './how-to-fix';
import { SeverityBadge } from './severity-badge';
import { SEVERITY_RANK } from '@/lib/model/finding';

/** Findings worst first: severity, code, title, evidence, and how to fix it by hand. */
export function FindingList({
  findings,
  fixContext,
  emptyText = 'No findings.',
  renderAction,
}: {
  findings: Finding[];
  fixContext?: CommandFacts;
  emptyText?: string;
  /** The guided action's button, where the page offers one. */
  renderAction?: (finding: Finding) => React.ReactNode;
}) {
  if (!findings.length) {
    return (
      <p className="flex items-center gap-2 rounded-lg border border-emerald-200 bg-emerald-50/60 px-4 py-3 text-[13px] text-emerald-800">
        <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden="true" />
        {emptyText}
      </p>
    );
  }
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.code.localeCompare(b.code));
  return (
    <ul className="divide-y divide-neutral-200 overflow-hidden rounded-lg border border-neutral-200 bg-white" aria-label="Findings">
      {sorted.map((finding, index) => (
        <li
          key={`${finding.code}-${index}`}
          data-finding-code={finding.code}
          className="grid gap-3 px-4 py-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]"
        >
          <div className="min-w-0 space-y-2">
            <div className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={finding.severity} />
              <code className="font-mono text-[12px] font-semibold text-neutral-900">{finding.code}</code>
              <span className="text-[13px] font-medium text-neutral-900">{finding.title}</span>
            </div>
            <EvidenceView evidence={finding.evidence} />
          </div>
          <div className="min-w-0 space-y-2">
            {renderAction?.(finding)}
            {finding.action ? (
              <HowToFix action={finding.action} context={fixContext} />
            ) : (
              <p className="text-[12px] text-neutral-500">No guided action: the evidence says what to change.</p>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
