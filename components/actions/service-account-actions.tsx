'use client';

import { suggestionTitle } from '@/lib/actions/commands';
import type { Finding } from '@/lib/model/finding';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { ActionButton, useActionLauncher } from './action-launcher';

/** The finding whose fix comes first: the worst finding (findings arrive worst first) with a guided action. */
export function primaryFixOf(findings: Finding[]): Finding | undefined {
  return findings.find((finding) => finding.action && finding.action.type !== 'open-serviceaccount');
}

/**
 * The guided actions that apply to this service account as it is now. The primary button is the fix for the
 * worst finding; an action a finding asks for is offered with that finding's parameters, and "Fix trust policy"
 * only when a finding says the trust policy is what is wrong (where the trust passes there is nothing to fix).
 */
export function ServiceAccountActions({ row, isEks }: { row: ServiceAccountRow; isEks: boolean }) {
  const launcher = useActionLauncher();
  const target = { cluster: row.cluster, namespace: row.namespace, serviceAccount: row.name };
  const association = row.podIdentity;
  const primary = primaryFixOf(row.findings);
  const primaryType = primary?.action && primary.action.type !== 'open-serviceaccount' ? primary.action.type : undefined;
  const primaryAction = primary?.action && primaryType ? { type: primaryType, params: primary.action.params } : undefined;
  const trustFix = row.findings.find((finding) => finding.action?.type === 'fix-trust-policy');
  return (
    <section aria-label="Actions" className="space-y-2 rounded-lg border border-neutral-200 bg-white px-4 py-3">
      <h2 className="text-[11px] font-semibold tracking-wide text-neutral-600 uppercase">Actions</h2>
      {launcher && !launcher.canAct && <p className="text-[12px] text-neutral-600">{launcher.whyNot}</p>}
      {primary && primaryAction && (
        <p className="text-[12px] text-neutral-600">
          First: the fix for <span className="font-mono">{primary.code}</span>, the worst finding.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {primary && primaryAction && (
          <ActionButton
            variant="primary"
            label={`Fix ${primary.code}: ${suggestionTitle(primaryAction.type)}`}
            request={{ type: primaryAction.type, params: primaryAction.params }}
          />
        )}
        {(row.pods.total ?? 0) > 0 && primaryType !== 'roll-pods' && (
          <ActionButton label="Roll pods" request={{ type: 'roll-pods', params: target }} />
        )}
        {isEks && !association && primaryType !== 'create-association' && (
          <ActionButton label="Create association" request={{ type: 'create-association', params: target }} />
        )}
        {isEks && association && (
          <>
            {primaryType !== 'update-association' && (
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
            )}
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
        {trustFix?.action && primaryType !== 'fix-trust-policy' && (
          <ActionButton label="Fix trust policy" request={{ type: 'fix-trust-policy', params: trustFix.action.params }} />
        )}
        {row.exists && row.irsa && primaryType !== 'remove-irsa-annotation' && (
          <ActionButton label="Remove IRSA annotation" request={{ type: 'remove-irsa-annotation', params: target }} />
        )}
        {row.exists && primaryType !== 'set-sts-regional-endpoints' && (
          <ActionButton
            label="Set STS endpoint mode"
            request={{ type: 'set-sts-regional-endpoints', params: { ...target, value: row.sts.annotation === 'true' ? 'false' : 'true' } }}
          />
        )}
      </div>
    </section>
  );
}
