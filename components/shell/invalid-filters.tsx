import Link from 'next/link';

/** A parameter the page could not use, and why (a ZodError's issues fit). */
export interface FilterIssue {
  path: PropertyKey[];
  message: string;
}

/** A shared link whose filters do not parse or name nothing there is: each bad parameter with its reason, and a way back. */
export function InvalidFilters({
  error,
  resetHref,
  resetLabel,
}: {
  error: { issues: FilterIssue[] };
  resetHref: string;
  resetLabel: string;
}) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-[13px] text-red-800">
      <p className="font-medium">This link&apos;s filters are invalid:</p>
      <ul className="mt-1 list-disc pl-5">
        {error.issues.map((issue, index) => (
          <li key={index}>
            <code className="font-mono">{issue.path.map(String).join('.')}</code>: {issue.message}
          </li>
        ))}
      </ul>
      <Link href={resetHref} className="mt-2 inline-block font-medium underline">
        {resetLabel}
      </Link>
    </div>
  );
}
