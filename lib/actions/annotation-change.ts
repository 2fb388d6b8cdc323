import 'server-only';
import { KubeApiError } from '@/lib/kube/client';
import { consoleMay, getServiceAccount, patchServiceAccountAnnotations } from '@/lib/kube/writes';
import type { ServiceAccount } from '@/lib/model/kube-objects';
import { ActionError, type ActionContext } from './action-context';
import type { Written } from './definition';
import { plainError } from './plain-errors';
import type { AuditTarget } from '@/lib/audit/audit-store';
import type { ActionKind } from './schemas';
import { serviceAccountOf } from './service-account-targets';
import type { ActionPlan, PlanStep, PreflightCheck } from './types';

// Setting or removing service-account annotations (actions 4 and 5): read the object fresh, let the API server
// validate the change with a server-side dry run, and apply with the resourceVersion that was read, so a
// concurrent change is reported (409) instead of overwritten.

export interface AnnotationChange {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** Annotation → new value; null removes it. */
  annotations: Record<string, string | null>;
}

export async function freshServiceAccount(ctx: ActionContext, change: AnnotationChange): Promise<ServiceAccount> {
  try {
    return await getServiceAccount(ctx.target(change.cluster), change.namespace, change.serviceAccount);
  } catch (error) {
    const plain = plainError(
      { service: 'kubernetes', operation: 'get serviceaccounts', permission: `get serviceaccounts in ${change.namespace}` },
      error,
    );
    if (error instanceof KubeApiError && error.status === 404)
      plain.message = `There is no service account ${change.namespace}/${change.serviceAccount} in ${change.cluster}.`;
    throw new ActionError(plain);
  }
}

/** The permission check (SelfSubjectAccessReview) and the server-side dry run, as preflight checks. */
export async function annotationPreflight(
  ctx: ActionContext,
  change: AnnotationChange,
  resourceVersion: string | undefined,
): Promise<PreflightCheck[]> {
  const target = ctx.target(change.cluster);
  const checks: PreflightCheck[] = [];
  try {
    const review = await consoleMay(target, { verb: 'patch', resource: 'serviceaccounts', namespace: change.namespace });
    checks.push(
      review.allowed
        ? { check: 'permission', status: 'pass', message: `The console may patch service accounts in ${change.namespace}.` }
        : {
            check: 'permission',
            status: 'fail',
            message: `The console's Kubernetes identity may not patch service accounts in ${change.namespace}${review.reason ? ` (${review.reason})` : ''}. Grant it "patch serviceaccounts".`,
          },
    );
  } catch (error) {
    checks.push({
      check: 'permission',
      status: 'warn',
      message: `The console could not ask the API server about its permissions: ${(error as Error).message}`,
    });
  }
  try {
    await patchServiceAccountAnnotations(target, change.namespace, change.serviceAccount, change.annotations, {
      resourceVersion,
      dryRun: true,
    });
    checks.push({ check: 'dry-run', status: 'pass', message: 'The API server accepted the change in a server-side dry run.' });
  } catch (error) {
    const plain = plainError(
      { service: 'kubernetes', operation: 'patch serviceaccounts (dry run)', permission: `patch serviceaccounts in ${change.namespace}` },
      error,
    );
    checks.push({ check: 'dry-run', status: 'fail', message: `The server-side dry run failed: ${plain.message}` });
  }
  return checks;
}

export interface AnnotationPlan {
  type: ActionKind;
  params: { cluster: string; namespace: string; serviceAccount: string };
  change: AnnotationChange;
  /** The resourceVersion read by freshServiceAccount: the patch's precondition. */
  resourceVersion: string | undefined;
  /** The action's own checks; the permission review and the dry run are added here. */
  preflight: PreflightCheck[];
  targets: AuditTarget[];
  summary: string;
  /** The action's `commands` for this service account and resourceVersion. */
  cli: string[];
  /** What running pods keep until they are replaced. */
  note: string;
}

/**
 * The plan of an annotation action: its checks and the server's, the one conditional patch, and the roll it leads
 * to, since the webhook reads annotations at pod admission only (amazon-eks-pod-identity-webhook, handler.go).
 */
export async function annotationPlan(ctx: ActionContext, plan: AnnotationPlan): Promise<ActionPlan> {
  const preflight = [...plan.preflight, ...(await annotationPreflight(ctx, plan.change, plan.resourceVersion))];
  return {
    type: plan.type,
    params: { ...plan.params },
    targets: plan.targets,
    summary: plan.summary,
    preflight,
    steps: [annotationStep(plan.change, plan.resourceVersion, plan.cli)],
    preview: { notes: [plan.note] },
    followUp: { type: 'roll-pods', params: serviceAccountOf(plan.params) },
  };
}

export function annotationStep(change: AnnotationChange, resourceVersion: string | undefined, cli: string[]): PlanStep {
  return {
    description: `Patch the service account ${change.namespace}/${change.serviceAccount} (precondition: resourceVersion ${resourceVersion ?? 'unknown'})`,
    request: {
      service: 'kubernetes',
      operation: 'PATCH serviceaccounts',
      method: 'PATCH',
      path: `/api/v1/namespaces/${change.namespace}/serviceaccounts/${change.serviceAccount}`,
      body: { metadata: { annotations: change.annotations, ...(resourceVersion ? { resourceVersion } : {}) } },
    },
    cli: cli.join('\n'),
  };
}

/** The patch, conditional on the resourceVersion the plan read; the runner then re-reads the service account. */
export async function applyAnnotationChange(
  ctx: ActionContext,
  change: AnnotationChange,
  plan: ActionPlan,
): Promise<Written<ServiceAccount>> {
  const target = ctx.target(change.cluster);
  const { resourceVersion } = (plan.steps[0].request.body as { metadata: { resourceVersion?: string } }).metadata;
  try {
    await patchServiceAccountAnnotations(target, change.namespace, change.serviceAccount, change.annotations, { resourceVersion });
  } catch (error) {
    throw new ActionError(
      plainError(
        { service: 'kubernetes', operation: 'patch serviceaccounts', permission: `patch serviceaccounts in ${change.namespace}` },
        error,
      ),
    );
  }
  return { status: 'written', read: () => getServiceAccount(target, change.namespace, change.serviceAccount), waitMs: 5_000 };
}

/** Verification shared by the annotation actions: every planned annotation has its planned value (null = absent). */
function annotationsVerified(serviceAccount: ServiceAccount, plan: ActionPlan): boolean {
  const { annotations } = (plan.steps[0].request.body as { metadata: { annotations: Record<string, string | null> } }).metadata;
  return Object.entries(annotations).every(([key, value]) => (serviceAccount.metadata.annotations?.[key] ?? null) === value);
}

/** What counts as done for an annotation action, and how its re-read is reported: spread into its definition. */
export const annotationOutcome = {
  verified: (serviceAccount: ServiceAccount, _params: unknown, plan: ActionPlan) => annotationsVerified(serviceAccount, plan),
  result: (serviceAccount: ServiceAccount) => ({
    annotations: serviceAccount.metadata.annotations ?? {},
    resourceVersion: serviceAccount.metadata.resourceVersion,
  }),
  describe: (serviceAccount: ServiceAccount) => `the annotations ${JSON.stringify(serviceAccount.metadata.annotations ?? {})}`,
};
