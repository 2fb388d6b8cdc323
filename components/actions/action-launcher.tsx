'use client';

import { createContext, useCallback, useContext, useState } from 'react';
import type { ActionRequest } from '@/lib/console/action-api';
import { ActionDialog } from './action-dialog';

interface Launcher {
  /** Whether the signed-in user may act here (an operator of this namespace, or an admin). */
  canAct: boolean;
  /** Why not, when they may not. */
  whyNot?: string;
  open: (request: ActionRequest) => void;
}

const LauncherContext = createContext<Launcher | null>(null);

/** Holds the one open action dialog of a page. */
export function ActionLauncherProvider({ canAct, whyNot, children }: { canAct: boolean; whyNot?: string; children: React.ReactNode }) {
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const open = useCallback((next: ActionRequest) => setRequest(next), []);
  const close = useCallback(() => setRequest(null), []);
  return (
    <LauncherContext.Provider value={{ canAct, whyNot, open }}>
      {children}
      {request && <ActionDialog key={JSON.stringify(request)} initial={request} onClose={close} />}
    </LauncherContext.Provider>
  );
}

export function useActionLauncher(): Launcher | null {
  return useContext(LauncherContext);
}

/** A button that opens the guided action; disabled, with the reason, for users who may not act. */
export function ActionButton({
  request,
  label,
  variant = 'secondary',
}: {
  request: ActionRequest;
  label: string;
  variant?: 'primary' | 'secondary' | 'danger';
}) {
  const launcher = useActionLauncher();
  if (!launcher) return null;
  const style =
    variant === 'primary'
      ? 'bg-sky-700 text-white hover:bg-sky-800 border-sky-700'
      : variant === 'danger'
        ? 'border-red-300 bg-white text-red-700 hover:bg-red-50'
        : 'border-neutral-300 bg-white text-neutral-800 hover:bg-neutral-50';
  return (
    <button
      type="button"
      data-variant={variant}
      disabled={!launcher.canAct}
      title={launcher.canAct ? undefined : launcher.whyNot}
      onClick={() => launcher.open(request)}
      className={`rounded-md border px-2.5 py-1 text-[12px] font-medium shadow-xs disabled:cursor-not-allowed disabled:opacity-50 ${style}`}
    >
      {label}
    </button>
  );
}
