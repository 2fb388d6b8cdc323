'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  patchClusterList,
  patchMatrixPage,
  patchServiceAccountDetail,
  type ClustersEventData,
  type PatchablePage,
  type RowsEventData,
} from '@/lib/console/live-patch';
import { queryKeys } from '@/lib/console/query-keys';
import type { ClusterRow, ServiceAccountRow } from '@/lib/model/identity-row';

// Issue 17, "Browser: live": one EventSource per tab on GET /api/v1/events, whose changed rows patch the TanStack
// Query cache the pages render from. A matrix page on screen gets the row itself (or loses it), an open service
// account or cluster page re-reads only itself, and nothing else is fetched again.

type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Full-jitter backoff: 1 s, 2 s, 4 s … up to 30 s, each a random share of it so tabs do not reconnect in step. */
function backoffMs(attempt: number): number {
  return 500 + Math.random() * Math.min(30_000, 1_000 * 2 ** attempt);
}

function applyRows(queryClient: QueryClient, event: RowsEventData): void {
  if (event.resync) {
    resync(queryClient);
    return;
  }
  for (const [key, page] of queryClient.getQueriesData<PatchablePage>({ queryKey: queryKeys.matrixPages() })) {
    if (!page) continue;
    const patch = patchMatrixPage(page, String(key[1] ?? ''), event);
    if (patch.page !== page) queryClient.setQueryData(key, patch.page);
    if (patch.refetch) void queryClient.invalidateQueries({ queryKey: key, exact: true });
  }
  // An open service account page shows the pushed row's findings at once, then re-reads its chain and pods.
  for (const row of event.upserts) {
    const queryKey = queryKeys.serviceAccount(row.cluster, row.namespace, row.name);
    const detail = queryClient.getQueryData<{ podCounts: ServiceAccountRow['pods'] }>(queryKey);
    if (detail) queryClient.setQueryData(queryKey, patchServiceAccountDetail(detail, row));
  }
  for (const ref of [...event.upserts, ...event.removed])
    void queryClient.invalidateQueries({ queryKey: queryKeys.serviceAccount(ref.cluster, ref.namespace, ref.name), exact: true });
}

function applyClusters(queryClient: QueryClient, event: ClustersEventData): void {
  const list = queryClient.getQueryData<{ items: ClusterRow[] }>(queryKeys.clusterList());
  if (list) {
    const patch = patchClusterList(list, event);
    if (patch.page !== list) queryClient.setQueryData(queryKeys.clusterList(), patch.page);
    if (patch.refetch) void queryClient.invalidateQueries({ queryKey: queryKeys.clusterList(), exact: true });
  }
  for (const name of [...event.upserts.map((cluster) => cluster.name), ...event.removed])
    void queryClient.invalidateQueries({ queryKey: queryKeys.cluster(name), exact: true });
}

/** Too much changed to say row by row, or events may have been missed while disconnected: re-read what is on screen. */
function resync(queryClient: QueryClient): void {
  for (const queryKey of [queryKeys.matrixPages(), queryKeys.clusterList(), queryKeys.serviceAccounts(), queryKeys.clusters()])
    void queryClient.invalidateQueries({ queryKey });
}

/**
 * Keeps the open pages live and says so: "Live" while the stream is open, "Reconnecting" while it is not. Rendered
 * once, in the header, for a signed-in user only.
 */
export function LiveEvents() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let connectedBefore = false;

    const connect = () => {
      clearTimeout(retry);
      source?.close();
      source = new EventSource('/api/v1/events');
      source.addEventListener('ready', () => {
        // Whatever changed while the stream was down was not sent: re-read what is on screen once.
        if (connectedBefore) resync(queryClient);
        connectedBefore = true;
        failures = 0;
        setState('live');
      });
      source.addEventListener('rows', (message) => applyRows(queryClient, JSON.parse((message as MessageEvent<string>).data)));
      source.addEventListener('clusters', (message) => applyClusters(queryClient, JSON.parse((message as MessageEvent<string>).data)));
      // The browser's own retry would hammer a server that is down, and gives up for good on a 401 or 5xx:
      // reconnect here instead, backing off.
      source.onerror = () => {
        source?.close();
        source = undefined;
        setState('reconnecting');
        retry = setTimeout(connect, backoffMs(failures++));
      };
    };
    const disconnect = () => {
      clearTimeout(retry);
      source?.close();
      source = undefined;
    };

    // A stream holds one of the six connections a browser keeps per host over HTTP/1.1, for as long as it is open,
    // and a navigation needs one too: with six open (tabs, or streams opened while the page still loads its
    // scripts), the next page.goto or link click waits for a connection that never frees. So: opened only after the
    // load event, one per tab, and closed while the tab is hidden (reopened, with a re-read, when it shows again;
    // the pages refetch on focus then anyway).
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        disconnect();
        setState('connecting');
      } else if (!source) connect();
    };
    const start = () => {
      document.addEventListener('visibilitychange', onVisibility);
      if (document.visibilityState !== 'hidden') connect();
    };
    if (document.readyState === 'complete') start();
    else window.addEventListener('load', start, { once: true });
    return () => {
      window.removeEventListener('load', start);
      document.removeEventListener('visibilitychange', onVisibility);
      disconnect();
    };
  }, [queryClient]);

  const live = state === 'live';
  return (
    <span
      data-testid="live-status"
      data-state={state}
      title={
        live
          ? 'Changes in the fleet show on this page as they happen'
          : 'The live connection is down; the page still refreshes every minute and on Refresh'
      }
      className="inline-flex items-center gap-1.5 text-[12px] text-neutral-300"
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${live ? 'bg-emerald-400' : 'animate-pulse bg-amber-400'}`} />
      {live ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
}
