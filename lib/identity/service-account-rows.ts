import type { FleetState } from '@/lib/model/cluster-state';
import type { Finding } from '@/lib/model/finding';
import type { ClusterRow, Mechanism, PodDetail, PodMechanism, ServiceAccountDetail, ServiceAccountRow } from '@/lib/model/identity-row';
import { associationLimitOf } from './identity-facts';
import { permissionSummary } from './permission-view';
import { buildClusterContexts, evaluateCluster, evaluateServiceAccount, worstSeverity } from './evaluate-identity';
import {
  buildClusterContext,
  buildServiceAccountContext,
  desiredStsMode,
  lookupRole,
  serviceAccountKeys,
  type ClusterContext,
  type PodFacts,
  type ServiceAccountContext,
} from './identity-context';
import { roleNameOf } from '@/lib/model/arn';
import { issuerHostPath, sdkVerdictsForImage } from './identity-facts';
import { buildCredentialChain } from './credential-chain';
import { migrationReadiness } from '@/lib/migration/readiness';

// Row builders for the matrix, the SA page and the cluster page (api.md). Pure and linear in the fleet size.

export interface RowOptions {
  /** Only these clusters (by display name); all when omitted. */
  clusters?: string[];
}

/** Pods admitted before the change they should carry; null when that cannot be judged. */
export function stalePods(ctx: ServiceAccountContext): Set<string> | null {
  if (!ctx.pods) return null;
  const stale = new Set<string>();
  if (ctx.association) {
    for (const p of ctx.pods) if (!p.hasPodIdentityEnv) stale.add(p.name);
    return stale;
  }
  if (!ctx.associationsKnown) return null;
  if (ctx.irsa) {
    for (const p of ctx.pods) if (!p.hasIrsaEnv) stale.add(p.name);
    const desired = desiredStsMode(ctx).mode;
    if (desired !== 'unknown') {
      for (const p of ctx.pods) {
        if (p.stsRunning === null) continue;
        if (desired === 'regional' ? p.stsRunning !== 'regional' : p.stsRunning === 'regional') stale.add(p.name);
      }
    }
  }
  return stale;
}

function rowMechanism(ctx: ServiceAccountContext): { mechanism: Mechanism | 'unknown'; counts?: Partial<Record<PodMechanism, number>> } {
  if (!ctx.pods) return { mechanism: 'unknown' };
  if (ctx.pods.length === 0) {
    // No pods: what a new pod would get. The webhook injects only Pod Identity when both are configured.
    if (ctx.association) return { mechanism: 'pod-identity', counts: {} };
    if (!ctx.associationsKnown) return { mechanism: 'unknown', counts: {} };
    return { mechanism: ctx.irsa ? 'irsa' : 'none', counts: {} };
  }
  const counts: Partial<Record<PodMechanism, number>> = {};
  for (const p of ctx.pods) counts[p.mechanism] = (counts[p.mechanism] ?? 0) + 1;
  const kinds = Object.keys(counts) as PodMechanism[];
  return { mechanism: kinds.length === 1 ? kinds[0] : 'mixed', counts };
}

function buildRow(ctx: ServiceAccountContext, findings: Finding[]): ServiceAccountRow {
  const a = ctx.association;
  const running = { regional: 0, legacy: 0, unset: 0 };
  for (const p of ctx.pods ?? []) if (p.stsRunning) running[p.stsRunning]++;
  const stale = stalePods(ctx);
  const { mechanism, counts } = rowMechanism(ctx);
  const row: ServiceAccountRow = {
    cluster: ctx.cluster.name,
    namespace: ctx.namespace,
    name: ctx.name,
    exists: ctx.exists !== false,
    podIdentity: a
      ? {
          associationId: a.associationId,
          roleArn: a.roleArn ?? null,
          targetRoleArn: a.targetRoleArn ?? null,
          ownerArn: a.ownerArn ?? null,
          // Without DescribePodIdentityAssociation (roleArn absent) the flag is unknown.
          disableSessionTags: a.roleArn === undefined ? (a.disableSessionTags ?? null) : (a.disableSessionTags ?? false),
          ...(a.policy ? { policy: a.policy } : {}),
        }
      : null,
    irsa: ctx.irsa ? { roleArn: ctx.irsa.roleArn, audience: ctx.irsa.audience, tokenExpiration: ctx.irsa.tokenExpiration } : null,
    sts: { annotation: ctx.stsAnnotation, desired: desiredStsMode(ctx).mode, running },
    pods: { total: ctx.pods ? ctx.pods.length : null, stale: stale ? stale.size : null },
    mechanism,
    findings,
    worstSeverity: worstSeverity(findings),
  };
  if (counts) row.podMechanisms = counts;
  row.migration = migrationReadiness(ctx);
  const permissions = permissionSummary(ctx, findings);
  if (permissions) row.permissions = permissions;
  const unknown = unreadFor(ctx);
  if (unknown.length > 0) row.unknown = unknown;
  return row;
}

/** The sources this row depends on that could not be read (CL004 says why, at cluster level). */
function unreadFor(ctx: ServiceAccountContext): string[] {
  const unread: string[] = [];
  if (ctx.exists === null) unread.push('service accounts');
  if (!ctx.pods) unread.push('pods');
  if (ctx.cluster.isEks && !ctx.associationsKnown) unread.push('associations');
  const a = ctx.association;
  if (a && a.roleArn === undefined) unread.push(`association ${a.associationId}`);
  for (const arn of [a?.roleArn, a?.targetRoleArn, ctx.irsa?.roleArn]) {
    if (arn && lookupRole(ctx.fleet, arn)?.status === 'error') unread.push(`role ${roleNameOf(arn)}`);
  }
  return unread;
}

/** One row per service account, plus one per association whose service account does not exist. */
export function buildServiceAccountRows(fleet: FleetState, options: RowOptions = {}): ServiceAccountRow[] {
  const rows: ServiceAccountRow[] = [];
  for (const cluster of buildClusterContexts(fleet)) {
    if (options.clusters && !options.clusters.includes(cluster.name)) continue;
    for (const { namespace, name } of serviceAccountKeys(cluster)) {
      const ctx = buildServiceAccountContext(cluster, namespace, name);
      rows.push(buildRow(ctx, evaluateServiceAccount(ctx)));
    }
  }
  return rows;
}

/** One cluster's evaluated rows and its cluster row. */
export interface EvaluatedCluster {
  rows: ServiceAccountRow[];
  cluster: ClusterRow;
}

/**
 * The rows and cluster rows of the named clusters (all by default), judged against the whole fleet (roles, policies
 * and accounts are fleet-wide), awaiting `pause()` after every `slice` service accounts: at 50,000 service accounts
 * an evaluation takes seconds, and a server's one event loop answers no request meanwhile (issue 17's keystroke and
 * change-to-screen figures). Pausing lets requests in between; the result is buildServiceAccountRows' and
 * buildClusterRows', and each cluster's context is built once for both.
 */
export async function evaluateClustersInSlices(
  fleet: FleetState,
  pause: () => Promise<void>,
  options: { slice?: number; only?: ReadonlySet<string> } = {},
): Promise<Map<string, EvaluatedCluster>> {
  const slice = options.slice ?? 200;
  const evaluated = new Map<string, EvaluatedCluster>();
  let sinceLastPause = 0;
  for (const state of fleet.clusters) {
    if (options.only && !options.only.has(state.name)) continue;
    const cluster = buildClusterContext(fleet, state);
    const rows: ServiceAccountRow[] = [];
    for (const { namespace, name } of serviceAccountKeys(cluster)) {
      const ctx = buildServiceAccountContext(cluster, namespace, name);
      rows.push(buildRow(ctx, evaluateServiceAccount(ctx)));
      if (++sinceLastPause >= slice) {
        sinceLastPause = 0;
        await pause();
      }
    }
    evaluated.set(state.name, { rows, cluster: clusterRow(cluster) });
    await pause();
  }
  return evaluated;
}

/** What an informer event touched in one cluster: service accounts ("namespace/name") and whole namespaces. */
export interface RowTouch {
  serviceAccounts: ReadonlySet<string>;
  namespaces: ReadonlySet<string>;
}

/**
 * One cluster's rows after a Kubernetes change (issue 17): the rules re-run only for the service accounts the
 * change touched; every other row is the one it had (`previous`, by "namespace/name"). The order is the one
 * buildServiceAccountRows gives, so a patched view reads exactly as a rebuilt one. Also returns the cluster's row
 * (the cluster-level rules re-run too) and which keys were re-evaluated.
 */
export function patchClusterRows(
  fleet: FleetState,
  clusterName: string,
  touch: RowTouch,
  previous: ReadonlyMap<string, ServiceAccountRow>,
): { rows: ServiceAccountRow[]; cluster: ClusterRow | null; evaluated: string[] } {
  const state = fleet.clusters.find((c) => c.name === clusterName);
  if (!state) return { rows: [], cluster: null, evaluated: [] };
  const ctx = buildClusterContext(fleet, state);
  const rows: ServiceAccountRow[] = [];
  const evaluated: string[] = [];
  for (const { namespace, name } of serviceAccountKeys(ctx)) {
    const key = `${namespace}/${name}`;
    const kept = previous.get(key);
    if (kept && !touch.serviceAccounts.has(key) && !touch.namespaces.has(namespace)) {
      rows.push(kept);
      continue;
    }
    const saCtx = buildServiceAccountContext(ctx, namespace, name);
    rows.push(buildRow(saCtx, evaluateServiceAccount(saCtx)));
    evaluated.push(key);
  }
  return { rows, cluster: clusterRow(ctx), evaluated };
}

function podDetail(p: PodFacts, stale: Set<string> | null): PodDetail {
  return {
    name: p.name,
    namespace: p.namespace,
    node: p.nodeName,
    phase: p.pod.status?.phase ?? null,
    startTime: p.startTime,
    mechanism: p.mechanism,
    env: p.env,
    stale: stale?.has(p.name) ?? false,
    owner: p.owner,
    images: p.images.map(({ container, image }) => ({ container, image, sdkVerdicts: sdkVerdictsForImage(image) })),
  };
}

/** The SA page: the row, the credential chain top to bottom, and every pod. null when there is no such SA or association. */
export function buildServiceAccountDetail(
  fleet: FleetState,
  cluster: string,
  namespace: string,
  name: string,
): ServiceAccountDetail | null {
  const state = fleet.clusters.find((c) => c.name === cluster);
  if (!state) return null;
  const clusterCtx = buildClusterContext(fleet, state);
  const ctx = buildServiceAccountContext(clusterCtx, namespace, name);
  const seenInPods = (ctx.pods?.length ?? 0) > 0;
  if (ctx.exists === false && !ctx.association && !seenInPods) return null;
  if (ctx.exists === null && !ctx.association && !seenInPods) return null;
  const findings = evaluateServiceAccount(ctx);
  const row = buildRow(ctx, findings);
  const stale = stalePods(ctx);
  return { ...row, chain: buildCredentialChain(ctx, findings), podDetails: (ctx.pods ?? []).map((p) => podDetail(p, stale)) };
}

function clusterRow(ctx: ClusterContext): ClusterRow {
  const eks = ctx.eks;
  const row: ClusterRow = { name: ctx.name, kind: ctx.state.kind, findings: evaluateCluster(ctx) };
  // K3s, RKE2 and plain Kubernetes say their version only through /version; EKS's DescribeCluster wins below.
  if (ctx.state.serverVersion) row.version = ctx.state.serverVersion;
  if (!ctx.isEks) return row;
  if (eks) {
    row.region = eks.region;
    row.account = eks.account;
    if (eks.version) row.version = eks.version;
    if (eks.platformVersion) row.platformVersion = eks.platformVersion;
    if (eks.oidcIssuer) {
      row.oidcIssuer = eks.oidcIssuer;
      const providers = ctx.fleet.accounts[eks.account]?.oidcProviders;
      if (providers) row.oidcProviderRegistered = providers.some((p) => issuerHostPath(p) === issuerHostPath(eks.oidcIssuer!));
    }
  }
  if (ctx.stsDefault.mode === 'regional') row.stsRegionalDefault = true;
  else if (ctx.stsDefault.mode === 'legacy') row.stsRegionalDefault = false;
  if (ctx.agentAddon !== undefined || ctx.state.kube.agentDaemonSet) {
    const ds = ctx.state.kube.agentDaemonSet;
    row.podIdentityAgent = {
      addonVersion: ctx.agentAddon?.version ?? null,
      desired: ds?.status?.desiredNumberScheduled ?? null,
      ready: ds?.status?.numberReady ?? null,
    };
  }
  if (ctx.associations) row.associationCount = ctx.associations.length;
  if (ctx.state.eks?.accessEntries !== undefined) row.accessEntries = ctx.state.eks.accessEntries;
  if (ctx.state.consolePrincipalArn !== undefined) row.consolePrincipalArn = ctx.state.consolePrincipalArn;
  if (ctx.isEks) row.associationLimit = associationLimitOf(ctx);
  return row;
}

/** The cluster page: posture and the cluster-scope findings (PI008, PI010, CL*). */
export function buildClusterRows(fleet: FleetState): ClusterRow[] {
  return buildClusterContexts(fleet).map(clusterRow);
}
