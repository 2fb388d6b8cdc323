import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Identity } from './principal';

export class AlbTokenError extends Error {}

export interface AlbSettings {
  region: string;
  expectedSigner: string;
  publicKeyBaseUrl?: string;
  groupsClaim: string;
}

// ALB publishes one PEM public key per kid at https://public-keys.auth.elb.<region>.amazonaws.com/<kid>
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html#user-claims-encoding).
// Keys never change for a kid, so a cache per URL is safe; failed fetches are not cached.
const keyCache = new Map<string, Promise<KeyObject>>();

function publicKeyUrl(settings: AlbSettings, kid: string): string {
  const base = settings.publicKeyBaseUrl ?? `https://public-keys.auth.elb.${settings.region}.amazonaws.com`;
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(kid)}`;
}

async function publicKeyFor(url: string): Promise<KeyObject> {
  let pending = keyCache.get(url);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new AlbTokenError(`fetching the ALB public key ${url} answered HTTP ${response.status}`);
      return createPublicKey(await response.text());
    })();
    keyCache.set(url, pending);
    pending.catch(() => keyCache.delete(url));
  }
  return pending;
}

function decodeSegment(segment: string): Record<string, unknown> {
  // ALB pads its base64url segments with '=' (the AWS doc warns standard JWT libraries may reject them),
  // so segments are decoded here and the signature is checked over the bytes exactly as received.
  const parsed: unknown = JSON.parse(Buffer.from(segment.replace(/=+$/, ''), 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AlbTokenError('the token segment is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** Verifies the `x-amzn-oidc-data` header (ES256, signer = our ALB, not expired) and returns the user it names. */
export async function verifyAlbOidcData(
  token: string,
  settings: AlbSettings,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Identity> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AlbTokenError('x-amzn-oidc-data is not a JWT (expected three segments)');
  const [headerSegment, payloadSegment, signatureSegment] = parts;
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeSegment(headerSegment);
    payload = decodeSegment(payloadSegment);
  } catch (error) {
    throw error instanceof AlbTokenError ? error : new AlbTokenError('x-amzn-oidc-data has a segment that is not base64url JSON');
  }
  if (header.alg !== 'ES256') throw new AlbTokenError(`x-amzn-oidc-data uses alg ${String(header.alg)}, expected ES256`);
  if (header.signer !== settings.expectedSigner)
    throw new AlbTokenError(`x-amzn-oidc-data was signed by ${String(header.signer)}, not the configured ALB ${settings.expectedSigner}`);
  if (typeof header.kid !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(header.kid))
    throw new AlbTokenError('x-amzn-oidc-data has no usable kid');

  const key = await publicKeyFor(publicKeyUrl(settings, header.kid));
  const signature = Buffer.from(signatureSegment.replace(/=+$/, ''), 'base64url');
  const signedBytes = Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii');
  if (!verify('sha256', signedBytes, { key, dsaEncoding: 'ieee-p1363' }, signature))
    throw new AlbTokenError('x-amzn-oidc-data signature does not verify');

  const exp = typeof payload.exp === 'number' ? payload.exp : typeof header.exp === 'number' ? header.exp : undefined;
  if (exp === undefined) throw new AlbTokenError('x-amzn-oidc-data has no exp');
  if (exp <= nowSeconds) throw new AlbTokenError('x-amzn-oidc-data has expired');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new AlbTokenError('x-amzn-oidc-data has no sub claim');

  return {
    subject: payload.sub,
    email: typeof payload.email === 'string' ? payload.email : undefined,
    name: typeof payload.name === 'string' ? payload.name : undefined,
    groups: groupsFromClaim(payload[settings.groupsClaim]),
    via: 'proxy',
  };
}

/** IdPs send groups as an array, or (Cognito, some ALB setups) as one comma- or space-separated string. */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string' && group !== '');
  if (typeof claim === 'string') return claim.split(/[,\s]+/).filter((group) => group !== '');
  return [];
}
