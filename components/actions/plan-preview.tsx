'use client';

import type { ActionPlan, PreflightCheck } from '@/lib/actions/types';
import { CopyButton } from '@/components/shell/copy-button';
import { TrustPolicyDiff } from './trust-policy-diff';

const STATUS_STYLE: Record<PreflightCheck['status'], { dot: string; text: string; label: string }> = {
  pass: { dot: 'bg-emerald-500', text: 'text-emerald-800', label: 'pass' },
  warn: { dot: 'bg-amber-500', text: 'text-amber-800', label: 'warn' },
  fail: { dot: 'bg-red-600', text: 'text-red-800', label: 'fail' },
};

function CopyableBlock({ title, text, tone = 'dark' }: { title: string; text: string; tone?: 'dark' | 'light' }) {
  return (
    <div
      className={`overflow-hidden rounded-md ${tone === 'dark' ? 'bg-neutral-950 text-neutral-100' : 'border border-neutral-200 bg-neutral-50 text-neutral-800'}`}
    >
      <div
        className={`flex items-center justify-between px-3 py-1 text-[11px] ${tone === 'dark' ? 'text-neutral-400' : 'text-neutral-500'}`}
      >
        <span>{title}</span>
        <CopyButton
          text={text}
          label={`Copy ${title}`}
          className={tone === 'dark' ? 'text-neutral-500 hover:bg-white/10 hover:text-white' : ''}
        />
      </div>
      <pre className="max-h-72 overflow-auto px-3 pb-2 font-mono text-[12px] whitespace-pre-wrap">{text}</pre>
    </div>
  );
}

/** The plan before confirming: preflight checks, what will be sent, and how to do the same by hand. */
export function PlanPreview({ plan, onOffer }: { plan: ActionPlan; onOffer: (offer: NonNullable<PreflightCheck['offer']>) => void }) {
  return (
    <div className="space-y-4">
      <p className="text-[13px] font-medium text-neutral-900">{plan.summary}</p>
      <section aria-label="Preflight checks" className="space-y-1.5">
        <h3 className="text-[11px] font-semibold tracking-wide text-neutral-500 uppercase">Preflight</h3>
        <ul className="divide-y divide-neutral-100 rounded-md border border-neutral-200">
          {plan.preflight.map((check, index) => (
            <li
              key={`${check.check}-${index}`}
              data-check={check.check}
              data-status={check.status}
              className="flex items-start gap-2 px-3 py-2"
            >
              <span className={`mt-1.5 size-2 shrink-0 rounded-full ${STATUS_STYLE[check.status].dot}`} aria-hidden="true" />
              <div className="min-w-0 flex-1">
                <p className={`text-[13px] ${STATUS_STYLE[check.status].text}`}>
                  <span className="sr-only">{STATUS_STYLE[check.status].label}: </span>
                  {check.message}
                </p>
                {check.offer && (
                  <button
                    type="button"
                    onClick={() => onOffer(check.offer!)}
                    className="mt-1 text-[12px] font-medium text-sky-700 hover:underline"
                  >
                    {check.offer.label} →
                  </button>
                )}
              </div>
              <code className="shrink-0 font-mono text-[11px] text-neutral-500">{check.check}</code>
            </li>
          ))}
        </ul>
      </section>

      {plan.preview?.notes?.length ? (
        <ul className="list-disc space-y-0.5 pl-5 text-[13px] text-neutral-700">
          {plan.preview.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}

      {plan.preview?.workloads && (
        <section aria-label="Pods to replace" className="space-y-1">
          <h3 className="text-[11px] font-semibold tracking-wide text-neutral-500 uppercase">Workloads to restart</h3>
          {plan.preview.workloads.length === 0 ? <p className="text-[13px] text-neutral-500">None.</p> : null}
          <ul className="text-[13px] text-neutral-800">
            {plan.preview.workloads.map((workload) => (
              <li key={`${workload.kind}/${workload.name}`}>
                <span className="font-medium">
                  {workload.kind}/{workload.name}
                </span>
                : {workload.pods.join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}

      {plan.preview?.trustPolicyDiff && <TrustPolicyDiff diff={plan.preview.trustPolicyDiff} />}

      <section aria-label="Requests" className="space-y-2">
        <h3 className="text-[11px] font-semibold tracking-wide text-neutral-500 uppercase">What the console will send</h3>
        {plan.steps.map((step, index) => (
          <div key={index} className="space-y-1.5">
            <p className="text-[13px] text-neutral-800">
              {index + 1}. {step.description}
            </p>
            <CopyableBlock
              tone="light"
              title={`${step.request.service.toUpperCase()} ${step.request.operation}${step.request.path ? ` ${step.request.path}` : ''}`}
              text={JSON.stringify(step.request.body ?? {}, null, 2)}
            />
            <CopyableBlock title="Equivalent command" text={step.cli} />
          </div>
        ))}
      </section>

      {plan.terraform && <CopyableBlock title="Terraform" text={plan.terraform} />}
    </div>
  );
}
