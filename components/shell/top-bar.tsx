import Link from 'next/link';
import { Suspense } from 'react';
import { MenuPanel } from './menu-panel';
import { NavLinks } from './nav-links';
import { SignedInUser } from './signed-in-user';

export function TopBar() {
  return (
    <header className="sticky top-0 z-30 border-b border-neutral-800 bg-neutral-950 text-white">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-1.5 text-[13px] font-medium text-neutral-900 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <div className="relative mx-auto flex h-12 max-w-[1800px] items-center justify-between gap-6 px-5">
        <Link href="/" className="flex shrink-0 items-center gap-2 text-[14px] font-semibold tracking-tight">
          <svg viewBox="0 0 20 20" className="size-5 text-sky-400" aria-hidden="true">
            <path
              fill="currentColor"
              d="M10 1.5 2.5 4.6v5c0 4.4 3.2 7.9 7.5 8.9 4.3-1 7.5-4.5 7.5-8.9v-5zm0 4a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5m0 11c-2-.5-3.7-1.8-4.6-3.6.9-1.3 2.8-2 4.6-2s3.7.7 4.6 2c-.9 1.8-2.6 3.1-4.6 3.6"
            />
          </svg>
          <span className="max-lg:hidden">Workload Identity Console</span>
          <span className="lg:hidden" aria-label="Workload Identity Console">
            WIC
          </span>
        </Link>
        <MenuPanel>
          <NavLinks />
          <Suspense fallback={null}>
            <SignedInUser />
          </Suspense>
        </MenuPanel>
      </div>
    </header>
  );
}
