import 'server-only';
import { recordRefusal } from '@/lib/audit/audit-log';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { apiError } from '@/lib/http/errors';
import { scopeOf } from './get-principal';
import type { Principal } from './principal';
import type { RoleFacts } from './scope';

/**
 * The authorize step of the action wrapper (design.md "Actions"): an action on a namespace needs an operator
 * grant covering it; a cluster-wide action (no namespace) needs an operator grant on all of the cluster's
 * namespaces. A refusal is audited and answered 403 in the api.md envelope (issue 5: "actions outside scope are
 * refused (403), and the refusal is audited"); the 403 is the same whether or not the target exists.
 * Returns undefined when the principal may act.
 */
export async function refuseUnlessCanAct(
  principal: Principal,
  actionType: string,
  target: AuditTarget,
  request: unknown,
): Promise<Response | undefined> {
  const scope = scopeOf(principal);
  if (scope.isAdmin) return undefined;
  let reason: string | undefined;
  if (!target.cluster) reason = `${actionType} has no cluster to authorize against; only admins may run it`;
  else if (target.namespace) {
    if (!scope.canAct(target.cluster, target.namespace))
      reason = scope.canSeeNamespace(target.cluster, target.namespace)
        ? `your role on ${target.cluster}/${target.namespace} is viewer; acting needs operator`
        : `${target.cluster}/${target.namespace} is outside your teams' scope`;
  } else if (!scope.canActOnCluster(target.cluster))
    reason = `${actionType} changes all of ${target.cluster}; it needs an operator grant on every namespace there`;
  if (!reason) return undefined;
  await recordRefusal(principal, actionType, target, request, reason);
  return apiError(403, 'forbidden', `Refused: ${reason}.`, { actionType, target });
}

/**
 * Role scope (issue 10 "Role scope"): an operator may bind, or fix the trust policy of, only roles that a
 * `roles` pattern (and `roleTags`, when set) of the grant covering the target allows. The refusal is 403,
 * audited, and names the missing pattern or tags and the config line that would allow it.
 */
export async function refuseUnlessCanBindRole(
  principal: Principal,
  actionType: string,
  target: AuditTarget,
  role: RoleFacts,
  request: unknown,
): Promise<Response | undefined> {
  const scope = scopeOf(principal);
  if (scope.isAdmin) return undefined;
  if (!target.cluster) {
    const reason = `${actionType} of ${role.arn} has no cluster to authorize against; only admins may run it`;
    await recordRefusal(principal, actionType, { ...target, roleArn: role.arn }, request, reason);
    return apiError(403, 'forbidden', `Refused: ${reason}.`, { actionType, target });
  }
  const decision = scope.roleBinding(target.cluster, target.namespace, role);
  if (decision.allowed) return undefined;
  await recordRefusal(principal, actionType, { ...target, roleArn: role.arn }, request, decision.reason);
  return apiError(403, 'forbidden', `Refused: ${decision.reason}.`, {
    actionType,
    target: { ...target, roleArn: role.arn },
    ...(decision.missingPattern ? { missingPattern: decision.missingPattern } : {}),
    ...(decision.missingTags ? { missingTags: decision.missingTags } : {}),
  });
}
