import type { PodDetail } from '@/lib/model/identity-row';

/** The credential env of a pod; secret values are never shown, only where they come from. */
export function PodEnvList({ env }: { env: PodDetail['env'] }) {
  if (!env.length) return <span className="text-[12px] text-neutral-500">no AWS env</span>;
  const containers = [...new Set(env.map((entry) => entry.container))];
  return (
    <div className="space-y-1">
      {containers.map((container) => (
        <div key={container}>
          {containers.length > 1 && <div className="text-[11px] font-medium text-neutral-500">{container}</div>}
          <ul className="space-y-px font-mono text-[11.5px] leading-snug">
            {env
              .filter((entry) => entry.container === container)
              .map((entry, index) => (
                <li key={`${entry.name}-${index}`} className="break-all">
                  <span className="text-neutral-900">{entry.name}</span>
                  <span className="text-neutral-500">=</span>
                  {entry.value === null ? (
                    <span className="text-neutral-500 font-sans text-[11px]" title="Credential values are never shown">
                      {entry.source === 'secret' || entry.from ? '•••••• ' : ''}(from {entry.from ?? entry.source})
                    </span>
                  ) : (
                    <span className="text-neutral-600">
                      {entry.value}
                      {entry.from && entry.from !== 'literal env' ? (
                        <span className="text-neutral-500 font-sans text-[11px]"> (from {entry.from})</span>
                      ) : null}
                    </span>
                  )}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
