import type { ChainStatus } from '@/lib/model/identity-row';

export const CHAIN_STATUS_LABEL: Record<ChainStatus, string> = { pass: 'Pass', fail: 'Fail', warn: 'Warning', unknown: 'Unknown' };

const STYLE: Record<ChainStatus, string> = {
  pass: 'bg-emerald-500 text-white',
  fail: 'bg-red-500 text-white',
  warn: 'bg-amber-400 text-amber-950',
  unknown: 'bg-neutral-300 text-neutral-700',
};

const GLYPH: Record<ChainStatus, string> = { pass: '✓', fail: '✕', warn: '!', unknown: '?' };

export function ChainStatusIcon({ status }: { status: ChainStatus }) {
  return (
    <span
      role="img"
      aria-label={CHAIN_STATUS_LABEL[status]}
      className={`flex size-6 shrink-0 items-center justify-center rounded-full text-[12px] font-bold ring-4 ring-white ${STYLE[status]}`}
    >
      {GLYPH[status]}
    </span>
  );
}
