import type { PodDetail } from '@/lib/model/identity-row';
import type { StaleReference } from '@/lib/console/detail-view';
import { formatTimestamp } from '@/lib/console/format';
import { MechanismBadge } from '@/components/matrix/mechanism-badge';
import { PodEnvList } from './pod-env-list';
import { ImageVerdicts } from './image-verdicts';

function staleText(reference: StaleReference | null): string {
  if (!reference) return 'admitted before the change it should carry';
  const what = reference.change === 'association' ? 'the association' : 'the annotation';
  const verb = reference.change === 'association' ? 'created' : 'changed';
  return reference.at ? `started before ${what} (${verb} ${formatTimestamp(reference.at)})` : `started before ${what}`;
}

/** Each pod of the service account: where it runs, when it started, and what credentials it was given. */
export function PodsTable({ pods, staleReference }: { pods: PodDetail[]; staleReference: StaleReference | null }) {
  if (!pods.length)
    return (
      <p className="rounded-lg border border-neutral-200 bg-white px-4 py-3 text-[13px] text-neutral-500">
        No running or pending pods use this service account.
      </p>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table className="w-full text-left text-[13px]" aria-label="Pods">
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] font-medium tracking-wide text-neutral-500 uppercase">
          <tr>
            <th className="px-3 py-2">Pod</th>
            <th className="px-3 py-2">Node</th>
            <th className="px-3 py-2">Phase</th>
            <th className="px-3 py-2">Started</th>
            <th className="px-3 py-2">Gets</th>
            <th className="px-3 py-2">Injected env</th>
            <th className="px-3 py-2">Images · SDK</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100 align-top">
          {pods.map((pod) => (
            <tr key={`${pod.namespace}/${pod.name}`} className={pod.stale ? 'bg-amber-50/50' : undefined}>
              <td className="px-3 py-2">
                <div className="font-mono text-[12px] text-neutral-900">{pod.name}</div>
                {pod.owner && (
                  <div className="text-[11px] text-neutral-500">
                    {pod.owner.kind}/{pod.owner.name}
                  </div>
                )}
                {pod.stale && (
                  <div
                    className="mt-1 inline-flex rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900"
                    data-testid="stale-pod"
                  >
                    stale: {staleText(staleReference)}
                  </div>
                )}
              </td>
              <td className="px-3 py-2 font-mono text-[12px] text-neutral-600">
                {pod.node ?? <span className="text-neutral-500">unscheduled</span>}
              </td>
              <td className="px-3 py-2">{pod.phase ?? <span className="text-neutral-500">unknown</span>}</td>
              <td className="px-3 py-2 font-mono text-[12px] whitespace-nowrap text-neutral-600">{formatTimestamp(pod.startTime)}</td>
              <td className="px-3 py-2">
                <MechanismBadge mechanism={pod.mechanism} />
              </td>
              <td className="px-3 py-2">
                <PodEnvList env={pod.env} />
              </td>
              <td className="px-3 py-2">
                <ImageVerdicts images={pod.images} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
