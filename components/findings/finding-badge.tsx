import type { Finding } from '@/lib/model/finding';
import { SEVERITY_BADGE, SEVERITY_LABEL } from './severity-style';

/**
 * A finding's code, coloured by severity. Its title is part of the button's name for screen readers and shows
 * as a tooltip on hover, on keyboard focus and on a tap (a tap focuses the button), not on mouse hover alone.
 */
export function FindingBadge({ finding }: { finding: Pick<Finding, 'code' | 'severity' | 'title'> }) {
  return (
    <button
      type="button"
      data-code={finding.code}
      className={`group relative inline-flex rounded px-1 py-px font-mono text-[11px] font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-sky-600 ${SEVERITY_BADGE[finding.severity]}`}
    >
      {finding.code}
      <span className="sr-only">
        {' '}
        ({SEVERITY_LABEL[finding.severity].toLowerCase()}): {finding.title}
      </span>
      <span
        aria-hidden="true"
        className="pointer-events-none absolute top-full left-0 z-20 mt-1 hidden w-64 rounded-md bg-neutral-900 px-2 py-1.5 text-left font-sans text-[12px] font-normal whitespace-normal text-white shadow-lg group-hover:block group-focus:block"
      >
        <span className="font-mono font-semibold">{finding.code}</span> · {SEVERITY_LABEL[finding.severity]}
        <br />
        {finding.title}
      </span>
    </button>
  );
}
