import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { roleNameOf } from '@/lib/model/arn';
import { CopyableCode } from '@/components/shell/copy-button';

export function Unknown({ why = 'could not be read' }: { why?: string }) {
  return (
    <span className="text-[12px] text-neutral-500 italic" title={`unknown: ${why}`}>
      unknown
    </span>
  );
}

export function Absent() {
  return (
    <span className="text-neutral-500" aria-label="none">
      —
    </span>
  );
}

/** "arn:aws:eks:…:addon/<cluster>/<addon-name>/<uuid>" -> "<addon-name>". */
function addonName(ownerArn: string): string {
  const parts = ownerArn.split(':').slice(5).join(':').split('/');
  return parts[0] === 'addon' && parts[2] ? parts[2] : ownerArn;
}

export function PodIdentityCell({ podIdentity }: { podIdentity: ServiceAccountRow['podIdentity'] }) {
  if (!podIdentity) return <Absent />;
  return (
    <div className="min-w-0 space-y-0.5">
      {podIdentity.roleArn ? (
        <CopyableCode value={podIdentity.roleArn} display={roleNameOf(podIdentity.roleArn)} />
      ) : (
        <Unknown why="DescribePodIdentityAssociation failed, so the role is not known" />
      )}
      {podIdentity.targetRoleArn && (
        <div className="flex items-center gap-1 text-[11px] text-neutral-500">
          <span aria-label="target role">→</span>
          <CopyableCode value={podIdentity.targetRoleArn} display={roleNameOf(podIdentity.targetRoleArn)} />
        </div>
      )}
      {podIdentity.ownerArn && (
        <span
          title={podIdentity.ownerArn}
          className="inline-flex rounded bg-neutral-100 px-1 text-[10.5px] font-medium text-neutral-600 ring-1 ring-neutral-200 ring-inset"
        >
          add-on: {addonName(podIdentity.ownerArn)}
        </span>
      )}
    </div>
  );
}

export function IrsaCell({ irsa }: { irsa: ServiceAccountRow['irsa'] }) {
  if (!irsa) return <Absent />;
  return (
    <div className="min-w-0 space-y-0.5">
      <CopyableCode value={irsa.roleArn} display={roleNameOf(irsa.roleArn)} />
      <div className="text-[11px] text-neutral-500" title="eks.amazonaws.com/audience">
        aud {irsa.audience}
        {irsa.tokenExpiration !== null && <> · exp {irsa.tokenExpiration}s</>}
      </div>
    </div>
  );
}
