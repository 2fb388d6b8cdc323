import type { ChainStep } from '@/lib/model/identity-row';
import { EvidenceView } from '@/components/findings/evidence-view';
import { ChainStatusIcon, CHAIN_STATUS_LABEL } from './chain-status-icon';
import { CommandBlock } from './command-block';
import { isPolicyDocument, TrustPolicyView } from './trust-policy-view';

const STATUS_TEXT: Record<ChainStep['status'], string> = {
  pass: 'text-emerald-700',
  fail: 'text-red-700',
  warn: 'text-amber-700',
  unknown: 'text-neutral-500',
};

function policyEntries(evidence: Record<string, unknown>): [string, unknown][] {
  return Object.entries(evidence).filter(([, value]) => isPolicyDocument(value));
}

type MatchedStatement = { index?: unknown } | null | undefined;

/**
 * The statement that let the request through: the identity core names it per evaluation (Pod Identity: one per
 * action, AssumeRole first) or once (IRSA); a statement matched only when every evaluation matched.
 */
function matchedIndex(evidence: Record<string, unknown>): number | null {
  if (typeof evidence.matchedStatementIndex === 'number') return evidence.matchedStatementIndex;
  const single = evidence.matchedStatement as MatchedStatement;
  if (single && typeof single.index === 'number') return single.index;
  const evaluations = evidence.evaluations;
  if (Array.isArray(evaluations) && evaluations.length > 0) {
    const indexes = evaluations.map((evaluation) => (evaluation as { matchedStatement?: MatchedStatement }).matchedStatement?.index);
    if (indexes.every((index) => typeof index === 'number')) return indexes[0] as number;
  }
  return null;
}

/** The credential chain as a checklist, top to bottom: each step's verdict, evidence and how to check it by hand. */
export function CredentialChain({ steps }: { steps: ChainStep[] }) {
  if (!steps.length)
    return <p className="text-[13px] text-neutral-500">No chain: nothing is known about this service account&apos;s credentials.</p>;
  return (
    <ol className="relative" aria-label="Credential chain">
      {steps.map((step, index) => {
        const policies = policyEntries(step.evidence);
        const last = index === steps.length - 1;
        return (
          <li key={`${step.step}-${index}`} data-step={step.step} data-status={step.status} className="relative flex gap-4 pb-5">
            {!last && <span className="absolute top-6 bottom-0 left-3 w-px bg-neutral-200" aria-hidden="true" />}
            <ChainStatusIcon status={step.status} />
            <div className="min-w-0 flex-1 space-y-2">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <h3 className="text-[13px] font-semibold text-neutral-900">{step.title}</h3>
                <span className={`text-[12px] font-medium ${STATUS_TEXT[step.status]}`}>{CHAIN_STATUS_LABEL[step.status]}</span>
                <code className="font-mono text-[11px] text-neutral-500">{step.step}</code>
              </div>
              <EvidenceView evidence={step.evidence} omit={[...policies.map(([key]) => key), 'matchedStatementIndex']} />
              {policies.map(([key, policy]) => (
                <TrustPolicyView
                  key={key}
                  policy={policy as Parameters<typeof TrustPolicyView>[0]['policy']}
                  matchedStatementIndex={matchedIndex(step.evidence)}
                />
              ))}
              {step.commands && step.commands.length > 0 && (
                <details className="group">
                  <summary className="cursor-pointer list-none text-[12px] font-medium text-sky-700 select-none marker:hidden hover:text-sky-900">
                    <span className="mr-1 inline-block transition-transform group-open:rotate-90" aria-hidden="true">
                      ›
                    </span>
                    Verify by hand ({step.commands.length} command{step.commands.length === 1 ? '' : 's'})
                  </summary>
                  <div className="mt-1.5">
                    <CommandBlock commands={step.commands} />
                  </div>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
