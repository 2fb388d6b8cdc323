import 'server-only';
import { recordIntent, recordPlan, recordResult } from '@/lib/audit/audit-log';
import type { AuditTarget } from '@/lib/audit/audit-store';
import { scopeOf } from '@/lib/auth/get-principal';
import { refuseUnlessCanAct, refuseUnlessCanBindRole } from '@/lib/auth/authorize';
import type { RoleFacts } from '@/lib/auth/scope';
import { getRole } from '@/lib/aws/iam';
import { parseRoleArn } from '@/lib/model/arn';
import type { Principal } from '@/lib/auth/principal';
import { collectCache, invalidateCollected } from '@/lib/collect';
import { forgetFleetView } from '@/lib/console/queries';
import { apiError } from '@/lib/http/errors';
import { metrics } from '@/lib/metrics/metrics';
import { logger } from '@/lib/log/logger';
import { recordKubeEvent } from '@/lib/kube/writes';
import { ActionError, loadActionContext, type ActionContext } from './action-context';
import { settle, type ActionDefinition, type Settled } from './definition';
import { actionRecord, finishJob, isCancelRequested, jobWritesSettled, reportProgress, requestCancel, startJob } from './jobs';
import { ACTIONS } from './registry';
import { actionRequestSchema, fieldErrors, type ActionKind, type ActionParams } from './schemas';
import type { ActionPlan, ActionRecord, PlainError } from './types';

// The one wrapper every action goes through, from the browser and from automation alike (design.md
// "Actions"): authenticate (the caller did), validate, authorize against scope and role (refusals audited),
// plan, then either return the plan (dry run) or record the intent durably, apply in the background, and record
// the result, a Kubernetes Event on the service account, and drop the cached reads the change made stale.

function errorResponse(plain: PlainError): Response {
  const status = ([400, 401, 403, 404, 409, 502] as const).find((candidate) => candidate === plain.status) ?? 502;
  return apiError(status, plain.code, plain.message, {
    ...(plain.missingPermission ? { missingPermission: plain.missingPermission } : {}),
    ...(plain.upstream ? { upstream: plain.upstream } : {}),
    ...(plain.offer ? { offer: plain.offer } : {}),
  });
}

/** The role's ARN, and its tags (GetRole) when a grant that could allow it asks for roleTags. */
async function roleFacts(principal: Principal, roleArn: string, targets: AuditTarget[], ctx: ActionContext): Promise<RoleFacts> {
  const scope = scopeOf(principal);
  if (scope.isAdmin || !targets.some((target) => target.cluster && scope.needsRoleTags(target.cluster))) return { arn: roleArn };
  try {
    const role = await getRole(ctx.iamScopeFor(parseRoleArn(roleArn)?.account), roleArn);
    return { arn: roleArn, tags: role?.tags ?? {} };
  } catch {
    // Unread tags: a grant that requires tags refuses and says the tags could not be read.
    return { arn: roleArn };
  }
}

export async function runAction(principal: Principal, body: unknown): Promise<Response> {
  const request = actionRequestSchema.safeParse(body);
  if (!request.success) return apiError(400, 'invalid-input', 'The action request is invalid.', { fields: fieldErrors(request.error) });
  return runKind(principal, request.data.type, request.data.dryRun, request.data.params);
}

async function runKind<K extends ActionKind>(
  principal: Principal,
  type: K,
  dryRun: boolean,
  rawParams: Record<string, unknown>,
): Promise<Response> {
  const definition = ACTIONS[type];
  const parsed = definition.schema.safeParse(rawParams);
  if (!parsed.success) {
    const fields = Object.fromEntries(Object.entries(fieldErrors(parsed.error)).map(([key, message]) => [`params.${key}`, message]));
    return apiError(400, 'invalid-input', 'The action parameters are invalid.', { fields });
  }
  const params = parsed.data;

  let ctx: ActionContext;
  let targets: AuditTarget[];
  try {
    ctx = await loadActionContext();
    targets = definition.targets(params, ctx.fleet);
    for (const target of targets) {
      const refusal = await refuseUnlessCanAct(principal, type, target, { type, dryRun, params });
      if (refusal) return refusal;
    }
    // Role scope: the console's own iam:PassRole must not let an operator bind another team's role.
    for (const roleArn of definition.boundRoles?.(params) ?? []) {
      const role = await roleFacts(principal, roleArn, targets, ctx);
      for (const target of targets) {
        const refusal = await refuseUnlessCanBindRole(principal, type, target, role, { type, dryRun, params });
        if (refusal) return refusal;
      }
    }
  } catch (error) {
    if (error instanceof ActionError) return errorResponse(error.plain);
    throw error;
  }

  let plan: ActionPlan;
  try {
    plan = await definition.plan(params, ctx);
  } catch (error) {
    if (error instanceof ActionError) {
      await recordPlan(principal, type, targets[0] ?? {}, { type, params }, 'failed', error.plain);
      return errorResponse(error.plain);
    }
    throw error;
  }

  if (dryRun) {
    await recordPlan(principal, type, plan.targets[0] ?? {}, { type, params, summary: plan.summary, preflight: plan.preflight });
    return Response.json({ plan }, { headers: { 'cache-control': 'no-store' } });
  }

  const force = rawParams.force === true;
  const blocking = plan.preflight.filter((check) => check.status === 'fail' && !(force && check.forcible));
  if (blocking.length > 0) {
    metrics().actions.inc({ type, status: 'refused' });
    await recordPlan(principal, type, plan.targets[0] ?? {}, { type, params, summary: plan.summary }, 'failed', {
      code: 'preflight-failed',
      checks: blocking,
    });
    return apiError(409, 'preflight-failed', `Not applied: ${blocking.map((check) => check.message).join(' ')}`, {
      checks: blocking,
      plan,
    });
  }

  // Durable before anything reaches AWS or Kubernetes: a crash from here on leaves "unknown outcome", not nothing.
  const id = await recordIntent(principal, type, plan.targets[0] ?? {}, {
    type,
    params,
    targets: plan.targets,
    summary: plan.summary,
    requests: plan.steps.map((step) => step.request),
    // The Activity page shows a trust fix with the diff that was confirmed (issue 14, problem 7).
    ...(plan.preview?.trustPolicyDiff ? { trustPolicyDiff: plan.preview.trustPolicyDiff } : {}),
    forced: force ? plan.preflight.filter((check) => check.status === 'fail').map((check) => check.check) : [],
  });
  const now = new Date().toISOString();
  await startJob({
    id,
    type,
    params: plan.params,
    actor: principal.subject,
    status: 'running',
    startedAt: now,
    updatedAt: now,
    targets: plan.targets,
    ...(plan.followUp ? { followUp: plan.followUp } : {}),
  });
  void runJob(id, principal, definition, params, plan, ctx);
  return Response.json(
    { id, status: 'running' },
    { status: 202, headers: { 'cache-control': 'no-store', location: `/api/v1/actions/${id}` } },
  );
}

/** Apply, wait for the effect (settle), record the result, and drop what the change made stale. */
async function runJob<K extends ActionKind, V>(
  id: string,
  principal: Principal,
  definition: ActionDefinition<K, V>,
  params: ActionParams<K>,
  plan: ActionPlan,
  ctx: ActionContext,
): Promise<void> {
  let settled: Settled;
  try {
    const applied = await definition.apply(params, plan, ctx, {
      id,
      report: (progress) => reportProgress(id, progress),
      cancelled: () => isCancelRequested(id),
    });
    settled = await settle(definition, params, plan, applied);
  } catch (error) {
    const plain: PlainError =
      error instanceof ActionError
        ? error.plain
        : { status: 500, code: 'internal-error', message: `The console failed while applying: ${(error as Error).message}` };
    settled = { status: 'failed', error: plain };
  }
  const { status, result, error } = settled;
  await jobWritesSettled(id);
  await recordResult(id, {
    outcome: status === 'succeeded' ? 'succeeded' : 'failed',
    ...(result !== undefined ? { result } : {}),
    ...(error ? { error } : {}),
  });
  await finishJob(id, { status, ...(result !== undefined ? { result } : {}), ...(error ? { error } : {}) });
  const outcomeMessage = status === 'succeeded' ? 'succeeded' : `${status}: ${error?.message ?? status}`;

  for (const target of plan.targets) {
    if (target.cluster) invalidateCollected({ cluster: target.cluster });
    if (target.roleArn) invalidateCollected({ roleArn: target.roleArn });
  }
  logger().info({ actionId: id, type: definition.kind, actor: principal.subject, status }, `action ${status}: ${plan.summary}`);

  // A fixed identity lets its workload write snapshots again: their freshness is read anew too.
  collectCache().invalidate({ prefix: 's3:' });
  forgetFleetView();

  // `kubectl describe sa` then shows who changed what through the console; a failure to record it is not the action's failure.
  await Promise.all(
    plan.targets
      .filter((target): target is AuditTarget & { cluster: string; namespace: string; serviceAccount: string } =>
        Boolean(target.cluster && target.namespace && target.serviceAccount),
      )
      .map((target) =>
        recordKubeEvent(
          ctx.target(target.cluster),
          { kind: 'ServiceAccount', apiVersion: 'v1', namespace: target.namespace, name: target.serviceAccount },
          {
            reason: definition.eventReason,
            type: status === 'succeeded' ? 'Normal' : 'Warning',
            message: `${plan.summary} by ${principal.subject} through the Workload Identity Console (action ${id}): ${outcomeMessage}`,
          },
        ).catch(() => undefined),
      ),
  );
}

function canSee(principal: Principal, record: ActionRecord): boolean {
  const scope = scopeOf(principal);
  if (scope.isAdmin || record.actor === principal.subject) return true;
  return record.targets.some(
    (target) =>
      target.cluster && (target.namespace ? scope.canSeeNamespace(target.cluster, target.namespace) : scope.canSeeCluster(target.cluster)),
  );
}

export async function getAction(principal: Principal, id: string): Promise<Response> {
  const record = await actionRecord(id);
  if (!record || !canSee(principal, record)) return apiError(404, 'not-found', `Action ${id} was not found.`);
  return Response.json(record, { headers: { 'cache-control': 'no-store' } });
}

export async function cancelAction(principal: Principal, id: string): Promise<Response> {
  const record = await actionRecord(id);
  if (!record || !canSee(principal, record)) return apiError(404, 'not-found', `Action ${id} was not found.`);
  for (const target of record.targets) {
    const refusal = await refuseUnlessCanAct(principal, `cancel ${record.type}`, target, { id });
    if (refusal) return refusal;
  }
  if (!ACTIONS[record.type]?.cancellable)
    return apiError(409, 'not-cancellable', `A ${record.type} action is applied in one step and cannot be cancelled.`);
  if (!(await requestCancel(id)))
    return apiError(409, 'not-running', `Action ${id} is ${record.status}; only a running action can be cancelled.`);
  return Response.json({ id, status: 'cancelling' }, { status: 202, headers: { 'cache-control': 'no-store' } });
}
