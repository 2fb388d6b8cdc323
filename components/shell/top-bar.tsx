import Link from 'next/link';
import { Suspense } from 'react';
import { NavLinks } from './nav-links';
import { SignedInUser } from './signed-in-user';

export function TopBar() {
  return (
    <header className="sticky top-0 z-30 border-b border-neutral-800 bg-neutral-950 text-white">
      <div className="mx-auto flex h-12 max-w-[1800px] items-center justify-between gap-6 px-5">
        <div className="flex items-center gap-6">
          <Link href="/" className="flex items-center gap-2 text-[14px] font-semibold tracking-tight">
            <svg viewBox="0 0 20 20" className="size-5 text-sky-400" aria-hidden="true">
              <path
                fill="currentColor"
                d="M10 1.5 2.5 4.6v5c0 4.4 3.2 7.9 7.5 8.9 4.3-1 7.5-4.5 7.5-8.9v-5zm0 4a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5m0 11c-2-.5-3.7-1.8-4.6-3.6.9-1.3 2.8-2 4.6-2s3.7.7 4.6 2c-.9 1.8-2.6 3.1-4.6 3.6"
              />
            </svg>
            Workload Identity Console
          </Link>
          <NavLinks />
        </div>
        <Suspense fallback={null}>
          <SignedInUser />
        </Suspense>
      </div>
    </header>
  );
}
