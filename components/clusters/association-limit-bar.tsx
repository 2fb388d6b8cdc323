// The cluster's association limit comes with its row (config, else EKS's 5,000); PI010 warns from 90%.
export function AssociationLimitBar({
  count,
  limit,
  compact = false,
}: {
  count: number | undefined;
  limit: number | undefined;
  compact?: boolean;
}) {
  if (count === undefined || limit === undefined) return <span className="text-[12px] text-neutral-500 italic">unknown</span>;
  const ASSOCIATION_LIMIT = limit;
  const WARN_AT = Math.ceil(limit * 0.9);
  const share = Math.min(1, count / ASSOCIATION_LIMIT);
  const colour = count >= WARN_AT ? 'bg-amber-500' : 'bg-sky-500';
  return (
    <div className={compact ? 'w-36' : 'w-full max-w-xs'} title={`${count} of ${ASSOCIATION_LIMIT} associations`}>
      <div className="flex items-baseline justify-between text-[12px]">
        <span className={`tabular-nums ${count >= WARN_AT ? 'font-semibold text-amber-800' : 'text-neutral-800'}`}>{count}</span>
        <span className="text-neutral-500 tabular-nums">/ {ASSOCIATION_LIMIT}</span>
      </div>
      <div
        className="mt-0.5 h-1.5 overflow-hidden rounded-full bg-neutral-100"
        role="meter"
        aria-label="Associations used"
        aria-valuemin={0}
        aria-valuemax={ASSOCIATION_LIMIT}
        aria-valuenow={count}
      >
        <div className={`h-full rounded-full ${colour}`} style={{ width: `${Math.max(share * 100, count > 0 ? 1 : 0)}%` }} />
      </div>
    </div>
  );
}
