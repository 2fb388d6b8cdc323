import type { Finding } from '@/lib/model/finding';
import { SEVERITY_BADGE } from './severity-style';

/** A finding's code, coloured by severity, with its title on hover. */
export function FindingBadge({ finding }: { finding: Pick<Finding, 'code' | 'severity' | 'title'> }) {
  return (
    <span
      title={`${finding.code} (${finding.severity}): ${finding.title}`}
      className={`inline-flex rounded px-1 py-px font-mono text-[11px] font-medium ring-1 ring-inset ${SEVERITY_BADGE[finding.severity]}`}
    >
      {finding.code}
    </span>
  );
}
