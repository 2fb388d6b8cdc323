import { issuerHostPath, oidcProviderArn } from '../identity-facts';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// IR003: the cluster's OIDC issuer is not registered as an IAM OIDC provider in the ROLE's account
// (cross-account IRSA needs the provider where the role lives; AUG cross-account-access).
export const ir003OidcProviderMissing: ServiceAccountRule = {
  code: 'IR003',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const parts = ctx.irsa?.roleArnParts;
    const issuerUrl = ctx.cluster.eks?.oidcIssuer;
    if (!parts || !issuerUrl) return [];
    const providers = ctx.fleet.accounts[parts.account]?.oidcProviders;
    if (!providers) return [];
    const issuer = issuerHostPath(issuerUrl);
    if (providers.some((p) => issuerHostPath(p) === issuer)) return [];
    return [
      makeFinding(
        'IR003',
        serviceAccountSubject(ctx),
        `OIDC issuer of cluster ${ctx.cluster.name} is not registered as an IAM OIDC provider in account ${parts.account} (role of ${ctx.namespace}/${ctx.name})`,
        {
          issuer: issuerUrl,
          expectedProviderArn: oidcProviderArn(parts.account, issuer, parts.partition),
          roleArn: ctx.irsa!.roleArn,
          registeredProviders: providers,
        },
      ),
    ];
  },
};
