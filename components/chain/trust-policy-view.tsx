import type { PolicyDocument } from '@/lib/model/cluster-state';
import { policyStatements } from '@/lib/policy/policy-document';

// A trust policy pretty-printed statement by statement, the statement that matched highlighted, so the
// on-call engineer sees which statement grants access, or that none does.

export function isPolicyDocument(value: unknown): value is PolicyDocument {
  return typeof value === 'object' && value !== null && 'Statement' in value;
}

function indent(json: string): string {
  return json
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export function TrustPolicyView({
  policy,
  matchedStatementIndex,
}: {
  policy: PolicyDocument;
  matchedStatementIndex: number | null | undefined;
}) {
  const statements = policyStatements(policy);
  const head = JSON.stringify(
    { ...(policy.Version ? { Version: policy.Version } : {}), ...(policy.Id ? { Id: policy.Id } : {}) },
    null,
    2,
  ).slice(0, -2);
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2 text-[12px]">
        {matchedStatementIndex === null || matchedStatementIndex === undefined || !statements[matchedStatementIndex] ? (
          <span className="font-medium text-red-700">No statement matched</span>
        ) : (
          <span className="font-medium text-emerald-700">
            Statement {matchedStatementIndex + 1}
            {statements[matchedStatementIndex].Sid ? ` (${statements[matchedStatementIndex].Sid})` : ''} matched
          </span>
        )}
        <span className="text-neutral-500">
          · {statements.length} statement{statements.length === 1 ? '' : 's'}
        </span>
      </div>
      <pre
        className="overflow-x-auto rounded-md border border-neutral-200 bg-neutral-50 py-2 font-mono text-[12px] leading-relaxed text-neutral-800"
        aria-label="Trust policy"
      >
        <span className="block px-3">{`${head}${head.length > 2 ? ',' : ''}\n  "Statement": [`}</span>
        {statements.map((statement, index) => {
          const matched = index === matchedStatementIndex;
          return (
            <span
              key={index}
              data-matched={matched || undefined}
              className={`block border-l-2 px-3 ${matched ? 'border-emerald-500 bg-emerald-50 text-emerald-950' : 'border-transparent'}`}
            >
              {indent(JSON.stringify(statement, null, 2))}
              {index < statements.length - 1 ? ',' : ''}
            </span>
          );
        })}
        <span className="block px-3">{'  ]\n}'}</span>
      </pre>
    </div>
  );
}
