'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/** Thrown for a non-2xx answer, carrying the API's error envelope message (api.md "Errors"). */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** GET a JSON API route; `signal` aborts it (TanStack Query passes one, and aborts a read nobody shows any more). */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store', signal });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiRequestError(message, response.status);
  }
  return (await response.json()) as T;
}

function withRefresh(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}refresh=1`;
}

/**
 * Server-rendered data kept fresh from a JSON API route: the page's first render needs no request,
 * the data re-polls every minute and on focus (from the server's cache), and `refetch`, the Refresh button,
 * asks the server to re-read every source now (`?refresh=1`).
 *
 * `initialIsCurrent: false` says the server rendered `initialData` for another key (the URL changed in the browser
 * since): it then only stands in, as a previous key's data does, until this key's answer arrives
 * (`isPlaceholderData`). A read for a key no longer shown is aborted, and each answer lands under its own key, so
 * a slow earlier answer never replaces a later one on screen.
 */
export function useLiveJson<T>(
  queryKey: readonly unknown[],
  url: string,
  initialData: T,
  collectedAt: string,
  { initialIsCurrent = true }: { initialIsCurrent?: boolean } = {},
) {
  const query = useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchJson<T>(url, signal),
    initialData: () => (initialIsCurrent ? initialData : undefined),
    // An unparseable time counts as old, so the first focus refetches.
    initialDataUpdatedAt: Date.parse(collectedAt) || 0,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const queryClient = useQueryClient();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error | null>(null);
  const refetch = async () => {
    setRefreshing(true);
    try {
      queryClient.setQueryData(queryKey, await fetchJson<T>(withRefresh(url)));
      setRefreshError(null);
    } catch (error) {
      setRefreshError(error as Error);
    } finally {
      setRefreshing(false);
    }
  };
  // With initial or placeholder data there is always data; the fallback only satisfies the generic overload's typing.
  return {
    data: query.data ?? initialData,
    isFetching: query.isFetching || refreshing,
    // A previous key's data, or (with none) the server's render for another key, stands in.
    isPlaceholderData: query.isPlaceholderData || query.data === undefined,
    error: refreshError ?? query.error,
    refetch,
  };
}
