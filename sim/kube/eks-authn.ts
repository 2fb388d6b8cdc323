import http from 'node:http';
import type { SimAccessEntry, SimEksCluster, SimWorld } from '../world';
import type { UserInfo } from './rbac';

// The EKS side of `aws eks get-token`: a bearer token "k8s-aws-v1." + base64url(presigned sts:GetCallerIdentity
// URL) is checked the way aws-iam-authenticator's server checks it (pkg/token/token.go, Verify): its shape, the
// STS host, the whitelisted query parameters, a signed x-k8s-aws-id header, X-Amz-Expires within 0..900 and
// X-Amz-Date not older than 15 minutes; then the URL is sent to STS with x-k8s-aws-id set to this cluster's
// name, so a token made for another cluster fails STS's signature check. STS's answer names the caller, which
// the cluster's access entries map to a Kubernetes user (EKS user guide, access-entries).

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4 * 1024;
const PRESIGNED_URL_LIFETIME_MS = 15 * 60_000;
/** kube-apiserver caches webhook token reviews for 2 minutes (--authentication-token-webhook-cache-ttl). */
const CACHE_TTL_MS = 2 * 60_000;
const CACHE_LIMIT = 1_000;
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/** Why a token was refused; the API server answers 401 either way and says why only in its log. */
export class EksTokenError extends Error {}

export interface EksCaller {
  /** As STS returned it: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, or an IAM user's ARN. */
  arn: string;
  /** The IAM ARN an access entry names: the role of an assumed-role session, else the ARN itself. */
  canonicalArn: string;
  account: string;
  sessionName?: string;
}

function stsHostsFor(region: string): Set<string> {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new Set([`sts.${suffix}`, `sts.${region}.${suffix}`]);
}

function dateOf(amzDate: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/** The presigned URL inside a token, checked for shape; throws EksTokenError. Exported for tests. */
export function presignedUrlOf(
  token: string,
  cluster: SimEksCluster,
  simAwsUrl: string | undefined,
  now: Date,
): { url: URL; expiresAt: number } {
  if (token.length > MAX_TOKEN_BYTES) throw new EksTokenError('token is too large');
  if (!token.startsWith(EKS_TOKEN_PREFIX)) throw new EksTokenError(`token is missing expected "${EKS_TOKEN_PREFIX}" prefix`);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new EksTokenError('token is not base64url without padding');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new EksTokenError('token does not hold a URL');
  }
  const sim = simAwsUrl ? new URL(simAwsUrl) : undefined;
  const isSim = sim !== undefined && url.protocol === sim.protocol && url.host === sim.host;
  if (!isSim) {
    if (url.protocol !== 'https:') throw new EksTokenError(`unexpected scheme "${url.protocol.replace(':', '')}" in pre-signed URL`);
    if (!stsHostsFor(cluster.region).has(url.host)) throw new EksTokenError(`unexpected hostname "${url.host}" in pre-signed URL`);
  }
  if (url.pathname !== '/') throw new EksTokenError('unexpected path in pre-signed URL');
  const lower = new Map<string, string>();
  for (const key of new Set(url.searchParams.keys())) {
    if (!ALLOWED_PARAMETERS.has(key.toLowerCase())) throw new EksTokenError(`non-whitelisted query parameter "${key}"`);
    const values = url.searchParams.getAll(key);
    if (values.length !== 1) throw new EksTokenError('query parameter with multiple values not supported');
    lower.set(key.toLowerCase(), values[0]);
  }
  if (lower.get('action') !== 'GetCallerIdentity') throw new EksTokenError('unexpected action parameter in pre-signed URL');
  const signed = (lower.get('x-amz-signedheaders') ?? '').split(';').map((header) => header.toLowerCase());
  if (!signed.includes('x-k8s-aws-id')) throw new EksTokenError('client did not sign the x-k8s-aws-id header in the pre-signed URL');
  const expires = Number(lower.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900)
    throw new EksTokenError(`invalid X-Amz-Expires parameter in pre-signed URL: ${lower.get('x-amz-expires')}`);
  const date = dateOf(lower.get('x-amz-date') ?? '');
  if (!date) throw new EksTokenError('X-Amz-Date parameter must be present in pre-signed URL');
  const expiresAt = date.getTime() + PRESIGNED_URL_LIFETIME_MS;
  if (now.getTime() > expiresAt) throw new EksTokenError(`X-Amz-Date parameter is expired (15 minute expiration) ${date.toISOString()}`);
  return { url, expiresAt };
}

/** arn:aws:sts::A:assumed-role/R/S -> arn:aws:iam::A:role/R (aws-iam-authenticator pkg/arn Canonicalize). */
export function canonicalArn(arn: string): { canonical: string; sessionName?: string } {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) return { canonical: `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`, sessionName: assumed[4] };
  if (/^arn:aws[\w-]*:iam::\d{12}:(user|role)\/.+$/.test(arn) || /^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn)) return { canonical: arn };
  throw new EksTokenError(`arn "${arn}" is not a recognised IAM principal`);
}

/** Sends the presigned request to the simulator's STS as EKS sends it to STS, and reads the caller. */
function callSts(url: URL, clusterName: string, simAwsUrl: string): Promise<EksCaller> {
  const sim = new URL(simAwsUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: sim.hostname,
        port: sim.port,
        method: 'GET',
        path: `${url.pathname}${url.search}`,
        // The Host the URL was signed for, even when it names real STS: the simulator stands in for it.
        headers: { host: url.host, 'x-k8s-aws-id': clusterName, accept: 'application/json' },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200)
            return reject(
              new EksTokenError(`sts getCallerIdentity failed: error from AWS (expected 200, got ${response.statusCode}). Body: ${body}`),
            );
          try {
            const result = (
              JSON.parse(body) as { GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: string; Account: string } } }
            ).GetCallerIdentityResponse.GetCallerIdentityResult;
            const { canonical, sessionName } = canonicalArn(result.Arn);
            resolve({ arn: result.Arn, canonicalArn: canonical, account: result.Account, ...(sessionName ? { sessionName } : {}) });
          } catch (error) {
            reject(error instanceof EksTokenError ? error : new EksTokenError(`sts getCallerIdentity failed: ${(error as Error).message}`));
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new EksTokenError('sts getCallerIdentity failed: no answer')));
    request.on('error', reject);
    request.end();
  });
}

/**
 * The access entry of a caller. Entries name the IAM role or user; a role given with a path in its ARN
 * matches the session's role by account and name, since an assumed-role ARN carries no path.
 */
export function accessEntryFor(cluster: SimEksCluster, caller: Pick<EksCaller, 'canonicalArn'>): SimAccessEntry | undefined {
  const exact = cluster.accessEntries.get(caller.canonicalArn);
  if (exact) return exact;
  const role = /^arn:aws[\w-]*:iam::(\d{12}):role\/([^/]+)$/.exec(caller.canonicalArn);
  if (!role) return undefined;
  for (const entry of cluster.accessEntries.values()) {
    const named = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry.principalArn);
    if (named && named[1] === role[1] && named[2] === role[2]) return entry;
  }
  return undefined;
}

export interface EksAuthenticator {
  /** The user behind an EKS token, or an EksTokenError (the API server's 401). */
  authenticate(token: string): Promise<UserInfo>;
}

export function createEksAuthenticator(world: SimWorld, cluster: SimEksCluster): EksAuthenticator {
  const cache = new Map<string, { caller: EksCaller; until: number }>();
  return {
    async authenticate(token) {
      const now = Date.now();
      let caller = cache.get(token);
      if (!caller || caller.until <= now) {
        cache.delete(token);
        const { url, expiresAt } = presignedUrlOf(token, cluster, world.endpoints?.aws, new Date(now));
        if (!world.endpoints) throw new EksTokenError('the simulator has no STS endpoint yet');
        const identity = await callSts(url, cluster.name, world.endpoints.aws);
        caller = { caller: identity, until: Math.min(now + CACHE_TTL_MS, expiresAt) };
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(token, caller);
      }
      // The entry is looked up on every request: removing it locks the principal out at once.
      const entry = accessEntryFor(cluster, caller.caller);
      if (!entry) throw new EksTokenError(`no access entry for ${caller.caller.canonicalArn} in cluster ${cluster.name}`);
      const { arn, canonicalArn, sessionName } = caller.caller;
      return {
        username: entry.username.replace(/\{\{SessionName\}\}/g, sessionName ?? ''),
        groups: [...entry.kubernetesGroups, 'system:authenticated'],
        // The extra aws-iam-authenticator gives the user; eks-authz.ts finds the access entry by canonicalArn.
        extra: { arn: [arn], canonicalArn: [canonicalArn], ...(sessionName ? { sessionName: [sessionName] } : {}) },
      };
    },
  };
}
