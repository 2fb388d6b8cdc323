import type { ClusterRow } from '@/lib/model/identity-row';

// One rendering per posture fact, shared by the clusters table and the cluster page.

const unknown = <span className="text-neutral-500 italic">unknown</span>;
const notApplicable = <span className="text-neutral-500">n/a</span>;

export function KindBadge({ kind }: { kind: ClusterRow['kind'] }) {
  const style = kind === 'eks' ? 'bg-orange-50 text-orange-800 ring-orange-600/25' : 'bg-neutral-100 text-neutral-700 ring-neutral-500/25';
  return <span className={`rounded px-1.5 py-px text-[11px] font-semibold uppercase ring-1 ring-inset ${style}`}>{kind}</span>;
}

export function StsDefault({ cluster }: { cluster: ClusterRow }) {
  if (cluster.kind !== 'eks') return notApplicable;
  if (cluster.stsRegionalDefault === undefined) return unknown;
  return cluster.stsRegionalDefault ? (
    <span className="text-emerald-700">regional</span>
  ) : (
    <span className="text-amber-800">global (legacy)</span>
  );
}

export function OidcProvider({ cluster }: { cluster: ClusterRow }) {
  if (cluster.kind !== 'eks') return notApplicable;
  if (cluster.oidcProviderRegistered === undefined) return unknown;
  return cluster.oidcProviderRegistered ? (
    <span className="text-emerald-700">registered ✓</span>
  ) : (
    <span className="font-medium text-red-700">not registered</span>
  );
}

export function AgentStatus({ cluster }: { cluster: ClusterRow }) {
  if (cluster.kind !== 'eks') return notApplicable;
  const agent = cluster.podIdentityAgent;
  if (!agent) return unknown;
  if (!agent.addonVersion) return <span className="font-medium text-red-700">no add-on</span>;
  const readiness =
    agent.desired === null || agent.ready === null ? (
      <span className="text-neutral-500 italic">DaemonSet unknown</span>
    ) : (
      <span className={agent.ready < agent.desired ? 'font-semibold text-amber-800' : 'text-emerald-700'}>
        {agent.ready}/{agent.desired} ready
      </span>
    );
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-2">
      <code className="font-mono text-[12px] text-neutral-700">{agent.addonVersion}</code>
      {readiness}
    </span>
  );
}
