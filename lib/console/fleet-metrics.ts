import 'server-only';
import type { Finding } from '@/lib/model/finding';
import type { SourceService } from '@/lib/model/cluster-state';
import { metrics } from '@/lib/metrics/metrics';
import { SN005_FACTOR } from '@/lib/snapshots';
import type { FleetViewWithSnapshots } from './fleet-extensions';

// The fleet gauges of /metrics (api.md "Operating the console"), set from each evaluated fleet view, so a
// scrape reports what the pages show and never starts a collection itself. Every gauge is reset first: a
// finding that went away, or a cluster removed from the config, must leave no series behind.

function findingKey(finding: Finding): string {
  return `${finding.code}\u0000${JSON.stringify(finding.subject)}`;
}

/** Every distinct finding of the view: a finding shown on several rows (a shared role's) is counted once. */
function distinctFindings(view: FleetViewWithSnapshots): Finding[] {
  const seen = new Map<string, Finding>();
  const add = (findings: Finding[]) => {
    for (const finding of findings) seen.set(findingKey(finding), finding);
  };
  for (const row of view.rows) add(row.findings);
  for (const cluster of view.clusters) add(cluster.findings);
  for (const source of view.snapshotSources) add(source.findings);
  return [...seen.values()];
}

function clusterOf(finding: Finding): string {
  const subject = finding.subject;
  return 'cluster' in subject && subject.cluster ? subject.cluster : '';
}

/** The sources the console reads per cluster: Kubernetes always, and EKS and IAM for an EKS cluster. */
function sourcesOf(kind: string): SourceService[] {
  return kind === 'eks' ? ['kubernetes', 'eks', 'iam'] : ['kubernetes'];
}

export function recordFleetMetrics(view: FleetViewWithSnapshots, collectSeconds: number): void {
  const m = metrics();

  m.findings.reset();
  const findingCounts = new Map<string, { cluster: string; severity: string; code: string; count: number }>();
  for (const finding of distinctFindings(view)) {
    const labels = { cluster: clusterOf(finding), severity: finding.severity, code: finding.code };
    const key = `${labels.cluster}\u0000${labels.severity}\u0000${labels.code}`;
    const entry = findingCounts.get(key) ?? { ...labels, count: 0 };
    entry.count++;
    findingCounts.set(key, entry);
  }
  for (const { count, ...labels } of findingCounts.values()) m.findings.set(labels, count);

  m.serviceAccounts.reset();
  const accountCounts = new Map<string, number>();
  for (const row of view.rows) {
    const key = `${row.cluster}\u0000${row.mechanism}`;
    accountCounts.set(key, (accountCounts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of accountCounts) {
    const [cluster, mechanism] = key.split('\u0000');
    m.serviceAccounts.set({ cluster, mechanism }, count);
  }

  m.snapshotAge.reset();
  m.snapshotMaxAge.reset();
  m.etcdSnapshotAge.reset();
  m.etcdSnapshotMaxAge.reset();
  for (const source of view.snapshotSources) {
    if (source.kind === 'restate') {
      m.snapshotMaxAge.set({ source: source.source }, source.threshold.seconds);
      for (const partition of source.partitions)
        if (partition.ageSeconds !== null)
          m.snapshotAge.set({ source: source.source, partition: String(partition.id) }, partition.ageSeconds);
    } else {
      for (const location of source.locations) {
        const labels = { cluster: source.cluster, location: location.location };
        m.etcdSnapshotMaxAge.set(labels, source.schedule.intervalSeconds * SN005_FACTOR);
        if (location.newestSuccess) m.etcdSnapshotAge.set(labels, location.newestSuccess.ageSeconds);
      }
    }
  }

  m.sourceUp.reset();
  const down = new Set(view.errors.map((error) => `${error.cluster ?? ''}\u0000${error.source}`));
  const sources = new Set<string>();
  for (const cluster of view.fleet.clusters) for (const source of sourcesOf(cluster.kind)) sources.add(`${cluster.name}\u0000${source}`);
  for (const key of down) sources.add(key);
  for (const key of sources) {
    const [cluster, source] = key.split('\u0000');
    m.sourceUp.set({ cluster, source }, down.has(key) ? 0 : 1);
  }

  m.collectDuration.observe(collectSeconds);
  m.fleetCollectedAt.set(Date.parse(view.collectedAt) / 1000);
}
