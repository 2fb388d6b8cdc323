'use client';

import { usePathname, useSearchParams } from 'next/navigation';

/**
 * What a person sees when a request answers 401 because their session ended (expired, revoked, signed out in
 * another tab): "Your session ended — Sign in again", never the API's text for scripts. The link signs in and
 * returns to the same view. Inside a dialog it opens in a new tab, so what was typed in the dialog is kept.
 */
export function SessionEnded({ keepsInput = false }: { keepsInput?: boolean }) {
  const search = useSearchParams().toString();
  const returnTo = `${usePathname()}${search ? `?${search}` : ''}`;
  const href = `/signin?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <p role="alert" data-testid="session-ended" className="text-[13px] text-red-800">
      Your session ended —{' '}
      <a
        href={href}
        target={keepsInput ? '_blank' : undefined}
        rel={keepsInput ? 'noopener' : undefined}
        className="font-medium text-sky-800 underline hover:text-sky-900"
      >
        Sign in again
      </a>
      {keepsInput && <span> (in a new tab; this dialog keeps what you entered, so you can try again once signed in)</span>}
    </p>
  );
}
