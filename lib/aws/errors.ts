import type { SourceError, SourceService } from '@/lib/model/cluster-state';
import { AssumeRoleError } from './clients';

// AWS SDK v3 failures as the SourceError the pages show: the service's own error code, what the console
// lacks when it is an access denial (the IAM action), and plain words for throttling and unreachable endpoints.

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden']);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'TimeoutError',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export interface AwsCall {
  source: SourceService;
  /** The API operation, e.g. "DescribePodIdentityAssociation". */
  operation: string;
  /** The IAM action it needs, e.g. "eks:DescribePodIdentityAssociation". */
  action: string;
  cluster?: string;
  subject?: Record<string, string>;
}

/** The error code as the service gave it ("AccessDeniedException", "NoSuchEntity", "ECONNREFUSED"). */
export function awsErrorCode(error: unknown): string {
  const sdk = error as SdkError;
  if (error instanceof AssumeRoleError) return error.code;
  return sdk?.Code ?? (sdk?.name && sdk.name !== 'Error' ? sdk.name : undefined) ?? sdk?.code ?? 'Error';
}

/** Throttled past the SDK's own retries (the service's throttling codes). */
export function isThrottlingError(error: unknown): boolean {
  return THROTTLED.has(awsErrorCode(error));
}

export function awsSourceError(call: AwsCall, error: unknown): SourceError {
  const base = {
    ...(call.cluster ? { cluster: call.cluster } : {}),
    source: call.source,
    operation: call.operation,
    ...(call.subject ? { subject: call.subject } : {}),
  };
  if (error instanceof AssumeRoleError) {
    const code = error.code;
    return {
      ...base,
      source: 'sts',
      operation: 'AssumeRole',
      code,
      message: `${call.operation} was not attempted: ${error.message}`,
      ...(ACCESS_DENIED.has(code) ? { missingPermission: `sts:AssumeRole on ${error.roleArn}` } : {}),
    };
  }
  const sdk = error as SdkError;
  const code = awsErrorCode(error);
  const causeCode = (error as { cause?: { code?: string } })?.cause?.code;
  const message = sdk?.message || code;
  if (ACCESS_DENIED.has(code)) return { ...base, code, message, missingPermission: call.action };
  if (THROTTLED.has(code)) {
    const attempts = sdk.$metadata?.attempts;
    return {
      ...base,
      code,
      message: `throttled by ${call.source.toUpperCase()}${attempts ? ` after ${attempts} attempts` : ''}: ${message}`,
    };
  }
  const network = UNREACHABLE.has(code) ? code : causeCode && UNREACHABLE.has(causeCode) ? causeCode : undefined;
  if (network) {
    const endpoint = process.env.AWS_ENDPOINT_URL ? ` (${process.env.AWS_ENDPOINT_URL})` : '';
    return { ...base, code: network, message: `the ${call.source.toUpperCase()} endpoint${endpoint} is unreachable: ${message}` };
  }
  if (code === 'CredentialsProviderError') return { ...base, code, message: `the console has no AWS credentials: ${message}` };
  return { ...base, code, message };
}
