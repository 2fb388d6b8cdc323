'use client';

import { usePathname } from 'next/navigation';
import { useId, useState } from 'react';
import { useDismiss } from './use-dismiss';

/**
 * The header's navigation and user: inline from the md breakpoint up, behind a "Menu" button on a phone so
 * nothing sits off-screen. Closes on navigation, on Esc (focus back to the button) and on a click outside.
 */
export function MenuPanel({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const { buttonRef, panelRef } = useDismiss(open, setOpen);
  const [lastPath, setLastPath] = useState(pathname);
  if (lastPath !== pathname) {
    setLastPath(pathname);
    setOpen(false);
  }
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((value) => !value)}
        className="inline-flex items-center gap-1.5 rounded-md border border-neutral-700 px-2.5 py-1.5 text-[13px] font-medium text-neutral-100 hover:bg-neutral-800 md:hidden"
      >
        <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
          <path fill="currentColor" d="M2 3.5h12V5H2zm0 3.75h12v1.5H2zM2 11h12v1.5H2z" />
        </svg>
        Menu
      </button>
      <div
        ref={panelRef}
        id={id}
        className={`${open ? 'flex' : 'hidden'} min-w-0 flex-1 items-center justify-between gap-6 max-md:absolute max-md:inset-x-0 max-md:top-12 max-md:flex-col max-md:items-stretch max-md:gap-3 max-md:border-b max-md:border-neutral-800 max-md:bg-neutral-950 max-md:px-5 max-md:py-3 max-md:shadow-lg md:flex`}
      >
        {children}
      </div>
    </>
  );
}
