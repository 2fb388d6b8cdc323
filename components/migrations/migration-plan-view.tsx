'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionApiError } from '@/lib/console/action-api';
import { applyMigration } from '@/lib/console/migration-api';
import { MIGRATION_STATE_LABEL } from '@/lib/migration/states';
import type { MigrationPlan, MigrationPlanItem } from '@/lib/migration/types';
import { ActionErrorView } from '@/components/actions/action-error-view';

const keyOf = (item: { namespace: string; name: string }) => `${item.namespace}/${item.name}`;

function PlanItemRow({
  item,
  selectable,
  selected,
  onToggle,
}: {
  item: MigrationPlanItem;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}) {
  const failing = item.preflight.filter((check) => check.status !== 'pass');
  return (
    <tr data-testid="migration-item" data-sa={keyOf(item)} data-state={item.state} className="align-top">
      {selectable && (
        <td className="px-2 py-1">
          {!item.skip && (
            <input type="checkbox" checked={selected} onChange={onToggle} aria-label={`Migrate ${keyOf(item)}`} className="mt-0.5" />
          )}
        </td>
      )}
      <td className="px-2 py-1 font-medium">{keyOf(item)}</td>
      <td className="px-2 py-1">
        {MIGRATION_STATE_LABEL[item.state]}
        {item.skip && <div className="text-[12px] text-neutral-500">left untouched: {item.skip}</div>}
      </td>
      <td className="px-2 py-1">
        <ul className="space-y-1">
          {item.reasons.map((reason) => (
            <li key={reason.code}>
              <span className="font-mono">{reason.code}</span> {reason.message}
            </li>
          ))}
          {item.steps.map((step) => (
            <li key={step.step}>
              {step.description}
              {step.done && <span className="text-emerald-700"> (already done)</span>}
              <pre className="mt-0.5 overflow-x-auto rounded bg-neutral-50 p-1 text-[11px]">{step.cli}</pre>
            </li>
          ))}
          {item.iacWarnings.map((warning) => (
            <li key={warning} className="text-amber-800">
              {warning}
            </li>
          ))}
          {failing.map((check) => (
            <li key={check.check} className={check.status === 'fail' ? 'text-red-700' : 'text-amber-800'}>
              Preflight {check.check}: {check.message}
            </li>
          ))}
        </ul>
      </td>
      <td className="px-2 py-1 text-[12px] text-neutral-700">
        <ul className="space-y-0.5">
          {item.podsAfterRoll.map((pod) => (
            <li key={pod.pod}>
              <span className="font-mono">{pod.pod}</span>: {pod.gets}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

/**
 * The dry-run plan, and for an operator the apply: choose the service accounts (all runnable ones by default),
 * confirm, and go to the batch's live page. The API checks operator scope and role scope again per service account.
 */
export function MigrationPlanView({
  plan,
  namespaces,
  canAct,
  whyNot,
}: {
  plan: MigrationPlan;
  namespaces: string[];
  canAct: boolean;
  whyNot?: string;
}) {
  const router = useRouter();
  const runnable = plan.items.filter((item) => !item.skip);
  const [selected, setSelected] = useState(() => new Set(runnable.map(keyOf)));
  const [removeAnnotation, setRemoveAnnotation] = useState(false);
  const [concurrency, setConcurrency] = useState(plan.options.concurrency);
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState(false);
  const [error, setError] = useState<ActionApiError | null>(null);

  const toggle = (key: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const apply = async () => {
    setApplying(true);
    setError(null);
    // Every runnable one chosen: the namespaces, so the server plans them again as they are now.
    const everything = runnable.every((item) => selected.has(keyOf(item)));
    const result = await applyMigration({
      cluster: plan.cluster,
      ...(everything
        ? { namespaces }
        : { serviceAccounts: runnable.filter((item) => selected.has(keyOf(item))).map(({ namespace, name }) => ({ namespace, name })) }),
      options: { ...plan.options, removeAnnotation, concurrency },
    });
    if (result.ok) router.push(`/migrations/${encodeURIComponent(result.value.id)}`);
    else {
      setError(result.error);
      setApplying(false);
    }
  };

  const count = runnable.filter((item) => selected.has(keyOf(item))).length;
  return (
    <div className="space-y-4">
      <p className="text-[13px] text-neutral-700" data-testid="migration-summary">
        {plan.summary.runnable} of {plan.summary.total} service account(s) can move; {plan.summary.skipped} are listed and left untouched.
      </p>
      <table className="w-full text-left text-[13px]" aria-label="Migration plan">
        <thead className="text-[11px] text-neutral-500 uppercase">
          <tr>
            {canAct && <th className="w-6 px-2 py-1">Move</th>}
            <th className="px-2 py-1">Service account</th>
            <th className="px-2 py-1">Readiness</th>
            <th className="px-2 py-1">Steps / reasons</th>
            <th className="px-2 py-1">Pods after the roll</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {plan.items.map((item) => (
            <PlanItemRow
              key={keyOf(item)}
              item={item}
              selectable={canAct}
              selected={selected.has(keyOf(item))}
              onToggle={() => toggle(keyOf(item))}
            />
          ))}
        </tbody>
      </table>

      {canAct ? (
        <section aria-label="Apply the migration" className="space-y-2 rounded-lg border border-neutral-200 bg-white p-3">
          <div className="flex flex-wrap items-center gap-4 text-[13px]">
            <label className="flex items-center gap-1.5">
              <input type="checkbox" checked={removeAnnotation} onChange={(event) => setRemoveAnnotation(event.target.checked)} />
              Then remove the role-arn annotation
            </label>
            <label className="flex items-center gap-1.5">
              At most
              <input
                type="number"
                min={1}
                max={20}
                value={concurrency}
                onChange={(event) => setConcurrency(Math.min(20, Math.max(1, Number(event.target.value) || 1)))}
                className="w-14 rounded border border-neutral-300 px-1 py-0.5"
              />
              service accounts at a time
            </label>
          </div>
          {!confirming ? (
            <button
              type="button"
              onClick={() => setConfirming(true)}
              className="rounded-md bg-neutral-900 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-neutral-800"
            >
              Apply…
            </button>
          ) : (
            <div role="group" aria-label="Confirm the migration" className="space-y-2">
              <p className="text-[13px] text-neutral-800">
                {count === 0
                  ? 'None of these service accounts needs migrating: the run will check and change nothing.'
                  : `Migrate ${count} service account(s) of ${plan.cluster}: each gets a trust statement and an association, then its pods are rolled and verified on Pod Identity before the next step. It stops at the first failure.`}
              </p>
              <div className="flex gap-2">
                <button
                  type="button"
                  disabled={applying}
                  onClick={() => void apply()}
                  className="rounded-md bg-red-700 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-red-800 disabled:opacity-60"
                >
                  {applying ? 'Starting…' : `Migrate ${count} service account(s)`}
                </button>
                <button
                  type="button"
                  onClick={() => setConfirming(false)}
                  className="rounded-md border border-neutral-300 px-3 py-1.5 text-[13px] font-medium text-neutral-700 hover:bg-neutral-50"
                >
                  Back
                </button>
              </div>
            </div>
          )}
          {error && <ActionErrorView error={error} />}
        </section>
      ) : (
        <p className="text-[12px] text-neutral-600" data-testid="migration-why-not">
          {whyNot}
        </p>
      )}

      {plan.terraform && (
        <section aria-label="Terraform">
          <h2 className="text-[13px] font-medium">Terraform for the end state</h2>
          <pre className="overflow-x-auto rounded bg-neutral-50 p-2 text-[11px]">{plan.terraform}</pre>
        </section>
      )}
    </div>
  );
}
