/** Placeholders with the shape of what is loading, so the page does not jump when it arrives. */
export function TableSkeleton({ rows = 12, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="overflow-hidden rounded-lg border border-neutral-200 bg-white" aria-busy="true" aria-label={label}>
      <div className="h-9 border-b border-neutral-200 bg-neutral-50" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex gap-6 border-b border-neutral-100 px-3 py-3 last:border-0">
          {[16, 14, 20, 24, 20, 12, 12, 8, 16].map((w, j) => (
            <div
              key={j}
              className="h-3 animate-pulse rounded bg-neutral-100"
              style={{ width: `${w * (0.8 + ((i * 7 + j * 3) % 5) / 10)}%` }}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

export function BlockSkeleton({ lines = 4, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div className="space-y-3 rounded-lg border border-neutral-200 bg-white p-4" aria-busy="true" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <div className="size-6 animate-pulse rounded-full bg-neutral-100" />
          <div className="h-3 animate-pulse rounded bg-neutral-100" style={{ width: `${40 + ((i * 17) % 45)}%` }} />
        </div>
      ))}
    </div>
  );
}
