import { desiredStsMode } from '../identity-context';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// ST002: the desired STS mode is not regional (annotation false, or a cluster default of global): AWS
// recommends regional (AUG configure-sts-endpoint). Skipped when an association means new pods get Pod
// Identity and no running pod uses web identity: the STS mode then matters to nothing.
export const st002StsNotRegional: ServiceAccountRule = {
  code: 'ST002',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa) return [];
    const desired = desiredStsMode(ctx);
    if (desired.mode !== 'sdk-default' && desired.mode !== 'legacy') return [];
    if (ctx.association && ctx.pods && !ctx.pods.some((p) => p.hasIrsaEnv)) return [];
    return [
      makeFinding(
        'ST002',
        serviceAccountSubject(ctx),
        desired.mode === 'sdk-default'
          ? `Service account ${ctx.namespace}/${ctx.name} opts out of regional STS (annotation "${ctx.stsAnnotation}"): AWS recommends regional`
          : `Service account ${ctx.namespace}/${ctx.name} uses the global STS endpoint (cluster ${ctx.cluster.name} default): AWS recommends regional`,
        { desired: desired.mode, desiredBecause: desired.reason, annotation: ctx.stsAnnotation },
        {
          type: 'set-sts-regional-endpoints',
          params: { cluster: ctx.cluster.name, namespace: ctx.namespace, serviceAccount: ctx.name, value: 'true' },
        },
      ),
    ];
  },
};
