import { makeFinding, podEvidence, serviceAccountSubject, shortList, type ServiceAccountRule } from '../rule-kit';

// ID002: a container sets static AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY (env value, valueFrom a
// Secret/ConfigMap, or envFrom a Secret/ConfigMap whose keys include them). They override both mechanisms.
// envFrom a Secret whose key names the collected state does not carry is NOT flagged: a guess would be a false
// error; the SA page lists it as unknown instead.
export const id002StaticKeys: ServiceAccountRule = {
  code: 'ID002',
  scope: 'serviceaccount',
  evaluate(ctx) {
    if (!ctx.pods) return [];
    const withKeys = ctx.pods.filter((p) => p.staticKeys.length > 0);
    if (withKeys.length === 0) return [];
    const containers = [...new Set(withKeys.flatMap((p) => p.staticKeys.map((k) => k.container)))];
    return [
      makeFinding(
        'ID002',
        serviceAccountSubject(ctx),
        `${withKeys.length} pods of ${ctx.namespace}/${ctx.name} set static AWS keys (container ${shortList(containers)}), overriding Pod Identity and IRSA`,
        {
          pods: withKeys.map((p) => ({ ...podEvidence(p), staticKeys: p.staticKeys })),
        },
      ),
    ];
  },
};
