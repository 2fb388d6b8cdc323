import { SEVERITY_BADGE, SEVERITY_DOT, SEVERITY_LABEL, type SeverityOrOk } from './severity-style';

export function SeverityBadge({ severity }: { severity: SeverityOrOk }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${SEVERITY_BADGE[severity]}`}
    >
      <span className={`size-1.5 rounded-full ${SEVERITY_DOT[severity]}`} aria-hidden="true" />
      {SEVERITY_LABEL[severity]}
    </span>
  );
}
