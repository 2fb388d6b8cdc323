import type { SourceErrorSummary } from '@/lib/console/queries';

/** Which sources could not be read, per cluster: the rest of the page is real, these parts are unknown. */
export function PartialDataBanner({ errors }: { errors: SourceErrorSummary[] }) {
  if (!errors.length) return null;
  const byCluster = new Map<string, SourceErrorSummary[]>();
  for (const error of errors) {
    const key = error.cluster ?? 'all clusters';
    byCluster.set(key, [...(byCluster.get(key) ?? []), error]);
  }
  return (
    <section
      role="status"
      aria-label="Partial data"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p className="font-medium">
        Partial data: {errors.length} source{errors.length === 1 ? '' : 's'} could not be read. Cells that depend on them show “unknown”.
      </p>
      <ul className="mt-2 space-y-1.5">
        {[...byCluster].map(([cluster, clusterErrors]) => (
          <li key={cluster} className="flex flex-wrap gap-x-2">
            <span className="font-semibold">{cluster}</span>
            <ul className="min-w-0 flex-1 space-y-0.5">
              {clusterErrors.map((error, index) => (
                <li key={index} className="text-[13px]">
                  <span className="rounded bg-amber-200/70 px-1 font-mono text-[11px]">{error.source}</span>{' '}
                  <span className="font-mono text-[12px]">{error.operation}</span>: <span className="font-medium">{error.code}</span>
                  {error.missingPermission && (
                    <>
                      {' '}
                      (needs <code className="font-mono text-[12px]">{error.missingPermission}</code>)
                    </>
                  )}{' '}
                  <span className="text-amber-900/80">— {error.message}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
