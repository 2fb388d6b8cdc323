const STYLE = {
  allowed: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20',
  denied: 'bg-red-50 text-red-800 ring-red-600/20',
  unknown: 'bg-amber-50 text-amber-900 ring-amber-600/25',
} as const;

/** allowed / denied / unknown, in words (colour is never the only signal). */
export function DecisionBadge({ decision, label }: { decision: keyof typeof STYLE; label?: string }) {
  return (
    <span
      data-decision={decision}
      className={`inline-flex items-center rounded px-1.5 py-px text-[11px] font-semibold whitespace-nowrap ring-1 ring-inset ${STYLE[decision]}`}
    >
      {label ?? decision}
    </span>
  );
}
