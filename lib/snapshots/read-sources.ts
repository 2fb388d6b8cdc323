import { severityOf } from '@/lib/identity/catalog';
import type { ClusterState, FleetState } from '@/lib/model/cluster-state';
import type { RestateSourceConfig } from './config';
import { normalizeDestinationUrl, parseS3Url } from './destination';
import { parseDurationSeconds } from './duration';
import { evaluateEtcdSnapshots } from './etcd';
import { envNameFor } from './restate-config';
import { discoverRestateWriters, type DiscoveredRestateWriter } from './restate-discovery';
import { readRestateSourceSafely, restateThreshold, type RestateSourceToRead } from './restate-source';
import { DEFAULT_ETCD_SCHEDULE_CRON } from './schedule';
import type { RestateSnapshotSource, S3Reader, S3ReaderContext, S3ReaderFactory, SnapshotSource } from './types';

/** The console config's `snapshots` section (see config.ts for the schema and its defaults). */
export interface SnapshotSourcesConfig {
  restate?: RestateSourceConfig[];
  etcd?: { schedule?: string; clusters?: Record<string, { schedule: string }> };
}

/**
 * Discovers every snapshot source of the fleet (Restate destinations from the clusters and the config, K3s/RKE2
 * etcd storage locations), reads the Restate ones through the injected S3 readers, and judges them all.
 * Pure except for the readers. SN006 needs the identity findings: apply `linkSnapshotCauses` to the result.
 */
export async function readSnapshotSources(
  fleet: FleetState,
  config: SnapshotSourcesConfig,
  s3: S3ReaderFactory,
  now: Date,
): Promise<SnapshotSource[]> {
  const clustersByName = new Map(fleet.clusters.map((cluster) => [cluster.name, cluster]));
  const targets: (RestateSourceToRead & { context: Omit<S3ReaderContext, 'bucket'> })[] = [];
  const unwritable: RestateSnapshotSource[] = [];

  for (const cluster of fleet.clusters) {
    let writers: readonly DiscoveredRestateWriter[];
    try {
      writers = discoverRestateWriters(cluster);
    } catch (error) {
      // Whatever a cluster holds, only that cluster's snapshot discovery fails (SN003 with the reason).
      unwritable.push(discoveryFailure(cluster, error));
      continue;
    }
    for (const writer of writers) {
      if (writer.settings.destination) targets.push(targetFromWriter(writer, cluster));
      else if (writer.problems.length > 0) unwritable.push(sourceWithoutDestination(writer));
      // else: settings such as aws-region alone, no destination and no interval: Restate takes no snapshots.
    }
  }

  (config.restate ?? []).forEach((entry, index) => {
    const url = normalizeDestinationUrl(entry.url);
    const overrideSeconds = entry.threshold !== undefined ? parseDurationSeconds(entry.threshold) : undefined;
    const intervalSeconds = entry.snapshotInterval !== undefined ? parseDurationSeconds(entry.snapshotInterval) : undefined;
    const maxAgeSeconds = entry.maxAge !== undefined ? parseDurationSeconds(entry.maxAge) : undefined;
    const matches = targets.filter((target) => target.source === url && (!entry.writer || target.cluster === entry.writer.cluster));
    if (matches.length > 0) {
      // The config names a destination discovery also found: it adds a name and overrides the threshold.
      for (const target of matches) {
        target.origin.push({ kind: 'console-config', index });
        if (entry.name) target.name = entry.name;
        if (entry.writer) target.writer = entry.writer;
        if (entry.region) target.context.region = entry.region;
        if (entry.account) target.context.account = entry.account;
        target.threshold = restateThreshold({
          overrideSeconds,
          snapshotIntervalSeconds: intervalSeconds ?? target.settings?.snapshotInterval?.value,
          maxAgeSeconds,
        });
      }
      return;
    }
    const cluster = entry.writer ? clustersByName.get(entry.writer.cluster) : undefined;
    targets.push({
      ...(entry.writer ? { cluster: entry.writer.cluster } : {}),
      source: url,
      ...(entry.name ? { name: entry.name } : {}),
      ...(entry.writer ? { writer: entry.writer } : {}),
      origin: [{ kind: 'console-config', index }],
      threshold: restateThreshold({ overrideSeconds, snapshotIntervalSeconds: intervalSeconds, maxAgeSeconds }),
      problems: [],
      context: {
        ...(entry.writer ? { cluster: entry.writer.cluster } : {}),
        ...accountAndRegion(cluster),
        ...(entry.account ? { account: entry.account } : {}),
        ...(entry.region ? { region: entry.region } : {}),
      },
    });
  });

  const restate = await Promise.all(
    targets.map((target) => {
      const location = parseS3Url(target.source);
      const reader = location ? readerOrFailure(s3, { bucket: location.bucket, ...target.context }) : null;
      const { context, ...toRead } = target;
      void context;
      return readRestateSourceSafely(toRead, reader, now);
    }),
  );

  const etcd = fleet.clusters.flatMap((cluster): SnapshotSource[] => {
    const schedule = config.etcd?.clusters?.[cluster.name]?.schedule ?? config.etcd?.schedule ?? DEFAULT_ETCD_SCHEDULE_CRON;
    try {
      return evaluateEtcdSnapshots(cluster, schedule, now);
    } catch (error) {
      return [discoveryFailure(cluster, error)];
    }
  });

  const byClusterThenSource = (a: SnapshotSource, b: SnapshotSource) =>
    (a.cluster ?? '').localeCompare(b.cluster ?? '') || a.source.localeCompare(b.source);
  return [...[...restate, ...unwritable].sort(byClusterThenSource), ...etcd.sort(byClusterThenSource)];
}

function targetFromWriter(
  writer: DiscoveredRestateWriter,
  cluster: ClusterState,
): RestateSourceToRead & { context: Omit<S3ReaderContext, 'bucket'> } {
  const settings = writer.settings;
  return {
    cluster: writer.cluster,
    source: normalizeDestinationUrl(settings.destination!.value),
    writer: writer.writer,
    origin: writer.origin,
    settings,
    threshold: restateThreshold({ snapshotIntervalSeconds: settings.snapshotInterval?.value }),
    problems: writer.problems,
    context: {
      cluster: writer.cluster,
      ...accountAndRegion(cluster),
      ...(settings.awsRegion ? { region: settings.awsRegion.value } : {}),
      ...(settings.awsEndpointUrl ? { endpointUrl: settings.awsEndpointUrl.value } : {}),
    },
  };
}

/**
 * A Restate deployment with snapshot settings but no usable destination (e.g. an interval without a
 * destination, which Restate refuses to start with): shown as failing with the problem as evidence.
 */
function sourceWithoutDestination(writer: DiscoveredRestateWriter): RestateSnapshotSource {
  const origin = writer.origin[0];
  const label =
    origin.kind === 'RestateCluster'
      ? `${writer.cluster}/RestateCluster/${origin.name}`
      : origin.kind === 'StatefulSet' || origin.kind === 'Deployment'
        ? `${writer.cluster}/${origin.namespace}/${origin.kind}/${origin.name}`
        : `${writer.cluster}/${writer.writer.namespace}/${writer.writer.serviceAccount}`;
  const destinationUnknown = writer.problems.some((problem) => problem.evidence.env === envNameFor('destination'));
  return {
    kind: 'restate',
    cluster: writer.cluster,
    source: label,
    writer: writer.writer,
    // A destination set from a Secret is unknown to the console; anything else here stops Restate from snapshotting.
    state: destinationUnknown ? 'unreadable' : 'failing',
    origin: writer.origin,
    settings: writer.settings,
    threshold: restateThreshold({ snapshotIntervalSeconds: writer.settings.snapshotInterval?.value }),
    partitions: [],
    problems: writer.problems,
    findings: [],
  };
}

/** A cluster whose objects could not be searched for snapshot settings: one unreadable source says why. */
function discoveryFailure(cluster: ClusterState, error: unknown): RestateSnapshotSource {
  const message = error instanceof Error ? error.message : String(error);
  const source = `${cluster.name}/snapshot settings`;
  const subject = { kind: 'snapshot-source' as const, source, cluster: cluster.name };
  return {
    kind: 'restate',
    cluster: cluster.name,
    source,
    state: 'unreadable',
    origin: [],
    threshold: restateThreshold({}),
    partitions: [],
    problems: [],
    error: { operation: 'discover snapshot settings', code: 'InvalidClusterData', message },
    findings: [
      {
        code: 'SN003',
        severity: severityOf('SN003'),
        subject,
        title: `Snapshot settings in ${cluster.name} cannot be read: ${message}`,
        evidence: { source, operation: 'discover snapshot settings', code: 'InvalidClusterData', message },
      },
    ],
  };
}

/** A factory that cannot give a reader (no credentials for that account, say) makes the source unreadable, not the page fail. */
function readerOrFailure(factory: S3ReaderFactory, context: S3ReaderContext): S3Reader {
  try {
    return factory(context);
  } catch (error) {
    const fail = () => Promise.reject(error);
    return { listObjectsV2All: fail, getObjectText: fail };
  }
}

function accountAndRegion(cluster: ClusterState | undefined): { account?: string; region?: string } {
  const facts = cluster?.eks?.cluster;
  return facts ? { account: facts.account, region: facts.region } : {};
}
