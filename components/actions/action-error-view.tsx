'use client';

import type { PreflightCheck } from '@/lib/actions/types';
import type { ActionApiError } from '@/lib/console/action-api';
import { SessionEnded } from '@/components/shell/session-ended';

/** An action's error in plain words, the missing permission, a way out when there is one, and the raw error. */
export function ActionErrorView({
  error,
  onOffer,
}: {
  error: Pick<ActionApiError, 'message' | 'missingPermission' | 'upstream' | 'offer' | 'code'> & { status?: number };
  onOffer?: (offer: NonNullable<PreflightCheck['offer']>) => void;
}) {
  // An ended session is no error of the action: say so in words, and keep the dialog (and what was typed) open.
  if (error.status === 401)
    return (
      <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2">
        <SessionEnded keepsInput />
      </div>
    );
  return (
    <div role="alert" className="space-y-1.5 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-900">
      <p>{error.message}</p>
      {error.missingPermission && (
        <p>
          Missing permission: <code className="font-mono">{error.missingPermission}</code>
        </p>
      )}
      {error.offer && onOffer && (
        <button type="button" onClick={() => onOffer(error.offer!)} className="font-medium text-sky-800 hover:underline">
          {error.offer.label} →
        </button>
      )}
      {error.upstream && (
        <details className="text-[12px]">
          <summary className="cursor-pointer text-red-800">Raw error</summary>
          <pre className="mt-1 font-mono whitespace-pre-wrap">{`${error.upstream.service} ${error.upstream.operation}: ${error.upstream.code}\n${error.upstream.message}`}</pre>
        </details>
      )}
    </div>
  );
}
