'use client';

import { serviceAccountDetailFromJson, type ServiceAccountDetailJson } from '@/lib/console/api-shapes';
import { queryKeys } from '@/lib/console/query-keys';
import { staleReferenceOf } from '@/lib/console/detail-view';
import { CredentialChain } from '@/components/chain/credential-chain';
import { FindingList } from '@/components/findings/finding-list';
import { PodsTable } from '@/components/pods/pods-table';
import { FreshnessBar } from '@/components/shell/freshness-bar';
import { Section } from '@/components/shell/page-header';
import { useLiveJson } from '@/components/shell/use-live-json';
import { IdentityFacts } from './identity-facts';
import { ActionButton, ActionLauncherProvider } from '@/components/actions/action-launcher';
import { primaryFixOf, ServiceAccountActions } from '@/components/actions/service-account-actions';
import { suggestionTitle } from '@/lib/actions/commands';
import { workloadsToRestart } from '@/lib/actions/roll-pods/commands';
import type { Finding } from '@/lib/model/finding';

/**
 * A finding's suggested action as a button that opens the guided flow (not for "open the SA": that is a link).
 * Only the worst finding's fix is the primary button; the others are secondary, so one fix is pushed first.
 */
function FindingActionButton({ finding, primary }: { finding: Finding; primary: boolean }) {
  if (!finding.action || finding.action.type === 'open-serviceaccount') return null;
  return (
    <ActionButton
      variant={primary ? 'primary' : 'secondary'}
      label={`Fix: ${suggestionTitle(finding.action.type)}`}
      request={{ type: finding.action.type, params: finding.action.params }}
    />
  );
}

/** A service account's findings, credential chain and pods, kept fresh from its API route. */
export function LiveServiceAccountDetail({
  initial,
  apiPath,
  region,
  isEks,
  canAct,
  whyNot,
}: {
  initial: ServiceAccountDetailJson;
  apiPath: string;
  region?: string;
  isEks: boolean;
  canAct: boolean;
  whyNot?: string;
}) {
  const query = useLiveJson<ServiceAccountDetailJson>(
    queryKeys.serviceAccount(initial.cluster, initial.namespace, initial.name),
    apiPath,
    initial,
    initial.collectedAt ?? '',
  );
  const detail = serviceAccountDetailFromJson(query.data);
  const fixContext = { region, workloads: workloadsToRestart(detail.podDetails) };
  const primaryFix = primaryFixOf(detail.findings);
  return (
    <ActionLauncherProvider canAct={canAct} whyNot={whyNot}>
      <div className="space-y-5">
        <div className="flex justify-end">
          <FreshnessBar
            asOf={query.data.collectedAt ?? ''}
            isFetching={query.isFetching}
            error={query.error}
            onRefresh={() => void query.refetch()}
          />
        </div>
        <div className="grid gap-5 xl:grid-cols-[minmax(0,1fr)_400px]">
          <div className="min-w-0 space-y-5">
            <Section
              title="Findings"
              description={detail.findings.length ? `${detail.findings.length} for this service account` : undefined}
            >
              <FindingList
                findings={detail.findings}
                fixContext={fixContext}
                renderAction={(finding) => <FindingActionButton finding={finding} primary={finding === primaryFix} />}
                emptyText="Nothing is wrong with this service account's credentials."
              />
            </Section>
            <Section title="Credential chain" description="top to bottom, as the pods get their credentials">
              <div className="rounded-lg border border-neutral-200 bg-white px-4 pt-4 pb-0">
                <CredentialChain steps={detail.chain} />
              </div>
            </Section>
          </div>
          <aside className="min-w-0 space-y-4 xl:sticky xl:top-16 xl:self-start">
            <IdentityFacts row={detail} />
            <ServiceAccountActions row={detail} isEks={isEks} />
          </aside>
        </div>
        <Section title="Pods" description={detail.podDetails.length ? `${detail.podDetails.length} running or pending` : undefined}>
          <PodsTable pods={detail.podDetails} staleReference={staleReferenceOf(detail)} />
        </Section>
      </div>
    </ActionLauncherProvider>
  );
}
