import 'server-only';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from '@smithy/types';
import { BoundedHttpHandler } from './bounded-http-handler';
import { outcomeOf, recordUpstream } from '@/lib/metrics/metrics';

// AWS SDK v3 clients, one per (service, region, credentials). Credentials come from the SDK's default chain
// (env keys, profiles, web identity, the container endpoint Pod Identity serves, instance metadata), so the
// console's own pod can use Pod Identity; or, per cluster, from a role assumed with sts:AssumeRole for
// cross-account access. Endpoints: the SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
// (@smithy/core endpoints: getEndpointUrlConfig), so nothing here names an endpoint.

/** Which credentials a call uses: the default chain, a named profile, and optionally a role assumed with them. */
export interface AwsCredentialSource {
  assumeRoleArn?: string;
  profile?: string;
}

export interface AwsSettings {
  /** SDK attempts per call including the first (standard retry mode). */
  maxAttempts: number;
}

let settings: AwsSettings = { maxAttempts: 3 };

export function configureAws(next: Partial<AwsSettings>): void {
  if (next.maxAttempts !== undefined && next.maxAttempts !== settings.maxAttempts) {
    settings = { ...settings, ...next };
    clients.clear();
  }
}

/** IAM is global: its calls are signed for the partition's home region. */
export function iamRegionFor(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'cn-north-1';
  if (region?.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** The console could not assume a cluster's role: every call made with it fails for this reason. */
export class AssumeRoleError extends Error {
  readonly code: string;
  constructor(
    readonly roleArn: string,
    readonly cause: Error & { name?: string },
  ) {
    super(`cannot assume ${roleArn}: ${cause.message}`);
    this.name = 'AssumeRoleError';
    this.code = cause.name && cause.name !== 'Error' ? cause.name : 'AssumeRoleFailed';
  }
}

const ASSUMED_ROLE_SECONDS = 3600;
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials of a role assumed with the base credentials, renewed before they lapse. Renewal is timed by
 * the local clock from when they were obtained, not by the Expiration AWS sends, so a skewed clock cannot
 * make every call assume the role again.
 */
function assumedRoleProvider(roleArn: string, region: string, profile: string | undefined): AwsCredentialIdentityProvider {
  const sts = new STSClient({
    region,
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard',
    requestHandler: new BoundedHttpHandler(),
    ...(profile ? { profile } : {}),
  });
  let current: { identity: Promise<AwsCredentialIdentity>; renewAt: number } | undefined;
  return () => {
    if (!current || current.renewAt <= Date.now()) {
      const identity = sts
        .send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'workload-identity-console', DurationSeconds: ASSUMED_ROLE_SECONDS }),
        )
        .then((response) => {
          const credentials = response.Credentials;
          if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
            throw new Error(`sts:AssumeRole ${roleArn} returned no credentials`);
          return {
            accessKeyId: credentials.AccessKeyId,
            secretAccessKey: credentials.SecretAccessKey,
            sessionToken: credentials.SessionToken,
          };
        });
      const entry = { identity, renewAt: Date.now() + ASSUMED_ROLE_SECONDS * 1000 - REFRESH_MARGIN_MS };
      current = entry;
      // A failed AssumeRole is not kept: the next call tries again.
      identity.catch(() => {
        if (current === entry) current = undefined;
      });
    }
    return current.identity.catch((error: Error & { name?: string }) => {
      throw new AssumeRoleError(roleArn, error);
    });
  };
}

type Service = 'eks' | 'iam' | 's3' | 'sts';
type ClientOf<S extends Service> = S extends 'eks' ? EKSClient : S extends 'iam' ? IAMClient : S extends 's3' ? S3Client : STSClient;

const clients = new Map<string, EKSClient | IAMClient | S3Client | STSClient>();
const credentialProviders = new Map<string, AwsCredentialIdentityProvider>();

function credentialsFor(source: AwsCredentialSource, region: string): AwsCredentialIdentityProvider | undefined {
  if (!source.assumeRoleArn) return undefined;
  const key = JSON.stringify([source.assumeRoleArn, source.profile ?? '', region]);
  let provider = credentialProviders.get(key);
  if (!provider) {
    provider = assumedRoleProvider(source.assumeRoleArn, region, source.profile);
    credentialProviders.set(key, provider);
  }
  return provider;
}

function endpointConfigured(service: string): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL || process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`]);
}

/**
 * Counts and times every command of a client for /metrics, around the SDK's retries (the initialize step
 * runs once per command), so the latency is what a page waited for.
 */
function instrument(client: EKSClient | IAMClient | S3Client | STSClient, service: Service): void {
  (client.middlewareStack as MiddlewareStack<object, object>).add(
    (next, context) => async (args) => {
      const started = performance.now();
      const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      try {
        const output = await next(args);
        recordUpstream(service, operation, 'ok', (performance.now() - started) / 1000);
        return output;
      } catch (error) {
        recordUpstream(service, operation, outcomeOf(error), (performance.now() - started) / 1000);
        throw error;
      }
    },
    { step: 'initialize', name: 'workloadIdentityConsoleMetrics' },
  );
}

/** The SDK client for a service, region and credential source (created once, then shared). */
export function awsClient<S extends Service>(service: S, region: string, source: AwsCredentialSource = {}): ClientOf<S> {
  const signingRegion = service === 'iam' ? iamRegionFor(region) : region;
  const key = JSON.stringify([
    service,
    signingRegion,
    source.assumeRoleArn ?? '',
    source.profile ?? '',
    process.env.AWS_ENDPOINT_URL ?? '',
  ]);
  const existing = clients.get(key);
  if (existing) return existing as ClientOf<S>;
  const common = {
    region: signingRegion,
    maxAttempts: settings.maxAttempts,
    // Standard, not adaptive: the collect cache paces each account's service itself (lib/collect/aimd.ts), as the
    // limits are per account; the adaptive mode's own rate limiter per client would pace the clusters of one
    // account each on its own, below what the account allows.
    retryMode: 'standard' as const,
    // Deadlines abort the socket and answers are size-bounded (issue 10).
    requestHandler: new BoundedHttpHandler(),
    ...(source.profile ? { profile: source.profile } : {}),
    ...(source.assumeRoleArn ? { credentials: credentialsFor(source, region) } : {}),
  };
  let client: EKSClient | IAMClient | S3Client | STSClient;
  if (service === 'eks') client = new EKSClient(common);
  else if (service === 'iam') client = new IAMClient(common);
  else if (service === 's3')
    // A custom endpoint (the simulator, MinIO, LocalStack) serves buckets by path, not as <bucket>.host.
    client = new S3Client({ ...common, followRegionRedirects: true, ...(endpointConfigured('s3') ? { forcePathStyle: true } : {}) });
  else client = new STSClient(common);
  instrument(client, service);
  clients.set(key, client);
  return client as ClientOf<S>;
}

/** Forgets clients and assumed-role sessions (tests that start another simulator). */
export function resetAwsClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
  credentialProviders.clear();
}
