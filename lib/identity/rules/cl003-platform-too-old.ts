import { POD_IDENTITY_MIN_PLATFORM_SOURCE } from '../data/sts-regional-defaults';
import { podIdentityPlatformShortfall } from '../identity-facts';
import { makeFinding, type ClusterRule } from '../rule-kit';

// CL003: the cluster's platform version is below the Pod Identity minimum for its Kubernetes version
// (1.28 eks.4, 1.27 eks.8, 1.26 eks.9; data/sts-regional-defaults.ts).
export const cl003PlatformTooOld: ClusterRule = {
  code: 'CL003',
  scope: 'cluster',
  evaluate(ctx) {
    const shortfall = podIdentityPlatformShortfall(ctx.eks);
    if (!ctx.eks || !shortfall) return [];
    return [
      makeFinding(
        'CL003',
        { kind: 'cluster', cluster: ctx.name },
        `Cluster ${ctx.name} runs ${ctx.eks.version} ${ctx.eks.platformVersion ?? ''}, below the Pod Identity minimum ${shortfall.required}`.replace(
          / +/g,
          ' ',
        ),
        {
          version: ctx.eks.version ?? null,
          platformVersion: ctx.eks.platformVersion ?? null,
          required: shortfall.required,
          source: POD_IDENTITY_MIN_PLATFORM_SOURCE,
        },
      ),
    ];
  },
};
