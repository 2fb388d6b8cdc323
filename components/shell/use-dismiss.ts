'use client';

import { useEffect, useRef } from 'react';

// Open panels, innermost (latest opened) last: Esc closes only that one, so Esc in the scope popover inside the
// phone menu closes the popover and leaves focus on its button, instead of closing both and dropping focus.
const openPanels: symbol[] = [];

/**
 * For a button that opens a panel: while open, Esc closes it and puts focus back on the button, and a pointer
 * press outside both closes it. Attach the refs to the button and the panel; `setOpen` is the state setter.
 */
export function useDismiss(open: boolean, setOpen: (open: boolean) => void) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const self = Symbol('panel');
    openPanels.push(self);
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || openPanels[openPanels.length - 1] !== self) return;
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
      openPanels.splice(openPanels.indexOf(self), 1);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [open, setOpen]);
  return { buttonRef, panelRef };
}
