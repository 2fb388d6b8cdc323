import { ANNOTATION_ROLE_ARN, ANNOTATION_STS_REGIONAL } from '@/lib/model/kube-objects';
import 'server-only';
import { annotationOutcome, annotationPlan, applyAnnotationChange, freshServiceAccount, type AnnotationChange } from '../annotation-change';
import { defineAction } from '../definition';
import { serviceAccountOf, serviceAccountTargets } from '../service-account-targets';
import { setStsRegionalEndpointsCommands } from './commands';
import { setStsRegionalEndpointsParams } from '../schemas';
import type { PreflightCheck } from '../types';

// Action 4: set `eks.amazonaws.com/sts-regional-endpoints` to "true" or "false", or remove it. The webhook reads
// it at pod admission only (amazon-eks-pod-identity-webhook, pkg/handler/handler.go), so running pods change
// only when they are replaced: the plan offers the roll.

export const setStsRegionalEndpoints = defineAction({
  kind: 'set-sts-regional-endpoints',
  ...setStsRegionalEndpointsCommands,
  schema: setStsRegionalEndpointsParams,
  eventReason: 'StsRegionalEndpointsChanged',
  targets: serviceAccountTargets,
  async plan(params, ctx) {
    const change: AnnotationChange = { ...serviceAccountOf(params), annotations: { [ANNOTATION_STS_REGIONAL]: params.value } };
    const serviceAccount = await freshServiceAccount(ctx, change);
    const resourceVersion = serviceAccount.metadata.resourceVersion;
    const current = serviceAccount.metadata.annotations?.[ANNOTATION_STS_REGIONAL] ?? null;
    const preflight: PreflightCheck[] = [];
    preflight.push(
      current === params.value
        ? {
            check: 'changes',
            status: 'warn',
            message: `The annotation is already ${current === null ? 'absent' : `"${current}"`}; applying changes nothing.`,
          }
        : {
            check: 'changes',
            status: 'pass',
            message: `${ANNOTATION_STS_REGIONAL}: ${current === null ? '(absent)' : `"${current}"`} → ${params.value === null ? '(removed: the cluster default applies)' : `"${params.value}"`}.`,
          },
    );
    if (!serviceAccount.metadata.annotations?.[ANNOTATION_ROLE_ARN])
      preflight.push({
        check: 'irsa',
        status: 'warn',
        message: 'The service account has no IRSA role annotation; the STS endpoint mode only matters to pods that use IRSA.',
      });
    return annotationPlan(ctx, {
      type: 'set-sts-regional-endpoints',
      params,
      change,
      resourceVersion,
      preflight,
      targets: serviceAccountTargets(params),
      summary: `${params.value === null ? 'Remove' : `Set to "${params.value}"`} ${ANNOTATION_STS_REGIONAL} on ${params.cluster}/${params.namespace}/${params.serviceAccount}`,
      cli: setStsRegionalEndpointsCommands.commands(params, { kubeContext: ctx.target(params.cluster).context, resourceVersion }),
      note: 'Running pods keep their current STS mode until they are replaced: roll the pods after this change.',
    });
  },
  apply: (params, plan, ctx) =>
    applyAnnotationChange(ctx, { ...serviceAccountOf(params), annotations: { [ANNOTATION_STS_REGIONAL]: params.value } }, plan),
  ...annotationOutcome,
});
