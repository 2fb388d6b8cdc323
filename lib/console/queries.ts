import 'server-only';
import type { ClusterState, FleetState, SourceError } from '@/lib/model/cluster-state';
import type { ClusterRow, ClusterSources, ServiceAccountDetail, ServiceAccountRow } from '@/lib/model/identity-row';
import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import { refreshLimited, takeRefresh } from '@/lib/http/refresh-limit';
import { loadConsoleConfig } from '@/lib/config/console-config';
import { resolveClusterTargets, type ClusterTarget } from '@/lib/config/cluster-targets';
import {
  collectCache,
  collectFleet,
  collectKubeSide,
  clusterStateOf,
  discoverClusterTargets,
  kubeInformers,
  lookUpNewRoles,
  type KubeInformers,
  type KubeTouch,
} from '@/lib/collect';
import type { ConsoleConfig } from '@/lib/config/schema';
import { isDeepStrictEqual } from 'node:util';
import {
  buildServiceAccountDetail,
  buildServiceAccountRows,
  evaluateClustersInSlices,
  patchClusterRows,
  type EvaluatedCluster,
} from '@/lib/identity';
import type { ServiceAccountFilters } from './row-filters';
import {
  filterFacets,
  filterLastingRows,
  filterServiceAccountRows,
  searchNamesRow,
  sortedServiceAccountRows,
  sortServiceAccountRows,
  warmSearchIndex,
  type FilterFacets,
} from './row-match';
import { withSnapshotHealth } from './cluster-snapshots';
import { roleArnsOf } from '@/lib/collect/collect-fleet';
import { nextTurn } from '@/lib/collect/turns';
import { applyFleetExtensions, withSnapshotState, type FleetViewWithSnapshots } from './fleet-extensions';
import { recordFleetMetrics } from './fleet-metrics';
import { logger } from '@/lib/log/logger';
import {
  changedKeys,
  fingerprintsInSlices,
  fingerprintsOf,
  publishFleetChange,
  serviceAccountKey,
  serviceAccountRefOf,
  type Fingerprints,
} from '@/lib/collect/fleet-changes';

// Every read the pages and the API routes make goes through here: collectFleet() (cached, single-flight,
// bounded) and the pure identity core. Scoping happens here too, so no caller can forget it.

/** api.md "Lists": a source that could not be read, so a partial answer says what is missing. */
export type SourceErrorSummary = Pick<SourceError, 'cluster' | 'source' | 'operation' | 'code' | 'message' | 'missingPermission'>;

export interface ListResult<T> {
  items: T[];
  /**
   * Rows a search names (row-match's searchNamesRow) that lie outside the caller's scope: only a count, and only
   * for non-admins with a search, so "hidden from you" never looks like "nothing there".
   */
  outsideScope?: number;
  errors: SourceErrorSummary[];
  /** When the data was collected (RFC 3339): the "data as of" the UI shows. */
  collectedAt: string;
}

/** One evaluated collection: the fleet state and everything derived from it, shared by every page until it expires. */
export interface FleetView {
  fleet: FleetState;
  targets: ClusterTarget[];
  rows: ServiceAccountRow[];
  clusters: ClusterRow[];
  errors: SourceError[];
  collectedAt: string;
}

/**
 * A view, and when it was ready: the next collection starts a cache TTL after that, so at fleet scale, where one
 * takes longer than the TTL, the console is not collecting without pause (the view's `collectedAt` says how old
 * its reads are).
 */
interface SettledFleetView {
  view: FleetViewWithSnapshots;
  readyAt: number;
}

/** A collection in flight, and what informers touched meanwhile (it may have read them before the change). */
interface FleetViewBuild {
  view: Promise<FleetViewWithSnapshots>;
  touchedMeanwhile: Map<string, KubeTouch>;
}

// Kept on globalThis: Next compiles pages and route handlers into separate module graphs, and both must see
// the same view (a Refresh or an action through the API must not leave pages on an older one).
// `settled` is the view pages are served; `building` the collection that will replace it (single-flight).
// `published` holds the fingerprints of the rows last published, so the next rebuild can tell which rows changed;
// `touches` gathers what informer events touched until the view is patched; `unsubscribe` is the listener's.
interface FleetViewSlot {
  settled?: SettledFleetView;
  building?: FleetViewBuild;
  published?: { rows: Fingerprints; clusters: Fingerprints };
  touches: Map<string, KubeTouch>;
  patching?: Promise<void>;
  unsubscribe?: () => void;
  /** When the last forced refresh (`?refresh=1`) took effect. */
  forcedAt?: number;
  /**
   * The last evaluation, per cluster, with the inputs it judged: a collection whose inputs for a cluster are the same
   * data reuses its rows instead of judging them again (kept across forgetFleetView: it is reused only on equal data).
   */
  evaluated?: Map<string, JudgedCluster>;
}

/** A cluster's rows and cluster row, with exactly what they were judged against. */
interface JudgedCluster extends EvaluatedCluster {
  state: ClusterState;
  fleetWide: FleetWideInputs;
}
const shared = globalThis as typeof globalThis & { __workloadIdentityFleetView?: FleetViewSlot };
const fleetViewSlot: FleetViewSlot = (shared.__workloadIdentityFleetView ??= { touches: new Map() });
// A slot made by an older build of this module (the dev server re-evaluates modules) has no touches yet.
fleetViewSlot.touches ??= new Map();

const round = (seconds: number) => Math.round(seconds * 100) / 100;

/** Lets waiting I/O (requests, informer events) run before the next slice of a long evaluation. */
const yieldToRequests = nextTurn;

function viewTtlMs(): number {
  return loadConsoleConfig().aws.cacheTtlSeconds * 1000;
}

/** The configured clusters and those clusters[].discover finds (ListClusters, cached like every AWS read). */
async function targetsOf(config: ConsoleConfig): Promise<{ targets: ClusterTarget[]; sourceErrors: SourceError[] }> {
  const configured = resolveClusterTargets(config);
  const discovered = await discoverClusterTargets(config, configured);
  return { targets: [...configured, ...discovered.targets], sourceErrors: discovered.sourceErrors };
}

async function consoleTargets(): Promise<ClusterTarget[]> {
  return (await targetsOf(loadConsoleConfig())).targets;
}

/**
 * Whether a cluster of this name is configured or discovered (discovery is a cached ListClusters), asked before a
 * page streams anything so that it can still answer 404.
 */
export async function isConfiguredCluster(name: string): Promise<boolean> {
  return (await consoleTargets()).some((target) => target.name === name);
}

function allSourceErrors(fleet: FleetState): SourceError[] {
  return [...fleet.clusters.flatMap((cluster) => cluster.sourceErrors), ...fleet.sourceErrors];
}

/**
 * The console's informers when `kube.informers` is on (the default), configured from CONSOLE_CONFIG, with the
 * fleet view listening to what they see change.
 */
function consoleInformers(config: ConsoleConfig): KubeInformers | undefined {
  if (!config.kube.informers) return undefined;
  const informers = kubeInformers();
  informers.configure({
    watchTimeoutSeconds: config.kube.watchTimeoutSeconds,
    backoffInitialMs: config.kube.backoffInitialMs,
    backoffMaxMs: config.kube.backoffMaxMs,
  });
  fleetViewSlot.unsubscribe ??= informers.subscribe(queueTouch);
  return informers;
}

async function buildFleetView(): Promise<FleetViewWithSnapshots> {
  const config = loadConsoleConfig();
  const { targets, sourceErrors: discoveryErrors } = await targetsOf(config);
  const started = performance.now();
  let phases: { clustersSeconds: number; iamSeconds: number } | undefined;
  const collected = await collectFleet(targets, {
    aws: config.aws,
    informers: consoleInformers(config),
    onPhases: (reported) => (phases = reported),
  });
  const evaluating = performance.now();
  const fleet = { ...collected, sourceErrors: [...discoveryErrors, ...collected.sourceErrors] };
  const { rows, clusters, evaluatedClusters } = await evaluateFleet(fleet);
  const view: FleetView = { fleet, targets, rows, clusters, errors: allSourceErrors(fleet), collectedAt: fleet.collectedAt };
  const extended = keepRowsOfSettledView(await applyFleetExtensions(view, config));
  const seconds = (performance.now() - started) / 1000;
  recordFleetMetrics(extended, seconds);
  await publishChangesOf(extended);
  // One line per collection: at fleet scale, where the time goes (README "Benchmarks", the fleet bench reads it).
  logger().info(
    {
      seconds: round(seconds),
      clustersSeconds: phases && round(phases.clustersSeconds),
      iamSeconds: phases && round(phases.iamSeconds),
      evaluateSeconds: round((performance.now() - evaluating) / 1000),
      evaluatedClusters,
      clusters: targets.length,
      serviceAccounts: view.rows.length,
      sourceErrors: view.errors.length,
    },
    'fleet view collected',
  );
  return extended;
}

/**
 * The settled view's rows array itself when the new rows are the same (a collection that found nothing new): the
 * orders, indexes and search texts worked out for that array (row-match, fleet-events) stay valid, and the first
 * search after a collection does not sort 50,000 rows again.
 */
function keepRowsOfSettledView(view: FleetViewWithSnapshots): FleetViewWithSnapshots {
  const previous = fleetViewSlot.settled?.view.rows;
  if (!previous || previous.length !== view.rows.length) return view;
  // Rows kept from the last evaluation are the same objects; snapshot writers' rows are joined anew each time, and
  // are few: past a thousand rows that are new objects, something was judged again, and comparing stops.
  let compared = 0;
  for (let index = 0; index < previous.length; index++) {
    if (view.rows[index] === previous[index]) continue;
    if (++compared > 1_000 || !isDeepStrictEqual(view.rows[index], previous[index])) return view;
  }
  return { ...view, rows: previous };
}

/** What every cluster's rows are judged against besides the cluster itself. */
type FleetWideInputs = Pick<FleetState, 'roles' | 'policies' | 'accounts' | 'bucketPolicies' | 'sourceErrors'>;

function fleetWideInputsOf(fleet: FleetState): FleetWideInputs {
  return {
    roles: fleet.roles,
    policies: fleet.policies,
    accounts: fleet.accounts,
    bucketPolicies: fleet.bucketPolicies,
    sourceErrors: fleet.sourceErrors,
  };
}

/** A cluster's state without the time it was read, which no rule judges. */
const judgedStateOf = (state: ClusterState): ClusterState => ({ ...state, collectedAt: '' });

/**
 * The rows and cluster rows of a collection. Most collections find nothing new (listings and rolling re-reads that
 * return what was there), so a cluster whose state and the fleet-wide facts (roles, policies, accounts) are the same
 * data as at the last evaluation keeps its rows: comparing is cheap, since unchanged reads are the very objects
 * the cache and informers already held. The rest are judged in slices, so pages keep being answered meanwhile.
 */
async function evaluateFleet(fleet: FleetState): Promise<{ rows: ServiceAccountRow[]; clusters: ClusterRow[]; evaluatedClusters: number }> {
  const previous = fleetViewSlot.evaluated;
  const fleetWide = fleetWideInputsOf(fleet);
  // Most clusters were judged against one and the same fleet-wide object: compared once.
  const sameFleetWide = new Map<FleetWideInputs, boolean>();
  const reusable = (state: ClusterState): JudgedCluster | undefined => {
    const kept = previous?.get(state.name);
    if (!kept) return undefined;
    let same = sameFleetWide.get(kept.fleetWide);
    if (same === undefined) sameFleetWide.set(kept.fleetWide, (same = isDeepStrictEqual(kept.fleetWide, fleetWide)));
    return same && isDeepStrictEqual(judgedStateOf(kept.state), judgedStateOf(state)) ? kept : undefined;
  };
  const kept = new Map(fleet.clusters.map((state) => [state.name, reusable(state)]));
  const stale = new Set(fleet.clusters.filter((state) => !kept.get(state.name)).map((state) => state.name));
  const evaluatedNow =
    stale.size > 0 ? await evaluateClustersInSlices(fleet, yieldToRequests, { only: stale }) : new Map<string, EvaluatedCluster>();
  const evaluation = new Map<string, JudgedCluster>();
  for (const state of fleet.clusters) {
    const result = evaluatedNow.get(state.name) ?? kept.get(state.name)!;
    evaluation.set(state.name, { state, fleetWide, rows: result.rows, cluster: result.cluster });
  }
  fleetViewSlot.evaluated = evaluation;
  const results = [...evaluation.values()];
  return {
    rows: results.flatMap((result) => result.rows),
    clusters: results.map((result) => result.cluster),
    evaluatedClusters: stale.size,
  };
}

/**
 * Until informers say what changed, a rebuilt view is compared with the previous one row by row (fingerprints),
 * and the service accounts and clusters whose rows differ are published to open pages (GET /api/v1/events).
 * The first view publishes nothing: there was nothing on screen to patch.
 */
async function publishChangesOf(view: FleetView): Promise<void> {
  const next = {
    rows: await fingerprintsInSlices(view.rows, serviceAccountKey, yieldToRequests),
    clusters: fingerprintsOf(view.clusters, (cluster) => cluster.name),
  };
  const previous = fleetViewSlot.published;
  fleetViewSlot.published = next;
  if (!previous) return;
  publishFleetChange({
    at: view.collectedAt,
    clusters: changedKeys(previous.clusters, next.clusters),
    serviceAccounts: changedKeys(previous.rows, next.rows).map(serviceAccountRefOf),
  });
}

/**
 * The evaluated fleet, built once per cache TTL however many pages and API calls ask at the same time
 * (single-flight). Once a view exists, an older one is served while the next is collected (stale-while-
 * revalidate): at 200,000 pods a collection outlasts the TTL, and making every request wait for it meant no
 * request was ever answered (issue 17's bench). The rebuild publishes what changed to open pages. `fresh`
 * waits for a view within the TTL instead, for the guided actions, which plan against it. A failed build is
 * not kept, so the next request tries again.
 */
export function currentFleetView(options: { fresh?: boolean } = {}): Promise<FleetViewWithSnapshots> {
  const settled = fleetViewSlot.settled;
  if (settled && Date.now() - settled.readyAt <= viewTtlMs()) return Promise.resolve(settled.view);
  const building = fleetViewSlot.building ?? startFleetViewBuild();
  if (settled && !options.fresh) return Promise.resolve(settled.view);
  return building.view;
}

/**
 * Sorts a newly settled view's rows in the default order and indexes them for search just after it settles, so
 * the first search of them (a keystroke) does not wait ~50 ms at 50,000 rows for it. A view replaced meanwhile
 * is left alone; rows kept from the last view keep their search texts, so this is a join, not a rebuild.
 */
function warmSettledView(view: FleetViewWithSnapshots): void {
  setImmediate(() => {
    if (fleetViewSlot.settled?.view === view) warmSearchIndex(view.rows);
  });
}

function startFleetViewBuild(): FleetViewBuild {
  const build: FleetViewBuild = { view: buildFleetView(), touchedMeanwhile: new Map() };
  fleetViewSlot.building = build;
  build.view.then(
    (view) => {
      if (fleetViewSlot.building !== build) return; // forgotten meanwhile: an action or a Refresh wants newer
      fleetViewSlot.building = undefined;
      fleetViewSlot.settled = { view, readyAt: Date.now() };
      warmSettledView(view);
      // Changes the collection may have read before they happened are patched into the new view.
      for (const touch of build.touchedMeanwhile.values()) queueTouch(touch);
    },
    () => {
      if (fleetViewSlot.building === build) fleetViewSlot.building = undefined;
    },
  );
  return build;
}

/**
 * Starts a collection when the evaluated fleet is older than the cache TTL, without waiting for it: a scrape
 * of /metrics calls this, so the fleet gauges follow the fleet while Prometheus watches even when nobody has
 * a page open, at most once per TTL.
 */
export function keepFleetViewFresh(): void {
  currentFleetView().catch((error: unknown) => {
    logger().warn({ err: error }, 'background fleet collection failed');
  });
}

/**
 * An informer saw a change: remember what it touched and patch the view soon. Events arriving together (a
 * rollout's pods, a relist) are patched as one: the patch runs once the one before it finished.
 */
function queueTouch(touch: KubeTouch): void {
  mergeTouch(fleetViewSlot.touches, touch);
  if (fleetViewSlot.building && touch.cluster !== '') mergeTouch(fleetViewSlot.building.touchedMeanwhile, touch);
  fleetViewSlot.patching ??= new Promise<void>((resolve) => setTimeout(resolve, PATCH_DELAY_MS))
    .then(patchFleetView)
    .catch((error: unknown) => logger().warn({ err: error }, 'patching the fleet view after a Kubernetes change failed'))
    .finally(() => {
      fleetViewSlot.patching = undefined;
      if (fleetViewSlot.touches.size > 0) queueTouch({ cluster: '', serviceAccounts: new Set(), namespaces: new Set() });
    });
}

function mergeTouch(touches: Map<string, KubeTouch>, touch: KubeTouch): void {
  const pending = touches.get(touch.cluster);
  if (!pending)
    touches.set(touch.cluster, {
      cluster: touch.cluster,
      serviceAccounts: new Set(touch.serviceAccounts),
      namespaces: new Set(touch.namespaces),
    });
  else {
    for (const key of touch.serviceAccounts) pending.serviceAccounts.add(key);
    for (const namespace of touch.namespaces) pending.namespaces.add(namespace);
  }
}

/** How long events are gathered before the view is patched: short against the 2 s a change may take to show. */
const PATCH_DELAY_MS = 50;

/**
 * Applies the gathered touches to the current view: each touched cluster's Kubernetes half is read again from
 * its informers, the rules re-run for the touched service accounts and the cluster, and the change is published
 * to open pages. No view yet (or one still building, which reads the informers itself) needs no patch.
 */
async function patchFleetView(): Promise<void> {
  const entry = fleetViewSlot.settled;
  const touches = [...fleetViewSlot.touches.values()].filter((touch) => touch.cluster !== '');
  fleetViewSlot.touches.clear();
  if (!entry || touches.length === 0) return;
  const view = entry.view;
  const config = loadConsoleConfig();
  const informers = consoleInformers(config);
  if (!informers) return;
  let fleet = view.fleet;
  const touched = touches.filter((touch) => view.targets.some((target) => target.name === touch.cluster));
  for (const touch of touched) {
    const target = view.targets.find((candidate) => candidate.name === touch.cluster)!;
    const kubeSide = await collectKubeSide(target, { cache: collectCache(), informers });
    fleet = {
      ...fleet,
      clusters: fleet.clusters.map((state) =>
        state.name === touch.cluster
          ? {
              ...state,
              kube: kubeSide.kube,
              sourceErrors: [...kubeSide.sourceErrors, ...state.sourceErrors.filter((error) => error.source !== 'kubernetes')],
            }
          : state,
      ),
    };
  }
  // An IRSA annotation may now name a role nobody looked up yet.
  const newRoles = await lookUpNewRoles(view.targets, fleet);
  if (Object.keys(newRoles.roles).length > 0)
    fleet = { ...fleet, roles: { ...fleet.roles, ...newRoles.roles }, sourceErrors: [...fleet.sourceErrors, ...newRoles.sourceErrors] };

  let rows = view.rows;
  let clusters = view.clusters;
  const changedServiceAccounts: { cluster: string; namespace: string; name: string }[] = [];
  for (const touch of touched) {
    const previous = new Map(rows.filter((row) => row.cluster === touch.cluster).map((row) => [`${row.namespace}/${row.name}`, row]));
    const patch = patchClusterRows(fleet, touch.cluster, touch, previous);
    rememberEvaluated(fleet, touch.cluster, patch);
    const patchedRows = withSnapshotState(patch.rows, view.snapshotSources);
    const kept = new Set(patchedRows.map((row) => `${row.namespace}/${row.name}`));
    for (const key of patch.evaluated) changedServiceAccounts.push(refOf(touch.cluster, key));
    for (const key of previous.keys()) if (!kept.has(key)) changedServiceAccounts.push(refOf(touch.cluster, key));
    // The cluster's rows stay where they were in the list; only their contents change.
    const first = rows.findIndex((row) => row.cluster === touch.cluster);
    const others = rows.filter((row) => row.cluster !== touch.cluster);
    rows = first < 0 ? [...others, ...patchedRows] : [...others.slice(0, first), ...patchedRows, ...others.slice(first)];
    if (patch.cluster) clusters = clusters.map((row) => (row.name === touch.cluster ? patch.cluster! : row));
  }
  if (fleetViewSlot.settled !== entry) {
    // A rebuild settled meanwhile, maybe from reads older than these events: patch that one instead.
    for (const touch of touched) queueTouch(touch);
    return;
  }
  const patched: FleetViewWithSnapshots = { ...view, fleet, rows, clusters, errors: allSourceErrors(fleet) };
  fleetViewSlot.settled = { ...entry, view: patched };
  warmSettledView(patched);
  rememberPublished(
    patched,
    changedServiceAccounts,
    touched.map((touch) => touch.cluster),
  );
  publishFleetChange({
    at: new Date().toISOString(),
    clusters: touched.map((touch) => touch.cluster),
    serviceAccounts: changedServiceAccounts,
  });
}

/** Keeps the last evaluation in step with a patch, so the next collection, reading the same data, keeps these rows. */
function rememberEvaluated(fleet: FleetState, cluster: string, patch: ReturnType<typeof patchClusterRows>): void {
  const state = fleet.clusters.find((candidate) => candidate.name === cluster);
  if (!fleetViewSlot.evaluated || !state || !patch.cluster) return;
  fleetViewSlot.evaluated.set(cluster, { state, fleetWide: fleetWideInputsOf(fleet), rows: patch.rows, cluster: patch.cluster });
}

/** Keeps the published fingerprints in step with a patch, for only the rows it changed (not a hash of every row). */
function rememberPublished(
  view: FleetView,
  serviceAccounts: { cluster: string; namespace: string; name: string }[],
  clusters: string[],
): void {
  const published = fleetViewSlot.published;
  if (!published) return;
  const changed = new Set(serviceAccounts.map(serviceAccountKey));
  const rows = view.rows.filter((row) => changed.has(serviceAccountKey(row)));
  for (const key of changed) published.rows.delete(key);
  for (const [key, fingerprint] of fingerprintsOf(rows, serviceAccountKey)) published.rows.set(key, fingerprint);
  for (const [key, fingerprint] of fingerprintsOf(
    view.clusters.filter((cluster) => clusters.includes(cluster.name)),
    (cluster) => cluster.name,
  ))
    published.clusters.set(key, fingerprint);
}

function refOf(cluster: string, key: string): { cluster: string; namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { cluster, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * Whether an evaluated fleet is at hand (currentFleetView answers at once, with a stale one while the next is
 * collected), so a page need not draw a Kubernetes-only placeholder first.
 */
export function isFleetViewReady(): boolean {
  return fleetViewSlot.settled !== undefined;
}

/**
 * Forget the evaluated fleet and the collected reads for a cluster (or a role), after the console changed it,
 * so the next page shows the change. Called by the guided actions.
 */
export function forgetFleetView(): void {
  fleetViewSlot.settled = undefined;
  fleetViewSlot.building = undefined;
}

/** A forced refresh rebuilds at most this often, so a held-down Refresh cannot hammer AWS. */
const MIN_FORCED_REFRESH_MS = 2_000;

/**
 * The Refresh button (`?refresh=1` on the read APIs): re-read every source now instead of serving cached
 * reads. At most once per MIN_FORCED_REFRESH_MS: counted from the last forced refresh, not from the last view,
 * so a view the background refresh (or another page) started a moment earlier, before the change the user
 * wants to see, never swallows their Refresh.
 */
export function refreshFleetView(): void {
  const now = Date.now();
  if (fleetViewSlot.forcedAt !== undefined && now - fleetViewSlot.forcedAt < MIN_FORCED_REFRESH_MS) return;
  fleetViewSlot.forcedAt = now;
  collectCache().clear();
  // The informers list again too: the next view waits for their lists (and shows what they fail with).
  if (loadConsoleConfig().kube.informers) kubeInformers().relistAll();
  forgetFleetView();
}

/**
 * For route handlers: honours `?refresh=1`, at most as often as the principal's refresh budget allows
 * (lib/http/refresh-limit.ts). Returns the 429 to answer when the budget is spent.
 */
export function refreshIfAsked(request: Request, principal: Principal): Response | undefined {
  if (new URL(request.url).searchParams.get('refresh') !== '1') return undefined;
  const retryAfter = takeRefresh(principal);
  if (retryAfter !== undefined) return refreshLimited(retryAfter);
  refreshFleetView();
  return undefined;
}

function summarize(error: SourceError): SourceErrorSummary {
  return {
    cluster: error.cluster,
    source: error.source,
    operation: error.operation,
    code: error.code,
    message: error.message,
    ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
  };
}

function visibleErrors(view: FleetView, scope: Scope): SourceErrorSummary[] {
  // A source error without a cluster (an account-wide IAM call) is shown to everyone: it degrades every row.
  return view.errors.filter((error) => !error.cluster || scope.canSeeCluster(error.cluster)).map(summarize);
}

/**
 * Rows the caller may see (api.md: out of scope is the same as absent), filtered and in the order `sort` gives
 * (the view's rows are sorted once per order and filtered from there, so a keystroke in the search sorts nothing).
 */
export async function getServiceAccountRows(
  filters: ServiceAccountFilters,
  scope: Scope,
  sort?: string,
): Promise<ListResult<ServiceAccountRow>> {
  const view = await currentFleetView();
  const ordered = sortedServiceAccountRows(view.rows, sort);
  // Filtered before scoping (the same rows either way): the sorted array lasts, so its search index does too.
  const matching = filterLastingRows(ordered, filters);
  const items = scope.isAdmin ? matching : matching.filter((row) => scope.canSeeNamespace(row.cluster, row.namespace));
  const q = filters.q?.trim();
  // A row a search names by a whole word holds the search in its search text: only those are tested.
  const outsideScope =
    q && !scope.isAdmin
      ? filterLastingRows(ordered, { q }).filter((row) => !scope.canSeeNamespace(row.cluster, row.namespace) && searchNamesRow(row, q))
          .length
      : undefined;
  return {
    items,
    errors: visibleErrors(view, scope),
    collectedAt: view.collectedAt,
    ...(outsideScope !== undefined ? { outsideScope } : {}),
  };
}

/** The full detail (chain and pods), or null when unknown or outside the caller's scope. */
export async function getServiceAccountDetail(
  cluster: string,
  namespace: string,
  name: string,
  scope: Scope,
): Promise<(ServiceAccountDetail & { collectedAt: string }) | null> {
  if (!scope.canSeeNamespace(cluster, namespace)) return null;
  const view = await currentFleetView();
  const detail = buildServiceAccountDetail(view.fleet, cluster, namespace, name);
  if (!detail) return null;
  // The row carries fleet extensions (snapshot freshness) the pure detail builder does not know about.
  const row = view.rows.find((candidate) => candidate.cluster === cluster && candidate.namespace === namespace && candidate.name === name);
  return {
    ...detail,
    ...(row?.snapshots ? { snapshots: row.snapshots } : {}),
    findings: row?.findings ?? detail.findings,
    worstSeverity: row?.worstSeverity ?? detail.worstSeverity,
    collectedAt: view.collectedAt,
  };
}

/**
 * How current a cluster's sources are: its informers' watch state, the age of the AWS collection and, from the
 * cache, of this cluster's association listing and of the oldest IAM read of its roles.
 */
export function sourcesOf(cluster: ClusterRow, view: FleetView): ClusterSources {
  const now = Date.now();
  const ageOf = (at: string) => Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  const config = loadConsoleConfig();
  const health = config.kube.informers ? kubeInformers().health(cluster.name) : undefined;
  const state = view.fleet.clusters.find((candidate) => candidate.name === cluster.name);
  const kube = health ?? { state: 'listed' as const, ageSeconds: ageOf(state?.collectedAt ?? view.collectedAt) };
  if (cluster.kind !== 'eks') return { kube };
  const cache = collectCache();
  const listedAt = cache.oldestLoad('eks:ListPodIdentityAssociations', (params) => params.cluster === cluster.name);
  const roleArns = new Set(state ? roleArnsOf([state]) : []);
  const iamAt = roleArns.size > 0 ? cache.oldestLoad('iam:GetRole', (params) => roleArns.has(String(params.roleArn))) : undefined;
  const aws: NonNullable<ClusterSources['aws']> = { ageSeconds: ageOf(view.fleet.collectedAt) };
  if (listedAt !== undefined) aws.associationsListedSeconds = ageOf(new Date(listedAt).toISOString());
  const iamPeriodSeconds = Math.round(cache.rollingPeriodMs('iam') / 1000);
  if (iamAt !== undefined) {
    aws.iamReadSeconds = ageOf(new Date(iamAt).toISOString());
    aws.iamRereadPeriodSeconds = iamPeriodSeconds;
  }
  const listedAge = aws.associationsListedSeconds ?? aws.ageSeconds;
  if (listedAge > Math.max(2 * config.aws.listSeconds, 60) || (aws.iamReadSeconds ?? 0) > Math.max(2 * iamPeriodSeconds, 60))
    aws.stale = true;
  return { kube, aws };
}

export async function getClusterRows(scope: Scope): Promise<ListResult<ClusterRow>> {
  const view = await currentFleetView();
  return {
    items: view.clusters
      .filter((cluster) => scope.canSeeCluster(cluster.name))
      .map((cluster) => ({ ...withSnapshotHealth(cluster, view.snapshotSources, scope), sources: sourcesOf(cluster, view) })),
    errors: visibleErrors(view, scope),
    collectedAt: view.collectedAt,
  };
}

export async function getClusterRow(
  name: string,
  scope: Scope,
): Promise<(ClusterRow & { errors: SourceErrorSummary[]; collectedAt: string }) | null> {
  if (!scope.canSeeCluster(name)) return null;
  const view = await currentFleetView();
  const cluster = view.clusters.find((candidate) => candidate.name === name);
  if (!cluster) return null;
  return {
    ...withSnapshotHealth(cluster, view.snapshotSources, scope),
    sources: sourcesOf(cluster, view),
    errors: view.errors.filter((error) => error.cluster === name).map(summarize),
    collectedAt: view.collectedAt,
  };
}

/** The filter pickers' choices among the rows the caller may see, each narrowed by the other filters (row-match's filterFacets). */
export async function getFilterOptions(scope: Scope, filters: ServiceAccountFilters = {}): Promise<FilterFacets> {
  // The search is applied first, from the view's index (no picker's choices ignore it), then the scope.
  const { q, ...others } = filters;
  // In the default order (facets don't depend on it), whose index the search of the rows themselves built.
  const rows = filterLastingRows(sortedServiceAccountRows((await currentFleetView()).rows), { q }).filter((row) =>
    scope.canSeeNamespace(row.cluster, row.namespace),
  );
  return filterFacets(rows, others);
}

/** Configured and discovered clusters the caller may see, so a link naming any other cluster can be told so. */
export async function visibleClusterNames(scope: Scope): Promise<string[]> {
  return (await consoleTargets()).map((target) => target.name).filter((name) => scope.canSeeCluster(name));
}

/** A cluster from its Kubernetes half alone; an EKS cluster's AWS facts are unread (null), never "none". */
function kubernetesOnlyState(kubeSide: Awaited<ReturnType<typeof collectKubeSide>>, target: ClusterTarget): ClusterState {
  const state = clusterStateOf(kubeSide, undefined);
  return target.eks ? { ...state, kind: 'eks', eks: { cluster: null, addons: null, associations: null } } : state;
}

/**
 * The matrix as Kubernetes alone tells it, for the first paint while the AWS calls are still under way: EKS
 * clusters' AWS facts are marked unread (null), so the rules that need them stay silent and the rows say
 * "unknown" rather than guessing. Cached Kubernetes reads are shared with the full collection.
 */
export async function getKubernetesFirstRows(
  filters: ServiceAccountFilters,
  scope: Scope,
  sort?: string,
): Promise<ListResult<ServiceAccountRow>> {
  const targets = await consoleTargets();
  const cache = collectCache();
  const informers = consoleInformers(loadConsoleConfig());
  const kubeSides = await Promise.all(targets.map((target) => collectKubeSide(target, { cache, informers })));
  const clusters = kubeSides.map((kubeSide, index) => {
    return kubernetesOnlyState(kubeSide, targets[index]);
  });
  const collectedAt = new Date().toISOString();
  const fleet: FleetState = { clusters, roles: {}, accounts: {}, sourceErrors: [], collectedAt };
  const rows = buildServiceAccountRows(fleet).filter((row) => scope.canSeeNamespace(row.cluster, row.namespace));
  const errors = clusters
    .flatMap((cluster) => cluster.sourceErrors)
    .filter((error) => !error.cluster || scope.canSeeCluster(error.cluster))
    .map(summarize);
  return { items: sortServiceAccountRows(filterServiceAccountRows(rows, filters), sort), errors, collectedAt };
}

/**
 * The Kubernetes half of a service account's page (its pods), read from the cluster alone so the page can show
 * it before the slow AWS calls finish. Pods' mechanisms and env come from the pods themselves; staleness
 * against an association needs AWS and is filled in when the full detail streams in. null when unknown or out of scope.
 */
export async function getServiceAccountPods(
  cluster: string,
  namespace: string,
  name: string,
  scope: Scope,
): Promise<ServiceAccountDetail['podDetails'] | null> {
  if (!scope.canSeeNamespace(cluster, namespace)) return null;
  const target = (await consoleTargets()).find((candidate) => candidate.name === cluster);
  if (!target) return null;
  const kubeSide = await collectKubeSide(target, { cache: collectCache(), informers: consoleInformers(loadConsoleConfig()) });
  const state = kubernetesOnlyState(kubeSide, target);
  const kubeOnly: FleetState = { clusters: [state], roles: {}, accounts: {}, sourceErrors: [], collectedAt: state.collectedAt };
  return buildServiceAccountDetail(kubeOnly, cluster, namespace, name)?.podDetails ?? null;
}
