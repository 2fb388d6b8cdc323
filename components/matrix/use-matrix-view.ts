'use client';

import { useSearchParams } from 'next/navigation';
import { useMemo, useSyncExternalStore } from 'react';
import { viewParamsOf, viewSearch, type ViewParams } from '@/lib/console/matrix-url';

// The matrix's view is the address bar's. The search box changes it in the browser (history API) rather than by a
// navigation; Next then moves useSearchParams too, but in a router transition that lagged a keystroke by 400 ms in
// the fleet bench. The table and the filters read the view here instead, at once.
//
// While someone types, the view runs ahead of the address bar: each history write cost the keystroke a native
// replaceState and a re-render of Next's router (~15-25 ms of the page's main thread in the fleet bench), so the
// address bar is written once typing pauses (or the box loses focus, or Enter is pressed). A view shown that way
// holds only while the address bar is what it was when the view was shown: Back, Forward or a link moving it
// meanwhile wins, and the write is dropped.

/** After this long without a keystroke, the view shown is written to the address bar. */
export const ADDRESS_BAR_DELAY_MS = 300;

const listeners = new Set<() => void>();

interface ShownView {
  search: string;
  history: 'push' | 'replace';
  /** The address, and its history entry's state, when the first of these keystrokes was shown. */
  base: string;
  baseState: unknown;
  timer: ReturnType<typeof setTimeout>;
}

let shown: ShownView | null = null;

function notify(): void {
  for (const listener of listeners) listener();
}

/** The view shown ahead of the address bar, while the address bar has not moved since. */
function currentShown(): ShownView | null {
  // The state object tells a navigation that came back to the same address (a link to the view typed over).
  if (shown && (shown.base !== window.location.href || shown.baseState !== window.history.state)) {
    clearTimeout(shown.timer);
    shown = null;
  }
  return shown;
}

// Next moves the address bar itself too (a link, a picker), and a link to the address the search box left behind
// can race the box's own write so that Next re-renders nothing: the address is looked at a few times a second
// while the matrix is open, and a change nobody announced is.
const ADDRESS_CHECK_MS = 150;
let addressCheck: ReturnType<typeof setInterval> | undefined;
let lastAddress = '';

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  if (!addressCheck) {
    lastAddress = window.location.href;
    addressCheck = setInterval(() => {
      if (window.location.href === lastAddress) return;
      lastAddress = window.location.href;
      notify();
    }, ADDRESS_CHECK_MS);
  }
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
    if (listeners.size === 0) {
      clearInterval(addressCheck);
      addressCheck = undefined;
    }
  };
}

// React asks for the view several times a render: the address bar's is worked out once per address.
let parsed = { from: '', search: '' };

function addressBarSearch(): string {
  const from = window.location.search;
  if (parsed.from !== from) parsed = { from, search: viewSearch(viewParamsOf(new URLSearchParams(from))) };
  return parsed.search;
}

const locationSearch = () => currentShown()?.search ?? addressBarSearch();

/** The view on screen now: the address bar's, or one typed ahead of it. */
export function locationView(): ViewParams {
  return viewParamsOf(new URLSearchParams(locationSearch()));
}

/**
 * Shows `view` without a server render, and writes it to the address bar (a new history entry, or in place of the
 * current one) once typing pauses. Keystrokes before that write make one entry: pushed if any of them asked so.
 */
export function showView(view: ViewParams, history: 'push' | 'replace'): void {
  const previous = currentShown();
  if (previous) clearTimeout(previous.timer);
  shown = {
    search: viewSearch(view),
    history: previous?.history === 'push' ? 'push' : history,
    base: previous?.base ?? window.location.href,
    baseState: previous ? previous.baseState : window.history.state,
    timer: setTimeout(writeShownView, ADDRESS_BAR_DELAY_MS),
  };
  notify();
}

/** Writes a view shown ahead of the address bar now (a pause in typing, a blur, Enter), if it still holds. */
export function writeShownView(): void {
  const pending = currentShown();
  if (!pending) return;
  clearTimeout(pending.timer);
  shown = null;
  // Left the matrix meanwhile (a link): the page it went to owns the address bar.
  if (window.location.pathname !== '/') return;
  const url = `/${pending.search}`;
  if (pending.history === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
  notify();
}

/**
 * The view on screen, `rendered` (what the server rendered) on the server and while hydrating. Next's own
 * navigations re-render through useSearchParams; the address bar is read again after each commit (the inline
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
