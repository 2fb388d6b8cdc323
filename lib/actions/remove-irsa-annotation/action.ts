import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import 'server-only';
import { annotationOutcome, annotationPlan, applyAnnotationChange, freshServiceAccount, type AnnotationChange } from '../annotation-change';
import { defineAction } from '../definition';
import { serviceAccountOf, serviceAccountTargets } from '../service-account-targets';
import { removeIrsaAnnotationCommands } from './commands';
import { removeIrsaAnnotationParams } from '../schemas';
import type { PreflightCheck } from '../types';

// Action 5: remove `eks.amazonaws.com/role-arn`, the last step of moving a service account from IRSA to Pod
// Identity (and the fix for ID001). Only the role annotation goes; audience and STS settings are harmless without it.

export const removeIrsaAnnotation = defineAction({
  kind: 'remove-irsa-annotation',
  ...removeIrsaAnnotationCommands,
  schema: removeIrsaAnnotationParams,
  eventReason: 'IrsaAnnotationRemoved',
  targets: serviceAccountTargets,
  async plan(params, ctx) {
    const change: AnnotationChange = { ...serviceAccountOf(params), annotations: { [ANNOTATION_ROLE_ARN]: null } };
    const serviceAccount = await freshServiceAccount(ctx, change);
    const resourceVersion = serviceAccount.metadata.resourceVersion;
    const roleArn = serviceAccount.metadata.annotations?.[ANNOTATION_ROLE_ARN];
    const saContext = ctx.serviceAccount(params.cluster, params.namespace, params.serviceAccount);
    const preflight: PreflightCheck[] = [
      roleArn
        ? { check: 'annotation', status: 'pass', message: `The service account is annotated with ${roleArn}.` }
        : { check: 'annotation', status: 'fail', message: 'The service account has no IRSA role annotation: there is nothing to remove.' },
    ];
    if (saContext.association)
      preflight.push({
        check: 'pod-identity',
        status: 'pass',
        message: `Association ${saContext.association.associationId} (${saContext.association.roleArn ?? 'role unknown'}) gives new pods their credentials.`,
      });
    else if (!saContext.associationsKnown)
      preflight.push({
        check: 'pod-identity',
        status: 'warn',
        message: 'The console could not list associations, so it cannot tell whether new pods will still get AWS credentials.',
      });
    else
      preflight.push({
        check: 'pod-identity',
        status: 'fail',
        forcible: true,
        message:
          'The service account has no Pod Identity association: new pods would get no AWS credentials at all. Create an association first, or force this if the workload no longer needs AWS.',
      });
    return annotationPlan(ctx, {
      type: 'remove-irsa-annotation',
      params,
      change,
      resourceVersion,
      preflight,
      targets: [{ ...serviceAccountOf(params), ...(roleArn ? { roleArn } : {}) }],
      summary: `Remove the IRSA annotation from ${params.cluster}/${params.namespace}/${params.serviceAccount}`,
      cli: removeIrsaAnnotationCommands.commands(params, { kubeContext: ctx.target(params.cluster).context, resourceVersion }),
      note: 'Running pods keep their IRSA env until they are replaced: roll the pods after this change.',
    });
  },
  apply: (params, plan, ctx) =>
    applyAnnotationChange(ctx, { ...serviceAccountOf(params), annotations: { [ANNOTATION_ROLE_ARN]: null } }, plan),
  ...annotationOutcome,
});
