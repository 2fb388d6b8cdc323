import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SimClock } from '../clock';
import { KubeError, badRequest } from './status';

// Bound service account tokens as TokenRequest (POST …/serviceaccounts/NAME/token) mints them: a JWT whose
// claims are those of the API server's projected tokens (pkg/serviceaccount/claims.go), signed by the
// simulated cluster. A token is accepted while it has not expired on the sim clock and its service account
// still exists with the same uid (the API server's bound-token validation).

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
  };
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** TokenRequest validation (pkg/apis/authentication/validation): at least 10 minutes, at most 2^32 seconds. */
export const MIN_TOKEN_SECONDS = 600;
export const DEFAULT_TOKEN_SECONDS = 3600;

export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly keyId = randomBytes(8).toString('hex');

  constructor(
    private readonly clock: SimClock,
    readonly issuer: string,
  ) {}

  mint(
    serviceAccount: { namespace: string; name: string; uid: string },
    spec: { audiences?: unknown; expirationSeconds?: unknown },
  ): { token: string; expirationTimestamp: string; audiences: string[] } {
    const seconds =
      spec.expirationSeconds === undefined || spec.expirationSeconds === null ? DEFAULT_TOKEN_SECONDS : spec.expirationSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds))
      throw badRequest('spec.expirationSeconds: must be an integer number of seconds');
    if (seconds < MIN_TOKEN_SECONDS)
      throw new KubeError(
        422,
        'Invalid',
        `TokenRequest.authentication.k8s.io "${serviceAccount.name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
        {
          name: serviceAccount.name,
          group: 'authentication.k8s.io',
          kind: 'TokenRequest',
          causes: [
            { reason: 'FieldValueInvalid', message: 'may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds' },
          ],
        },
      );
    if (
      spec.audiences !== undefined &&
      spec.audiences !== null &&
      (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string'))
    )
      throw badRequest('spec.audiences: must be a list of strings');
    const audiences = (spec.audiences as string[] | undefined)?.length ? (spec.audiences as string[]) : [this.issuer];
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const claims: ServiceAccountClaims = {
      iss: this.issuer,
      sub: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
      aud: audiences,
      exp: now + seconds,
      iat: now,
      nbf: now,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: serviceAccount.namespace,
        serviceaccount: { name: serviceAccount.name, uid: serviceAccount.uid },
      },
    };
    const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', kid: this.keyId, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    const token = `${signingInput}.${b64url(createHmac('sha256', this.key).update(signingInput).digest())}`;
    return { token, expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), audiences };
  }

  /** The claims of a token this cluster signed and that has not expired; null for anything else. */
  verify(token: string): ServiceAccountClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const expected = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: ServiceAccountClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as ServiceAccountClaims;
    } catch {
      return null;
    }
    // An API server accepts tokens for its own audiences only; kubectl create token's default is the issuer.
    if (!claims.aud?.includes(this.issuer)) return null;
    if (claims.exp * 1000 <= this.clock.now().getTime()) return null;
    return claims;
  }
}
