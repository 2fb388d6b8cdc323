import { evidenceFields, type EvidenceDisplay } from '@/lib/console/evidence-format';
import { CopyableCode } from '@/components/shell/copy-button';

// Evidence in plain words: each field through its one formatter (lib/console/evidence-format.ts). Exact data
// (a policy document, a list of partitions) stays one click away behind a "raw" toggle, never shown as JSON first.

function Raw({ label, value }: { label: string; value: unknown }) {
  return (
    <details className="group mt-0.5">
      <summary className="inline cursor-pointer text-[11px] text-neutral-600 select-none hover:text-neutral-900">
        <span className="sr-only">{label}: </span>raw
      </summary>
      <pre className="mt-1 max-h-72 overflow-auto rounded border border-neutral-200 bg-neutral-50 px-2 py-1.5 font-mono text-[11.5px] leading-relaxed text-neutral-800">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}

function FieldValue({ label, display }: { label: string; display: EvidenceDisplay }) {
  switch (display.kind) {
    case 'none':
      return <span className="text-neutral-600">{display.text}</span>;
    case 'time':
      return <time dateTime={display.iso}>{display.text}</time>;
    case 'arn':
      return <CopyableCode value={display.arn} wrap />;
    case 'link':
      return (
        <a href={display.href} target="_blank" rel="noreferrer" className="break-all text-sky-700 hover:underline">
          {display.href}
        </a>
      );
    case 'code':
      return <code className="font-mono text-[12px] break-all">{display.text}</code>;
    case 'findings':
      return (
        <ul className="space-y-0.5">
          {display.codes.map((finding) => (
            <li key={finding.code}>
              <span className="font-mono text-[12px]">{finding.code}</span> {finding.title}
            </li>
          ))}
        </ul>
      );
    case 'list':
      return (
        <>
          <ul className="list-inside list-disc space-y-0.5 marker:text-neutral-400">
            {display.items.map((item, index) => (
              <li key={index} className="break-words">
                {item}
              </li>
            ))}
          </ul>
          {display.raw !== undefined && <Raw label={label} value={display.raw} />}
        </>
      );
    case 'raw':
      return (
        <>
          <span className="text-neutral-600">{display.summary}</span>
          <Raw label={label} value={display.raw} />
        </>
      );
    case 'text':
      return (
        <>
          <span className="break-words">{display.text}</span>
          {display.raw !== undefined && <Raw label={label} value={display.raw} />}
        </>
      );
  }
}

export function EvidenceView({ evidence, omit = [] }: { evidence: Record<string, unknown>; omit?: string[] }) {
  const fields = evidenceFields(evidence, omit);
  if (!fields.length) return null;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-[13px]" data-testid="evidence">
      {fields.map((field) => (
        <div key={field.key} className="contents">
          <dt className="text-neutral-600">{field.label}</dt>
          <dd className="min-w-0 text-neutral-800">
            <FieldValue label={field.label} display={field.display} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
