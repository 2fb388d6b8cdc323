import 'server-only';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

// The EKS bearer token, as `aws eks get-token` and aws-iam-authenticator make it (pkg/token/token.go): a
// presigned sts:GetCallerIdentity URL that signs the x-k8s-aws-id header with the cluster's name, base64url
// without padding, after "k8s-aws-v1.". The API server (its authenticator webhook) sends the URL to STS and
// maps the caller to an access entry. STS honours the URL for 15 minutes after X-Amz-Date whatever
// X-Amz-Expires says; aws-iam-authenticator sets 60 "for legacy reasons", and so does this.

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** How long STS accepts the presigned URL after it was signed. */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
const PRESIGN_EXPIRES_SECONDS = 60;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** The STS endpoint the SDK would call: AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (as the SDK honours them), else the regional one. */
function stsEndpoint(region: string): URL {
  const custom = process.env.AWS_ENDPOINT_URL_STS || process.env.AWS_ENDPOINT_URL;
  if (custom) return new URL(custom);
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://sts.${region}.${suffix}/`);
}

export interface EksToken {
  token: string;
  /** When STS stops accepting it (epoch ms): 15 minutes after signing. */
  expiresAt: number;
}

/** A token for one cluster, signed with the scope's credentials (the default chain, or the assumed role). */
export async function createEksToken(scope: AwsScope, clusterName: string, signingDate: Date = new Date()): Promise<EksToken> {
  // The STS client's own credential chain: the same identity every other AWS call of this scope uses.
  const credentials = await awsClient('sts', scope.region, scope.credentials).config.credentials();
  const endpoint = stsEndpoint(scope.region);
  const signer = new SignatureV4({ credentials, region: scope.region, service: 'sts', sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, [CLUSTER_ID_HEADER]: clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {}))
    for (const one of Array.isArray(value) ? value : [value]) if (one !== null && one !== undefined) query.append(name, one);
  const url = `${endpoint.protocol}//${endpoint.host}${endpoint.pathname || '/'}?${query.toString()}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    expiresAt: signingDate.getTime() + EKS_TOKEN_LIFETIME_MS,
  };
}
