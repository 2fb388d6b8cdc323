'use client';

import { ActionButton, ActionLauncherProvider } from '@/components/actions/action-launcher';
import { suggestionTitle } from '@/lib/actions/commands';
import type { Finding } from '@/lib/model/finding';
import type { ClusterRow } from '@/lib/model/identity-row';
import type { ListResult, SourceErrorSummary } from '@/lib/console/queries';
import { queryKeys } from '@/lib/console/query-keys';
import { FreshnessBar } from '@/components/shell/freshness-bar';
import { PartialDataBanner } from '@/components/shell/partial-data-banner';
import { useLiveJson } from '@/components/shell/use-live-json';
import { FindingList } from '@/components/findings/finding-list';
import { Section } from '@/components/shell/page-header';
import Link from 'next/link';
import { AccessEntries } from './access-entries';
import { ClusterPosture } from './cluster-posture';
import { clusterStatus, ClusterTable } from './cluster-table';
import { ClusterSnapshotHealth } from './snapshot-health';
import { ClusterSourceFreshness } from './source-freshness';
import { SeverityBadge } from '@/components/findings/severity-badge';

export function LiveClusters({ initial }: { initial: ListResult<ClusterRow> }) {
  const query = useLiveJson<ListResult<ClusterRow>>(queryKeys.clusterList(), '/api/v1/clusters', initial, initial.collectedAt);
  return (
    <div className="space-y-3">
      <div className="flex justify-end">
        <FreshnessBar
          asOf={query.data.collectedAt}
          isFetching={query.isFetching}
          error={query.error}
          onRefresh={() => void query.refetch()}
        />
      </div>
      <PartialDataBanner errors={query.data.errors} />
      {query.data.items.length ? (
        <ClusterTable clusters={query.data.items} />
      ) : (
        <p className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-10 text-center text-[13px] text-neutral-500">
          No clusters are configured, or none is in your scope.
        </p>
      )}
    </div>
  );
}

type ClusterWithErrors = ClusterRow & { errors: SourceErrorSummary[]; collectedAt: string };

/** A cluster finding's guided action (PI008: associate the unused role with a service account you choose). */
function ClusterFindingAction({ finding }: { finding: Finding }) {
  if (!finding.action || finding.action.type === 'open-serviceaccount') return null;
  return (
    <ActionButton
      variant="primary"
      label={`Fix: ${suggestionTitle(finding.action.type)}`}
      request={{ type: finding.action.type, params: finding.action.params }}
    />
  );
}

export function LiveCluster({ initial }: { initial: ClusterWithErrors }) {
  const apiPath = `/api/v1/clusters/${encodeURIComponent(initial.name)}`;
  const query = useLiveJson<ClusterWithErrors>(queryKeys.cluster(initial.name), apiPath, initial, initial.collectedAt);
  const cluster = query.data;
  // Whether the user may act in the namespace they pick is decided by the server when the plan is made.
  return (
    <ActionLauncherProvider canAct>
      <div className="space-y-5">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <Link
            href={`/?cluster=${encodeURIComponent(cluster.name)}`}
            className="rounded-md border border-neutral-300 bg-white px-2.5 py-1 text-[12px] font-medium text-neutral-700 shadow-xs hover:bg-neutral-50"
          >
            Service accounts in {cluster.name} →
          </Link>
          <FreshnessBar
            asOf={cluster.collectedAt}
            isFetching={query.isFetching}
            error={query.error}
            onRefresh={() => void query.refetch()}
          />
        </div>
        <PartialDataBanner errors={cluster.errors} />
        <p data-testid="cluster-status" className="flex flex-wrap items-center gap-2 text-[13px] text-neutral-700">
          <span className="font-medium text-neutral-900">Status</span>
          <SeverityBadge severity={clusterStatus(cluster)} />
          {cluster.findings.length + (cluster.snapshots?.findings.length ?? 0) === 0
            ? 'Nothing is wrong at cluster level or with its snapshots.'
            : `${cluster.findings.length} cluster finding${cluster.findings.length === 1 ? '' : 's'}, ${cluster.snapshots?.findings.length ?? 0} snapshot finding${cluster.snapshots?.findings.length === 1 ? '' : 's'}`}
        </p>
        <ClusterSourceFreshness cluster={cluster} />
        <ClusterPosture cluster={cluster} />
        <Section title="Cluster findings" description="Pod Identity capacity and unused roles (PI008, PI010), agent and platform (CL*)">
          <FindingList
            findings={cluster.findings}
            fixContext={{ region: cluster.region }}
            renderAction={(finding) => <ClusterFindingAction finding={finding} />}
            emptyText="No cluster-level findings."
          />
        </Section>
        <ClusterSnapshotHealth cluster={cluster} />
        {cluster.accessEntries !== undefined && (
          <Section
            title="Access entries"
            description="IAM principals that reach the Kubernetes API through EKS access entries (CL005 checks the console's own)"
          >
            <AccessEntries cluster={cluster} />
          </Section>
        )}
      </div>
    </ActionLauncherProvider>
  );
}
