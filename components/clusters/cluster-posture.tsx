import type { ClusterRow } from '@/lib/model/identity-row';
import { CopyableCode } from '@/components/shell/copy-button';
import { AssociationLimitBar } from './association-limit-bar';
import { AgentStatus, KindBadge, OidcProvider, StsDefault } from './posture-values';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg border border-neutral-200 bg-white px-4 py-3">
      <dt className="text-[11px] font-medium tracking-wide text-neutral-500 uppercase">{label}</dt>
      <dd className="mt-1 min-w-0 text-[13px] text-neutral-900">{children}</dd>
    </div>
  );
}

/** A cluster's Pod Identity and IRSA posture as a grid of facts. */
export function ClusterPosture({ cluster }: { cluster: ClusterRow }) {
  const eks = cluster.kind === 'eks';
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Posture">
      <Fact label="Kind">
        <span className="flex items-center gap-2">
          <KindBadge kind={cluster.kind} />
          {eks && cluster.region && <span className="text-neutral-600">{cluster.region}</span>}
          {cluster.account && <span className="font-mono text-[12px] text-neutral-500">{cluster.account}</span>}
        </span>
      </Fact>
      <Fact label="Kubernetes version">{cluster.version ?? <span className="text-neutral-500 italic">unknown</span>}</Fact>
      <Fact label="Platform version">
        {eks ? (
          (cluster.platformVersion ?? <span className="text-neutral-500 italic">unknown</span>)
        ) : (
          <span className="text-neutral-500">n/a</span>
        )}
      </Fact>
      <Fact label="STS default">
        <StsDefault cluster={cluster} />
      </Fact>
      <Fact label="OIDC provider">
        <div className="space-y-1">
          <OidcProvider cluster={cluster} />
          {cluster.oidcIssuer && (
            <div>
              <CopyableCode value={cluster.oidcIssuer} />
            </div>
          )}
        </div>
      </Fact>
      <Fact label="Pod Identity agent">
        <AgentStatus cluster={cluster} />
      </Fact>
      <Fact label="Associations">
        {eks ? (
          <AssociationLimitBar count={cluster.associationCount} limit={cluster.associationLimit} />
        ) : (
          <span className="text-neutral-500">n/a</span>
        )}
      </Fact>
      <Fact label="Findings">
        <span className="tabular-nums">{cluster.findings.length}</span>
      </Fact>
    </dl>
  );
}
