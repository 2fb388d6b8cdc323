import { formatTimestamp } from '@/lib/console/format';

// Evidence is free-form data from the rules. Scalars read as key: value; objects and lists fold into JSON,
// so the page stays scannable while the exact data stays one click away.

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function humanKey(key: string): string {
  // Keep literal annotation and condition keys as they are: they are what a user greps for.
  if (/[./:]/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function ScalarValue({ value }: { value: string | number | boolean | null }) {
  if (value === null) return <span className="text-neutral-500">none</span>;
  if (typeof value === 'string' && RFC3339.test(value))
    return (
      <time dateTime={value} title={value} className="font-mono text-[12px]">
        {formatTimestamp(value)}
      </time>
    );
  // Source links in evidence (AWS docs, upstream issues) open as links; other identifiers stay code.
  if (typeof value === 'string' && /^https:\/\/(docs\.aws\.amazon\.com|github\.com)\//.test(value)) {
    return (
      <a href={value} target="_blank" rel="noreferrer" className="font-mono text-[12px] break-all text-sky-700 hover:underline">
        {value}
      </a>
    );
  }
  if (typeof value === 'string' && /^(arn:|https?:\/\/|s3:\/\/)/.test(value))
    return <code className="font-mono text-[12px] break-all">{value}</code>;
  return <span className="break-words">{String(value)}</span>;
}

export function EvidenceView({ evidence, omit = [] }: { evidence: Record<string, unknown>; omit?: string[] }) {
  const entries = Object.entries(evidence).filter(([key, value]) => !omit.includes(key) && value !== undefined);
  if (!entries.length) return null;
  const scalars = entries.filter(([, value]) => isScalar(value));
  const nested = entries.filter(([, value]) => !isScalar(value));
  return (
    <div className="space-y-1.5 text-[13px]">
      {scalars.length > 0 && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5">
          {scalars.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-neutral-500">{humanKey(key)}</dt>
              <dd className="min-w-0 text-neutral-800">
                <ScalarValue value={value as string | number | boolean | null} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {nested.map(([key, value]) => (
        <details key={key} className="group rounded-md border border-neutral-200 bg-neutral-50/60">
          <summary className="cursor-pointer list-none px-2 py-1 text-neutral-600 select-none marker:hidden hover:text-neutral-900">
            <span className="mr-1 inline-block transition-transform group-open:rotate-90" aria-hidden="true">
              ›
            </span>
            {humanKey(key)} <span className="text-neutral-500">{Array.isArray(value) ? `(${value.length})` : ''}</span>
          </summary>
          <pre className="overflow-x-auto border-t border-neutral-200 px-3 py-2 font-mono text-[12px] leading-relaxed text-neutral-800">
            {JSON.stringify(value, null, 2)}
          </pre>
        </details>
      ))}
    </div>
  );
}
