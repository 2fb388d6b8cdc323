import 'server-only';
import type { SourceError } from '@/lib/model/cluster-snapshot';
import type { ClusterRow, ServiceAccountDetail, ServiceAccountRow } from '@/lib/model/identity-row';
import type { Scope } from '@/lib/auth/scope';
import { buildDevFleet, detailKey, type DevFleet } from './dev-fixture';
import { filterServiceAccountRows, type ServiceAccountFilters } from './row-filters';

// Every read the pages and the API routes make goes through here. In this branch the data comes from the
// development fixture; at merge these bodies call collectFleet() and the identity core instead, and nothing
// above this module changes. Scoping happens here too, so no caller can forget it.

/** api.md "Lists": a source that could not be read, so a partial answer says what is missing. */
export type SourceErrorSummary = Pick<SourceError, 'cluster' | 'source' | 'operation' | 'code' | 'message' | 'missingPermission'>;

export interface ListResult<T> {
  items: T[];
  errors: SourceErrorSummary[];
  /** When the data was collected (RFC 3339): the "data as of" the UI shows. */
  collectedAt: string;
}

// The fixture is rebuilt at most every 15 s, like a collection cache with a TTL, so "data as of" and Refresh
// behave as they will over the real pipeline.
const FLEET_TTL_MS = 15_000;
let cachedFleet: { fleet: DevFleet; builtAt: number } | undefined;

function currentFleet(): DevFleet {
  const now = Date.now();
  if (!cachedFleet || now - cachedFleet.builtAt > FLEET_TTL_MS) cachedFleet = { fleet: buildDevFleet(now), builtAt: now };
  return cachedFleet.fleet;
}

function summarize(error: SourceError): SourceErrorSummary {
  return { cluster: error.cluster, source: error.source, operation: error.operation, code: error.code, message: error.message, ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}) };
}

function visibleErrors(fleet: DevFleet, scope: Scope): SourceErrorSummary[] {
  // A source error without a cluster (an account-wide IAM call) is shown to everyone: it degrades every row.
  return fleet.errors.filter((error) => !error.cluster || scope.canSeeCluster(error.cluster)).map(summarize);
}

/** Rows the caller may see (api.md: out of scope is the same as absent), filtered; unsorted and unpaged. */
export async function getServiceAccountRows(filters: ServiceAccountFilters, scope: Scope): Promise<ListResult<ServiceAccountRow>> {
  const fleet = currentFleet();
  const rows = fleet.rows.filter((row) => scope.canSeeNamespace(row.cluster, row.namespace));
  return { items: filterServiceAccountRows(rows, filters), errors: visibleErrors(fleet, scope), collectedAt: fleet.collectedAt };
}

/** The full detail (chain and pods), or null when unknown or outside the caller's scope. */
export async function getServiceAccountDetail(cluster: string, namespace: string, name: string, scope: Scope): Promise<(ServiceAccountDetail & { collectedAt: string }) | null> {
  if (!scope.canSeeNamespace(cluster, namespace)) return null;
  const fleet = currentFleet();
  const detail = fleet.details.get(detailKey(cluster, namespace, name));
  return detail ? { ...detail, collectedAt: fleet.collectedAt } : null;
}

export async function getClusterRows(scope: Scope): Promise<ListResult<ClusterRow>> {
  const fleet = currentFleet();
  return { items: fleet.clusters.filter((cluster) => scope.canSeeCluster(cluster.name)), errors: visibleErrors(fleet, scope), collectedAt: fleet.collectedAt };
}

export async function getClusterRow(name: string, scope: Scope): Promise<(ClusterRow & { errors: SourceErrorSummary[]; collectedAt: string }) | null> {
  if (!scope.canSeeCluster(name)) return null;
  const fleet = currentFleet();
  const cluster = fleet.clusters.find((candidate) => candidate.name === name);
  if (!cluster) return null;
  return { ...cluster, errors: fleet.errors.filter((error) => error.cluster === name).map(summarize), collectedAt: fleet.collectedAt };
}

/** Names for the filter pickers: the clusters and namespaces among the rows the caller may see. */
export async function getFilterOptions(scope: Scope): Promise<{ clusters: string[]; namespaces: string[] }> {
  const rows = currentFleet().rows.filter((row) => scope.canSeeNamespace(row.cluster, row.namespace));
  return { clusters: [...new Set(rows.map((row) => row.cluster))].sort(), namespaces: [...new Set(rows.map((row) => row.namespace))].sort() };
}

/**
 * The Kubernetes half of a service account's page (its pods), which the real pipeline has before the slow AWS
 * calls finish, so the page can stream it first. null when unknown or out of scope.
 */
export async function getServiceAccountPods(cluster: string, namespace: string, name: string, scope: Scope): Promise<ServiceAccountDetail['podDetails'] | null> {
  const detail = await getServiceAccountDetail(cluster, namespace, name, scope);
  return detail ? detail.podDetails : null;
}
