import type { Scope } from '@/lib/auth/scope';
import type { PodDetail } from '@/lib/model/identity-row';
import { serviceAccountDetailJson } from '@/lib/console/api-shapes';
import { getClusterRow, getServiceAccountDetail } from '@/lib/console/queries';
import { getServiceAccountPermissions } from '@/lib/console/permission-queries';
import { PodsTable } from '@/components/pods/pods-table';
import { Section } from '@/components/shell/page-header';
import { BlockSkeleton } from '@/components/shell/skeletons';
import { LiveServiceAccountDetail } from './live-service-account-detail';
import { AwsAccess } from './aws-access';

interface Identity {
  cluster: string;
  namespace: string;
  name: string;
}

export function detailApiPath({ cluster, namespace, name }: Identity): string {
  return `/api/v1/serviceaccounts/${encodeURIComponent(cluster)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** The AWS half (findings, chain, trust policy): awaited under <Suspense> so the Kubernetes half shows first. */
export async function ServiceAccountDetailSection({ identity, scope }: { identity: Identity; scope: Scope }) {
  const [detail, cluster] = await Promise.all([
    getServiceAccountDetail(identity.cluster, identity.namespace, identity.name, scope),
    getClusterRow(identity.cluster, scope),
  ]);
  if (!detail) {
    return (
      <p role="status" className="rounded-lg border border-neutral-200 bg-white px-4 py-3 text-[13px] text-neutral-500">
        This service account disappeared while the page loaded.
      </p>
    );
  }
  const { collectedAt, ...rest } = detail;
  const canAct = scope.canAct(identity.cluster, identity.namespace);
  const whyNot = canAct ? undefined : `You can view ${identity.namespace} but not act there: actions need the operator role.`;
  return (
    <LiveServiceAccountDetail
      initial={serviceAccountDetailJson(rest, collectedAt)}
      apiPath={detailApiPath(identity)}
      region={cluster?.region}
      isEks={cluster?.kind === 'eks'}
      canAct={canAct}
      whyNot={whyNot}
    />
  );
}

/** What shows while AWS answers: the pods, already read from Kubernetes, under a chain placeholder. */
export function KubernetesFirstFallback({ pods }: { pods: PodDetail[] }) {
  return (
    <div className="space-y-5">
      <Section title="Findings and credential chain" description="checking AWS…">
        <BlockSkeleton lines={5} label="Checking the credential chain" />
      </Section>
      <Section title="Pods" description={pods.length ? `${pods.length} running or pending` : undefined}>
        <PodsTable pods={pods} staleReference={null} />
      </Section>
    </div>
  );
}

/** "AWS access": what the SA's identity may do, the "Can it…?" box and "Ask AWS". */
export async function AwsAccessSection({ identity, scope }: { identity: Identity; scope: Scope }) {
  const permissions = await getServiceAccountPermissions(identity.cluster, identity.namespace, identity.name, scope);
  if (!permissions) return null;
  return (
    <Section title="AWS access" description="what this identity may do, after boundary, session policy and explicit denies">
      <AwsAccess initial={permissions} apiPath={detailApiPath(identity)} />
    </Section>
  );
}

export function AwsAccessFallback() {
  return (
    <Section title="AWS access" description="reading the role's policies…">
      <BlockSkeleton lines={4} label="Reading the role's policies" />
    </Section>
  );
}
