import type { Mechanism, PodMechanism } from '@/lib/model/identity-row';

const STYLE: Record<Mechanism | 'unknown', string> = {
  'pod-identity': 'bg-violet-50 text-violet-700 ring-violet-600/20',
  irsa: 'bg-indigo-50 text-indigo-700 ring-indigo-600/20',
  both: 'bg-amber-50 text-amber-800 ring-amber-600/30',
  'static-keys': 'bg-red-50 text-red-700 ring-red-600/25',
  none: 'bg-neutral-100 text-neutral-600 ring-neutral-500/20',
  mixed: 'bg-amber-100 text-amber-900 ring-amber-600/40 font-semibold',
  unknown: 'bg-white text-neutral-500 ring-neutral-300 ring-dashed',
};

export const MECHANISM_LABEL: Record<Mechanism | 'unknown', string> = {
  'pod-identity': 'Pod Identity',
  irsa: 'IRSA',
  both: 'both',
  'static-keys': 'static keys',
  none: 'none',
  mixed: 'mixed',
  unknown: 'unknown',
};

const SHORT: Record<PodMechanism, string> = { 'pod-identity': 'PI', irsa: 'IRSA', both: 'both', 'static-keys': 'static', none: 'none' };

export function MechanismBadge({ mechanism, short = false, count }: { mechanism: Mechanism | 'unknown'; short?: boolean; count?: number }) {
  const label = short && mechanism in SHORT ? SHORT[mechanism as PodMechanism] : MECHANISM_LABEL[mechanism];
  return (
    <span
      title={count === undefined ? MECHANISM_LABEL[mechanism] : `${count} pod${count === 1 ? '' : 's'}: ${MECHANISM_LABEL[mechanism]}`}
      className={`inline-flex items-center gap-1 rounded px-1.5 py-px text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${STYLE[mechanism]}`}
    >
      {label}
      {count !== undefined && <span className="tabular-nums opacity-80">{count}</span>}
    </span>
  );
}
