'use client';

import { useEffect, useRef } from 'react';

/**
 * For a button that opens a panel: while open, Esc closes it and puts focus back on the button, and a pointer
 * press outside both closes it. Attach the refs to the button and the panel; `setOpen` is the state setter.
 */
export function useDismiss(open: boolean, setOpen: (open: boolean) => void) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [open, setOpen]);
  return { buttonRef, panelRef };
}
