'use client';

import { useSearchParams } from 'next/navigation';
import { useMemo, useSyncExternalStore } from 'react';
import { viewParamsOf, viewSearch, type ViewParams } from '@/lib/console/matrix-url';

// The matrix's view is the address bar's. The search box changes it in the browser (history API) rather than by a
// navigation; Next then moves useSearchParams too, but in a router transition that lagged a keystroke by 400 ms in
// the fleet bench. The table and the filters read the address bar here instead, at once.

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const locationSearch = () => viewSearch(viewParamsOf(new URLSearchParams(window.location.search)));

/** The view in the address bar now. */
export function locationView(): ViewParams {
  return viewParamsOf(new URLSearchParams(window.location.search));
}

/** Shows `view` in the address bar without a server render: a new history entry, or in place of the current one. */
export function showView(view: ViewParams, history: 'push' | 'replace'): void {
  const url = `/${viewSearch(view)}`;
  if (history === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
  for (const listener of listeners) listener();
}

/**
 * The view the address bar holds, `rendered` (what the server rendered) on the server and while hydrating. Next's
 * own navigations re-render through useSearchParams; the address bar is read again after each commit (the inline
 * getSnapshot makes React check it), by when Next has written the new URL.
 */
export function useMatrixView(rendered: ViewParams): ViewParams {
  useSearchParams();
  const search = useSyncExternalStore(
    subscribe,
    // Arriving from another page, the address bar still shows that page until Next has committed this one.
    () => (window.location.pathname === '/' ? locationSearch() : viewSearch(rendered)),
    () => viewSearch(rendered),
  );
  return useMemo(() => viewParamsOf(new URLSearchParams(search)), [search]);
}
