'use client';

import { useLinkStatus } from 'next/link';

/**
 * Inside a <Link>: a small spinner while that link's navigation is on its way, so a sort or page change keeps
 * the table on screen with a mark instead of blanking it.
 */
export function LinkPendingMark({ label = 'Loading…' }: { label?: string }) {
  const { pending } = useLinkStatus();
  if (!pending) return null;
  return (
    <span
      data-testid="link-pending"
      role="status"
      aria-label={label}
      className="inline-block size-2.5 animate-spin rounded-full border-2 border-neutral-300 border-t-neutral-700"
    />
  );
}
