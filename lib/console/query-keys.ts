// The TanStack Query keys of the pages' live data, in one place: the hooks that read an API route and the live
// event stream that patches or invalidates what they hold (components/shell/live-events.tsx) must agree on them.
// A prefix (the first element alone) names every query of that kind.

export const queryKeys = {
  /** Every cached matrix page. */
  matrixPages: () => ['serviceaccounts'] as const,
  /** One matrix page: the GET /api/v1/serviceaccounts search string (filters, sort, page, pageSize) it was read with. */
  matrixPage: (search: string) => ['serviceaccounts', search] as const,
  /** The filter pickers' choices under a view's filters (GET /api/v1/serviceaccounts/facets with that search string). */
  matrixFacets: (search: string) => ['serviceaccount-facets', search] as const,
  /** Every cached service account detail. */
  serviceAccounts: () => ['serviceaccount'] as const,
  serviceAccount: (cluster: string, namespace: string, name: string) => ['serviceaccount', cluster, namespace, name] as const,
  /** The /clusters list. */
  clusterList: () => ['clusters'] as const,
  /** Every cached cluster page. */
  clusters: () => ['cluster'] as const,
  cluster: (name: string) => ['cluster', name] as const,
};
