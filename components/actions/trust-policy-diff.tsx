'use client';

import { CopyButton } from '@/components/shell/copy-button';

/** A trust policy's JSON diff, added lines green and removed ones red, with copy: in the plan and on Activity. */
export function TrustPolicyDiff({ diff }: { diff: string }) {
  const lines = diff.split('\n').filter((line) => !line.startsWith('Index:') && !line.startsWith('====='));
  return (
    <div className="overflow-hidden rounded-md border border-neutral-200">
      <div className="flex items-center justify-between bg-neutral-50 px-3 py-1 text-[11px] text-neutral-500">
        <span>Trust policy diff</span>
        <CopyButton text={diff} label="Copy trust policy diff" />
      </div>
      <pre className="max-h-80 overflow-auto py-1 font-mono text-[12px]" aria-label="Trust policy diff">
        {lines.map((line, index) => (
          <div
            key={index}
            className={`px-3 ${line.startsWith('+') && !line.startsWith('+++') ? 'bg-emerald-50 text-emerald-900' : line.startsWith('-') && !line.startsWith('---') ? 'bg-red-50 text-red-900' : 'text-neutral-700'}`}
          >
            {line || ' '}
          </div>
        ))}
      </pre>
    </div>
  );
}
