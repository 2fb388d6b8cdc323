import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { SEVERITY_RANK } from '@/lib/model/finding';
import { FindingBadge } from '@/components/findings/finding-badge';
import { SeverityBadge } from '@/components/findings/severity-badge';

export function FindingsCell({ row }: { row: ServiceAccountRow }) {
  if (!row.findings.length && row.unknown?.length)
    return (
      <span
        title={`Not fully judged: could not read ${row.unknown.join(', ')}`}
        className="rounded bg-neutral-100 px-1.5 py-px text-[11px] font-medium text-neutral-600 ring-1 ring-neutral-300 ring-inset"
      >
        unknown
      </span>
    );
  if (!row.findings.length) return <SeverityBadge severity="ok" />;
  const sorted = [...row.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.code.localeCompare(b.code));
  return (
    <div className="flex flex-wrap items-center gap-1">
      {row.worstSeverity && <SeverityBadge severity={row.worstSeverity} />}
      {sorted.map((finding, index) => (
        <FindingBadge key={`${finding.code}-${index}`} finding={finding} />
      ))}
    </div>
  );
}
