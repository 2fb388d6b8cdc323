'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ActionPlan } from '@/lib/actions/types';
import { suggestionTitle } from '@/lib/actions/commands';
import { applyAction, planAction, type ActionApiError, type ActionRequest } from '@/lib/console/action-api';
import { ActionErrorView } from './action-error-view';
import { ActionFields, requiredFieldsMissing } from './action-fields';
import { ActionProgressView } from './action-progress';
import { PlanPreview } from './plan-preview';

type Stage =
  | { kind: 'edit' }
  | { kind: 'planning' }
  // The request the plan was made for: Apply sends exactly what was previewed, never inputs edited since.
  | { kind: 'planned'; plan: ActionPlan; request: ActionRequest }
  | { kind: 'applying' }
  | { kind: 'running'; id: string; plan: ActionPlan };

/**
 * One guided action: edit the inputs, preview the plan (preflight, exact requests, equivalents), confirm,
 * apply, and follow its progress. Everything goes through POST /api/v1/actions, with the same checks as automation.
 */
export function ActionDialog({ initial, onClose }: { initial: ActionRequest; onClose: () => void }) {
  const [request, setRequest] = useState<ActionRequest>(initial);
  const [stage, setStage] = useState<Stage>(() => (requiredFieldsMissing(initial) ? { kind: 'edit' } : { kind: 'planning' }));
  const [error, setError] = useState<ActionApiError | null>(null);
  const [force, setForce] = useState(false);
  const titleId = useId();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dialogRef = useRef<HTMLDivElement>(null);

  // Each plan request gets a number; an edit or a newer preview makes an answer still on its way stale, so a slow
  // plan for the old inputs can never appear (and be applied) after the user changed them.
  const planRound = useRef(0);
  const preview = useCallback(async (next: ActionRequest) => {
    const round = ++planRound.current;
    setStage({ kind: 'planning' });
    setError(null);
    setForce(false);
    const result = await planAction(next);
    if (round !== planRound.current) return;
    if (result.ok) setStage({ kind: 'planned', plan: result.value, request: next });
    else {
      setError(result.error);
      setStage({ kind: 'edit' });
    }
  }, []);

  // Modal: focus goes back to the button that opened the dialog when it closes (Esc, Close or a click outside).
  // Declared before the effect that focuses the dialog, so what it remembers is still the opener.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => opener?.focus();
  }, []);

  // Open straight on the plan when the inputs are complete (a finding's suggested action usually is).
  // The stage starts as 'planning' then; an edit before the answer arrives makes it stale like any other preview.
  useEffect(() => {
    dialogRef.current?.focus();
    if (requiredFieldsMissing(initial)) return;
    const rounds = planRound;
    const round = ++rounds.current;
    void planAction(initial).then((result) => {
      if (round !== rounds.current) return;
      if (result.ok) setStage({ kind: 'planned', plan: result.value, request: initial });
      else {
        setError(result.error);
        setStage({ kind: 'edit' });
      }
    });
    return () => {
      rounds.current++;
    };
  }, [initial]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && stage.kind !== 'applying') onClose();
      // Tab and Shift+Tab cycle inside the dialog: nothing behind it can take focus while it is open.
      if (event.key === 'Tab' && dialogRef.current) {
        const focusable = [
          ...dialogRef.current.querySelectorAll<HTMLElement>(
            'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])',
          ),
        ].filter((element) => element.offsetParent !== null);
        if (!focusable.length) return;
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        const active = document.activeElement;
        const inside = active instanceof Node && dialogRef.current.contains(active);
        if (event.shiftKey && (active === first || !inside || active === dialogRef.current)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && (active === last || !inside)) {
          event.preventDefault();
          first.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, stage.kind]);

  const switchTo = (next: ActionRequest) => {
    setRequest(next);
    setError(null);
    if (requiredFieldsMissing(next)) setStage({ kind: 'edit' });
    else void preview(next);
  };

  const apply = async (planned: { plan: ActionPlan; request: ActionRequest }) => {
    const { plan, request: previewed } = planned;
    setStage({ kind: 'applying' });
    setError(null);
    const params = force ? { ...previewed.params, force: true } : previewed.params;
    const result = await applyAction({ ...previewed, params });
    if (result.ok) setStage({ kind: 'running', id: result.value.id, plan });
    else {
      setError(result.error);
      setStage({ kind: 'planned', plan, request: previewed });
    }
  };

  const onFinished = () => {
    // The row and its findings are re-evaluated: drop every cached page so they refetch, and re-render server parts.
    void queryClient.invalidateQueries();
    router.refresh();
  };

  const blocking = stage.kind === 'planned' ? stage.plan.preflight.filter((check) => check.status === 'fail') : [];
  const forcible = blocking.length > 0 && blocking.every((check) => check.forcible);
  const canApply = stage.kind === 'planned' && (blocking.length === 0 || (forcible && force));
  const editable = stage.kind === 'edit' || stage.kind === 'planned' || stage.kind === 'planning';

  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-neutral-950/40 px-4 py-10"
      onMouseDown={(event) => event.target === event.currentTarget && stage.kind !== 'applying' && onClose()}
    >
      <div
        ref={dialogRef}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="w-full max-w-3xl rounded-xl bg-white shadow-2xl outline-none"
      >
        <header className="flex items-start justify-between gap-4 border-b border-neutral-200 px-5 py-4">
          <div>
            <h2 id={titleId} className="text-[15px] font-semibold text-neutral-900">
              {suggestionTitle(request.type)}
            </h2>
          </div>
          <button
            type="button"
            onClick={onClose}
            disabled={stage.kind === 'applying'}
            className="rounded-md px-2 py-1 text-[13px] text-neutral-600 hover:bg-neutral-100 disabled:opacity-40"
          >
            Close
          </button>
        </header>

        <div className="space-y-5 px-5 py-4">
          {editable && (
            <ActionFields
              request={request}
              fieldErrors={error?.fields}
              onChange={(next) => {
                setRequest(next);
                if (stage.kind === 'planned' || stage.kind === 'planning') {
                  planRound.current++;
                  setStage({ kind: 'edit' });
                }
              }}
            />
          )}

          {error && <ActionErrorView error={error} onOffer={(offer) => switchTo({ type: offer.type, params: offer.params })} />}

          {stage.kind === 'edit' && (
            <div className="flex justify-end">
              <button
                type="button"
                onClick={() => void preview(request)}
                className="rounded-md bg-neutral-900 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-neutral-700"
              >
                Preview
              </button>
            </div>
          )}
          {stage.kind === 'planning' && (
            <p role="status" className="text-[13px] text-neutral-500">
              Planning: running the preflight checks…
            </p>
          )}

          {stage.kind === 'planned' && (
            <>
              <PlanPreview plan={stage.plan} onOffer={(offer) => switchTo({ type: offer.type, params: offer.params })} />
              <footer className="flex flex-wrap items-center justify-end gap-3 border-t border-neutral-200 pt-4">
                {forcible && (
                  <label className="mr-auto flex items-center gap-2 text-[13px] text-amber-800">
                    <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
                    Apply anyway (I accept the failing checks above)
                  </label>
                )}
                {blocking.length > 0 && !forcible && (
                  <p className="mr-auto text-[13px] text-red-700">
                    A failing check blocks this action; fix it or take the offered way out.
                  </p>
                )}
                <button
                  type="button"
                  onClick={onClose}
                  className="rounded-md border border-neutral-300 px-3 py-1.5 text-[13px] font-medium text-neutral-700 hover:bg-neutral-50"
                >
                  Cancel
                </button>
                <button
                  type="button"
                  disabled={!canApply}
                  onClick={() => void apply(stage)}
                  className="rounded-md bg-sky-700 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:bg-neutral-300"
                >
                  Apply
                </button>
              </footer>
            </>
          )}
          {stage.kind === 'applying' && (
            <p role="status" className="text-[13px] text-neutral-500">
              Recording the intent and applying…
            </p>
          )}
          {stage.kind === 'running' && (
            <ActionProgressView
              id={stage.id}
              plan={stage.plan}
              onFinished={onFinished}
              onFollowUp={(followUp) => switchTo({ type: followUp.type, params: followUp.params })}
            />
          )}
        </div>
      </div>
    </div>
  );
}
