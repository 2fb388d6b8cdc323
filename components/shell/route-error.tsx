'use client';

import Link from 'next/link';
import { PageMain } from './page-header';

/** The body of each route's error.tsx: what failed, a retry, and a way back. */
export function RouteError({ title, error, reset }: { title: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <PageMain>
      <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
        <h1 className="text-[16px] font-semibold text-red-800">{title}</h1>
        <p className="mt-1 text-[13px] text-neutral-700">
          {error.message || 'An unexpected error occurred.'}
          {error.digest ? <span className="text-neutral-500"> (ref {error.digest})</span> : null}
        </p>
        <div className="mt-4 flex gap-3">
          <button
            type="button"
            onClick={reset}
            className="rounded-md bg-neutral-900 px-3 py-1.5 text-[13px] font-medium text-white hover:bg-neutral-800"
          >
            Try again
          </button>
          <Link
            href="/"
            className="rounded-md border border-neutral-300 px-3 py-1.5 text-[13px] font-medium text-neutral-700 hover:bg-neutral-50"
          >
            Service accounts
          </Link>
        </div>
      </div>
    </PageMain>
  );
}

export function RouteNotFound({
  title,
  message,
  backHref,
  backLabel,
  children,
}: {
  title: string;
  message: string;
  backHref: string;
  backLabel: string;
  children?: React.ReactNode;
}) {
  return (
    <PageMain>
      <div className="rounded-lg border border-neutral-200 bg-white p-6">
        <h1 className="text-[16px] font-semibold text-neutral-900">{title}</h1>
        <p className="mt-1 text-[13px] text-neutral-600">{message}</p>
        {children}
        <Link href={backHref} className="mt-4 inline-block text-[13px] font-medium text-sky-700 hover:underline">
          ← {backLabel}
        </Link>
      </div>
    </PageMain>
  );
}
