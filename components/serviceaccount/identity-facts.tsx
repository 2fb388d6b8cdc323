import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { CopyableCode } from '@/components/shell/copy-button';
import { MechanismBadge } from '@/components/matrix/mechanism-badge';
import { PodMechanismsCell, SnapshotCell, StsCell } from '@/components/matrix/runtime-cells';
import { SeverityBadge } from '@/components/findings/severity-badge';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-2 py-1.5">
      <dt className="text-[12px] text-neutral-500">{label}</dt>
      <dd className="min-w-0 text-[13px] text-neutral-800">{children}</dd>
    </div>
  );
}

const none = <span className="text-neutral-500">none</span>;

/** The service account's configured identity next to what its pods actually got. */
export function IdentityFacts({ row }: { row: ServiceAccountRow }) {
  const pi = row.podIdentity;
  return (
    <div className="divide-y divide-neutral-100 rounded-lg border border-neutral-200 bg-white px-4 py-1" aria-label="Identity">
      <dl>
        <Fact label="Status">
          <span className="flex flex-wrap items-center gap-1.5">
            {!row.worstSeverity && row.unknown?.length ? (
              <span
                title={`Not fully judged: could not read ${row.unknown.join(', ')}`}
                className="rounded bg-neutral-100 px-1.5 py-px text-[11px] font-medium text-neutral-600 ring-1 ring-neutral-300 ring-inset"
              >
                unknown
              </span>
            ) : (
              <SeverityBadge severity={row.worstSeverity ?? 'ok'} />
            )}
            <MechanismBadge mechanism={row.mechanism} />
            {!row.exists && (
              <span className="rounded bg-neutral-100 px-1.5 py-px text-[11px] font-medium text-neutral-600 ring-1 ring-neutral-300 ring-inset">
                SA missing
              </span>
            )}
          </span>
        </Fact>
        <Fact label="Pods get">
          <PodMechanismsCell row={row} />
        </Fact>
        <Fact label="Pods / stale">
          {row.pods.total === null ? (
            <span className="text-neutral-500 italic">unknown</span>
          ) : (
            <span className="tabular-nums">
              {row.pods.total} / <span className={row.pods.stale ? 'font-semibold text-amber-700' : ''}>{row.pods.stale ?? 'unknown'}</span>
            </span>
          )}
        </Fact>
      </dl>
      <dl>
        <Fact label="Pod Identity role">
          {pi ? pi.roleArn ? <CopyableCode value={pi.roleArn} wrap /> : <span className="text-neutral-500 italic">unknown</span> : none}
        </Fact>
        {pi && (
          <Fact label="Association">
            <CopyableCode value={pi.associationId} />
          </Fact>
        )}
        {pi?.targetRoleArn && (
          <Fact label="Target role">
            <CopyableCode value={pi.targetRoleArn} wrap />
          </Fact>
        )}
        {pi?.ownerArn && (
          <Fact label="Owned by">
            <CopyableCode value={pi.ownerArn} wrap />
          </Fact>
        )}
        {pi && (
          <Fact label="Session tags">
            {pi.disableSessionTags === null ? (
              <span className="text-neutral-500 italic">unknown</span>
            ) : pi.disableSessionTags ? (
              'disabled'
            ) : (
              'enabled'
            )}
          </Fact>
        )}
      </dl>
      <dl>
        <Fact label="IRSA role">{row.irsa ? <CopyableCode value={row.irsa.roleArn} wrap /> : none}</Fact>
        {row.irsa && (
          <Fact label="Audience">
            <code className="font-mono text-[12px]">{row.irsa.audience}</code>
          </Fact>
        )}
        {row.irsa?.tokenExpiration !== undefined && row.irsa?.tokenExpiration !== null && (
          <Fact label="Token expiry">{row.irsa.tokenExpiration}s</Fact>
        )}
        <Fact label="STS annotation">
          {row.sts.annotation === null ? none : <code className="font-mono text-[12px]">{row.sts.annotation}</code>}
        </Fact>
        <Fact label="STS mode">
          <StsCell row={row} />
        </Fact>
      </dl>
      {row.snapshots && (
        <dl>
          <Fact label="Snapshots">
            <SnapshotCell snapshots={row.snapshots} />
          </Fact>
          <Fact label="Sources">
            {row.snapshots.sources.map((source) => (
              <div key={source}>
                <CopyableCode value={source} wrap />
              </div>
            ))}
          </Fact>
        </dl>
      )}
    </div>
  );
}
