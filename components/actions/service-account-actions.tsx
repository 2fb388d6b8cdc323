'use client';

import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { ActionButton, useActionLauncher } from './action-launcher';

/** The guided actions that apply to this service account as it is now. */
export function ServiceAccountActions({ row, isEks }: { row: ServiceAccountRow; isEks: boolean }) {
  const launcher = useActionLauncher();
  const target = { cluster: row.cluster, namespace: row.namespace, serviceAccount: row.name };
  const association = row.podIdentity;
  return (
    <section aria-label="Actions" className="space-y-2 rounded-lg border border-neutral-200 bg-white px-4 py-3">
      <h2 className="text-[11px] font-semibold tracking-wide text-neutral-500 uppercase">Actions</h2>
      {launcher && !launcher.canAct && <p className="text-[12px] text-neutral-500">{launcher.whyNot}</p>}
      <div className="flex flex-wrap gap-2">
        {(row.pods.total ?? 0) > 0 && <ActionButton variant="primary" label="Roll pods" request={{ type: 'roll-pods', params: target }} />}
        {isEks && !association && <ActionButton label="Create association" request={{ type: 'create-association', params: target }} />}
        {isEks && association && (
          <>
            <ActionButton
              label="Update association"
              request={{
                type: 'update-association',
                params: {
                  cluster: row.cluster,
                  associationId: association.associationId,
                  ...(association.roleArn ? { roleArn: association.roleArn } : {}),
                  ...(association.targetRoleArn ? { targetRoleArn: association.targetRoleArn } : {}),
                  disableSessionTags: association.disableSessionTags ?? false,
                  ...(association.policy ? { policy: association.policy } : {}),
                },
              }}
            />
            <ActionButton
              variant="danger"
              label="Delete association"
              request={{
                type: 'delete-association',
                params: { cluster: row.cluster, associationId: association.associationId },
                hint: { serviceAccount: row.name },
              }}
            />
          </>
        )}
        {association?.roleArn && (
          <ActionButton label="Fix trust policy" request={{ type: 'fix-trust-policy', params: { roleArn: association.roleArn } }} />
        )}
        {row.exists && row.irsa && (
          <ActionButton label="Remove IRSA annotation" request={{ type: 'remove-irsa-annotation', params: target }} />
        )}
        {row.exists && (
          <ActionButton
            label="Set STS endpoint mode"
            request={{ type: 'set-sts-regional-endpoints', params: { ...target, value: row.sts.annotation === 'true' ? 'false' : 'true' } }}
          />
        )}
      </div>
    </section>
  );
}
