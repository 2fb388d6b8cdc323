/** A statement that decided a verdict, as the API returns it (lib/policy DecidingStatement). */
export interface StatementJson {
  policy: { kind: string; name: string; arn?: string };
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  statement?: unknown;
}

/** The statements that decided, each with its policy and, folded, its text. */
export function DecidingStatements({ statements }: { statements: StatementJson[] }) {
  if (statements.length === 0) return <span className="text-neutral-500">no statement applies</span>;
  return (
    <ul className="space-y-1">
      {statements.map((s, i) => (
        <li key={i} className="text-[12px]">
          <span className={`font-semibold ${s.effect === 'Deny' ? 'text-red-700' : 'text-emerald-700'}`}>{s.effect}</span>{' '}
          <span className="font-mono">{s.sid ?? `statement ${s.index + 1}`}</span> in{' '}
          <span className="text-neutral-500">{s.policy.kind}</span> <span className="font-mono">{s.policy.name}</span>
          {s.statement !== undefined && (
            <details className="mt-0.5">
              <summary className="cursor-pointer text-[11px] text-neutral-500 hover:text-neutral-800">statement</summary>
              <pre className="mt-1 max-w-[60ch] overflow-x-auto rounded bg-neutral-50 p-2 font-mono text-[11px] text-neutral-800">
                {JSON.stringify(s.statement, null, 2)}
              </pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
