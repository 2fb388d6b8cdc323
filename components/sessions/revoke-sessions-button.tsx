'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Ends every live session of one user through POST /api/v1/sessions/revoke (audited on the server). */
export function RevokeSessionsButton({ subject }: { subject: string }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const revoke = async () => {
    setState({ busy: true });
    try {
      const response = await fetch('/api/v1/sessions/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject }),
      });
      const json = (await response.json()) as { revoked?: number; error?: { message: string } };
      if (!response.ok) throw new Error(json.error?.message ?? `${response.status}`);
      setState({ busy: false, message: `${json.revoked} session${json.revoked === 1 ? '' : 's'} ended` });
      router.refresh();
    } catch (error) {
      setState({ busy: false, error: (error as Error).message });
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={revoke}
        disabled={state.busy}
        className="rounded border border-red-300 px-2 py-0.5 text-[12px] text-red-800 hover:bg-red-50 disabled:opacity-50"
      >
        {state.busy ? 'Revoking…' : `Revoke ${subject}'s sessions`}
      </button>
      {state.message ? (
        <span role="status" className="text-[12px] text-green-800">
          {state.message}
        </span>
      ) : null}
      {state.error ? (
        <span role="alert" className="text-[12px] text-red-800">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
