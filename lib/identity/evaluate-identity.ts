import type { FleetState } from '@/lib/model/cluster-state';
import { SEVERITY_RANK, type Finding, type Severity } from '@/lib/model/finding';
import { IDENTITY_RULES } from './rules';
import type { ClusterRule, ServiceAccountRule } from './rule-kit';
import {
  buildClusterContext,
  buildServiceAccountContext,
  serviceAccountKeys,
  type ClusterContext,
  type ServiceAccountContext,
} from './identity-context';

// Runs the one rule list over a fleet. Pure: data in, findings out.

const SA_RULES = IDENTITY_RULES.filter((r): r is ServiceAccountRule => r.scope === 'serviceaccount');
const CLUSTER_RULES = IDENTITY_RULES.filter((r): r is ClusterRule => r.scope === 'cluster');

/** Worst first, then by code, then by title: the order rows and pages show. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.code.localeCompare(b.code) || a.title.localeCompare(b.title),
  );
}

export function worstSeverity(findings: Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

export function evaluateServiceAccount(ctx: ServiceAccountContext): Finding[] {
  return sortFindings(SA_RULES.flatMap((r) => r.evaluate(ctx)));
}

export function evaluateCluster(ctx: ClusterContext): Finding[] {
  return sortFindings(CLUSTER_RULES.flatMap((r) => r.evaluate(ctx)));
}

export function buildClusterContexts(fleet: FleetState): ClusterContext[] {
  return fleet.clusters.map((c) => buildClusterContext(fleet, c));
}

/** Every identity finding of the fleet: cluster findings, then each service account's (and association's). */
export function evaluateFleet(fleet: FleetState): Finding[] {
  const out: Finding[] = [];
  for (const cluster of buildClusterContexts(fleet)) {
    out.push(...evaluateCluster(cluster));
    for (const { namespace, name } of serviceAccountKeys(cluster))
      out.push(...evaluateServiceAccount(buildServiceAccountContext(cluster, namespace, name)));
  }
  return out;
}
