import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// The console's Prometheus metrics (api.md "Operating the console"), one registry per process. Counters and
// histograms are recorded where the thing happens (lib/kube, lib/aws, lib/collect, lib/actions); the fleet
// gauges (findings, service accounts, snapshot ages, source health) are set from each evaluated fleet view
// (lib/console/fleet-metrics.ts), so a scrape never triggers a collection.

interface Metrics {
  registry: Registry;
  findings: Gauge<'cluster' | 'severity' | 'code'>;
  serviceAccounts: Gauge<'cluster' | 'mechanism'>;
  snapshotAge: Gauge<'source' | 'partition'>;
  snapshotMaxAge: Gauge<'source'>;
  etcdSnapshotAge: Gauge<'cluster' | 'location'>;
  etcdSnapshotMaxAge: Gauge<'cluster' | 'location'>;
  sourceUp: Gauge<'cluster' | 'source'>;
  upstreamRequests: Counter<'service' | 'operation' | 'outcome'>;
  upstreamDuration: Histogram<'service' | 'operation'>;
  collectDuration: Histogram<never>;
  fleetCollectedAt: Gauge<never>;
  actions: Counter<'type' | 'status'>;
  actionsRunning: Gauge<'type'>;
  backgroundHolder: Gauge<never>;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wic_' });
  const registers = [registry];
  return {
    registry,
    findings: new Gauge({
      name: 'wic_findings',
      help: 'Findings in the last evaluated fleet, by cluster, severity and code (findings.md).',
      labelNames: ['cluster', 'severity', 'code'],
      registers,
    }),
    serviceAccounts: new Gauge({
      name: 'wic_service_accounts',
      help: 'Service accounts by cluster and the AWS identity mechanism their pods get.',
      labelNames: ['cluster', 'mechanism'],
      registers,
    }),
    snapshotAge: new Gauge({
      name: 'wic_snapshot_age_seconds',
      help: 'Age of the newest Restate snapshot of each partition (now - created_at of latest.json).',
      labelNames: ['source', 'partition'],
      registers,
    }),
    snapshotMaxAge: new Gauge({
      name: 'wic_snapshot_max_age_seconds',
      help: 'The age past which a Restate partition is stale (SN001 threshold: 2 x snapshot-interval, maxAge, or 24 h).',
      labelNames: ['source'],
      registers,
    }),
    etcdSnapshotAge: new Gauge({
      name: 'wic_etcd_snapshot_age_seconds',
      help: 'Age of the newest successful K3s/RKE2 etcd snapshot per storage location.',
      labelNames: ['cluster', 'location'],
      registers,
    }),
    etcdSnapshotMaxAge: new Gauge({
      name: 'wic_etcd_snapshot_max_age_seconds',
      help: 'The age past which an etcd storage location is stale (SN005: 1.5 x the schedule interval).',
      labelNames: ['cluster', 'location'],
      registers,
    }),
    sourceUp: new Gauge({
      name: 'wic_source_up',
      help: 'Whether each source of a cluster was readable in the last collection (1) or not (0, with a CL004 finding).',
      labelNames: ['cluster', 'source'],
      registers,
    }),
    upstreamRequests: new Counter({
      name: 'wic_upstream_requests_total',
      help: 'Requests to the Kubernetes API and AWS, by service, operation and outcome (ok, or the error code).',
      labelNames: ['service', 'operation', 'outcome'],
      registers,
    }),
    upstreamDuration: new Histogram({
      name: 'wic_upstream_request_duration_seconds',
      help: 'Latency of requests to the Kubernetes API and AWS (including SDK retries).',
      labelNames: ['service', 'operation'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    collectDuration: new Histogram({
      name: 'wic_collect_duration_seconds',
      help: 'How long one collection and evaluation of the whole fleet took.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
      registers,
    }),
    fleetCollectedAt: new Gauge({
      name: 'wic_fleet_collected_timestamp_seconds',
      help: 'When the last evaluated fleet view was collected (Unix time).',
      registers,
    }),
    actions: new Counter({
      name: 'wic_actions_total',
      help: 'Guided actions by type and final status (succeeded, failed, stuck, cancelled, refused).',
      labelNames: ['type', 'status'],
      registers,
    }),
    actionsRunning: new Gauge({
      name: 'wic_actions_running',
      help: 'Guided actions applying now, by type.',
      labelNames: ['type'],
      registers,
    }),
    backgroundHolder: new Gauge({
      name: 'wic_background_holder',
      help: "1 on the replica that holds the store's background lock and runs the background fleet refreshes, 0 on the others.",
      registers,
    }),
  };
}

// On globalThis: Next compiles route handlers and pages into separate module graphs, which must share one registry.
const shared = globalThis as typeof globalThis & { __workloadIdentityMetrics?: Metrics };

export function metrics(): Metrics {
  return (shared.__workloadIdentityMetrics ??= createMetrics());
}

/** One upstream call's outcome and latency. `outcome` is "ok" or the error's code (AccessDenied, Forbidden, ECONNREFUSED…). */
export function recordUpstream(service: string, operation: string, outcome: string, seconds: number): void {
  const m = metrics();
  m.upstreamRequests.inc({ service, operation, outcome });
  m.upstreamDuration.observe({ service, operation }, seconds);
}

/** The outcome label of a failed call: its code, bounded so an odd error cannot create unbounded series. */
export function outcomeOf(error: unknown): string {
  const candidate = error as { name?: string; code?: string; reason?: string; Code?: string } | undefined;
  const code = candidate?.Code ?? candidate?.reason ?? candidate?.code ?? candidate?.name ?? 'Error';
  return /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(code) ? code : 'Error';
}
