import { ANNOTATION_STS_REGIONAL } from '@/lib/model/kube-objects';
import { desiredStsMode } from '../identity-context';
import { makeFinding, podEvidence, rollPodsAction, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// ST001: IRSA pods (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) whose AWS_STS_REGIONAL_ENDPOINTS differs
// from the SA's desired mode. The webhook only ever injects `regional`; desired regional wants it, desired
// SDK-default/global wants it absent.
export const st001StsModeDrift: ServiceAccountRule = {
  code: 'ST001',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.irsa || !ctx.pods) return [];
    const desired = desiredStsMode(ctx);
    if (desired.mode === 'unknown') return [];
    const irsaPods = ctx.pods.filter((p) => p.stsRunning !== null);
    const drifted = irsaPods.filter((p) => (desired.mode === 'regional' ? p.stsRunning !== 'regional' : p.stsRunning === 'regional'));
    if (drifted.length === 0) return [];
    const want = desired.mode === 'regional' ? 'AWS_STS_REGIONAL_ENDPOINTS=regional' : 'no AWS_STS_REGIONAL_ENDPOINTS (SDK default)';
    return [
      makeFinding(
        'ST001',
        serviceAccountSubject(ctx),
        `${drifted.length} of ${irsaPods.length} IRSA pods of ${ctx.namespace}/${ctx.name} run a different STS mode than desired (${want})`,
        {
          annotation: ctx.stsAnnotation === null ? null : `${ANNOTATION_STS_REGIONAL}=${ctx.stsAnnotation}`,
          desired: desired.mode,
          desiredBecause: desired.reason,
          pods: drifted.map((p) => ({ ...podEvidence(p), AWS_STS_REGIONAL_ENDPOINTS: p.stsRunning === 'unset' ? null : p.stsRunning })),
        },
        rollPodsAction(ctx),
      ),
    ];
  },
};
