import { ANNOTATION_TOKEN_EXPIRATION } from '@/lib/model/kube-objects';
import { makeFinding, serviceAccountSubject, type ServiceAccountRule } from '../rule-kit';

// IR007: eks.amazonaws.com/token-expiration is not an integer in 600–86400 (AUG iam-roles-for-service-accounts;
// the webhook falls back to its default of 86400 for an invalid value).
export const TOKEN_EXPIRATION_MIN = 600;
export const TOKEN_EXPIRATION_MAX = 86400;

export const ir007TokenExpirationInvalid: ServiceAccountRule = {
  code: 'IR007',
  scope: 'serviceaccount',
  evaluate(ctx) {
    const raw = ctx.serviceAccount?.metadata.annotations?.[ANNOTATION_TOKEN_EXPIRATION];
    if (raw === undefined) return [];
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : null;
    if (n !== null && n >= TOKEN_EXPIRATION_MIN && n <= TOKEN_EXPIRATION_MAX) return [];
    return [
      makeFinding(
        'IR007',
        serviceAccountSubject(ctx),
        `Service account ${ctx.namespace}/${ctx.name} has ${ANNOTATION_TOKEN_EXPIRATION}="${raw}", not an integer in ${TOKEN_EXPIRATION_MIN}–${TOKEN_EXPIRATION_MAX}`,
        {
          annotation: ANNOTATION_TOKEN_EXPIRATION,
          value: raw,
          allowed: `${TOKEN_EXPIRATION_MIN}–${TOKEN_EXPIRATION_MAX} seconds`,
        },
      ),
    ];
  },
};
