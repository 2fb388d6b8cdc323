'use client';

import { formatClockTime } from '@/lib/console/format';
import { SessionEnded } from './session-ended';
import { ApiRequestError } from './use-live-json';

/** "data as of HH:MM:SS" with a Refresh button; shows a refresh failure without dropping the data on screen. */
export function FreshnessBar({
  asOf,
  isFetching,
  error,
  errorLabel = 'Refresh failed',
  onRefresh,
}: {
  asOf: string | number;
  isFetching: boolean;
  error?: Error | null;
  /** What failed, before the error's message. */
  errorLabel?: string;
  onRefresh: () => void;
}) {
  return (
    <div className="flex items-center gap-3 text-xs text-neutral-500">
      {error instanceof ApiRequestError && error.status === 401 ? (
        <SessionEnded />
      ) : (
        error && (
          <span role="alert" className="text-red-700" title={error.message}>
            {errorLabel}: {error.message}
          </span>
        )
      )}
      <span data-testid="data-as-of">
        data as of <time className="font-mono tabular-nums text-neutral-700">{formatClockTime(asOf)}</time> UTC
      </span>
      <button
        type="button"
        onClick={onRefresh}
        disabled={isFetching}
        className="inline-flex items-center gap-1.5 rounded-md border border-neutral-300 bg-white px-2.5 py-1 font-medium text-neutral-700 shadow-xs hover:bg-neutral-50 disabled:opacity-60"
      >
        <svg viewBox="0 0 16 16" className={`size-3.5 ${isFetching ? 'animate-spin' : ''}`} aria-hidden="true">
          <path
            fill="currentColor"
            d="M8 2.5a5.5 5.5 0 0 1 5.3 4H15A7 7 0 0 0 2.1 4.3V2H.6v5h5V5.5H3.2A5.5 5.5 0 0 1 8 2.5m5.4 6.9-.4.1A5.5 5.5 0 0 1 2.7 9.5H1A7 7 0 0 0 13.9 11.7V14h1.5V9h-5v1.5h2.4z"
          />
        </svg>
        {isFetching ? 'Refreshing' : 'Refresh'}
      </button>
    </div>
  );
}
