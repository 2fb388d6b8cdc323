import Link from 'next/link';
import type { SuggestedAction } from '@/lib/model/finding';
import { suggestionCommands, suggestionTitle } from '@/lib/actions/commands';
import type { CommandFacts } from '@/lib/actions/command-kit';
import { serviceAccountPath } from '@/lib/console/format';
import { evidenceLabel } from '@/lib/console/evidence-format';
import { CommandBlock } from '@/components/chain/command-block';

/** The suggested action by name with its params, and the commands that do the same by hand. */
export function HowToFix({ action, context }: { action: SuggestedAction; context?: CommandFacts }) {
  const params = Object.entries(action.params).filter(([, value]) => value !== undefined);
  const commands = suggestionCommands(action, context);
  const p = action.params;
  return (
    <div className="rounded-md border border-neutral-200 bg-white">
      <div className="flex flex-wrap items-baseline gap-x-2 border-b border-neutral-100 px-3 py-2">
        <span className="text-[11px] font-semibold tracking-wide text-neutral-600 uppercase">How to fix</span>
        <span className="text-[13px] font-medium text-neutral-900">{suggestionTitle(action.type)}</span>
      </div>
      <div className="space-y-2 px-3 py-2">
        {params.length > 0 && (
          <dl className="flex flex-wrap gap-x-4 gap-y-1 text-[12px]">
            {params.map(([key, value]) => (
              <div key={key} className="flex gap-1">
                <dt className="text-neutral-600">{evidenceLabel(key)}</dt>
                <dd className="font-mono text-neutral-800">{value === null ? 'none' : String(value)}</dd>
              </div>
            ))}
          </dl>
        )}
        {action.type === 'open-serviceaccount' &&
        typeof p.cluster === 'string' &&
        typeof p.namespace === 'string' &&
        typeof p.serviceAccount === 'string' ? (
          <Link
            href={serviceAccountPath(p.cluster, p.namespace, p.serviceAccount)}
            className="text-[13px] font-medium text-sky-700 hover:underline"
          >
            Open {p.namespace}/{p.serviceAccount} →
          </Link>
        ) : (
          <CommandBlock commands={commands} />
        )}
      </div>
    </div>
  );
}
