import type { IncomingHttpHeaders } from 'node:http';
import type { SimWorld } from '../world';
import type { RoleSession } from './sts';
import type { AuthorizationRequest } from './authorize';
import type { Decision } from './policy-evaluator';

// What every simulated AWS service handler sees and returns.

export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members of a JSON error body (EKS adds clusterName, associationId…). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Who is calling: an account's static key, or a role session from AssumeRole. */
export interface AwsCaller {
  account: string;
  accessKeyId: string;
  /** arn:aws:iam::ACCOUNT:root or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  arn: string;
  userId: string;
  /** The ARNs a trust policy may name for this caller (account root, or the role ARN of a session). */
  principalArns: string[];
  /** root: an account's static key (may do everything in its account); user: an IAM user's key; assumed-role: a role session. */
  kind: 'root' | 'user' | 'assumed-role';
  session?: RoleSession;
}

export interface AwsRequest {
  world: SimWorld;
  method: string;
  rawPath: string;
  /** Decoded path segments, without empty ones. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  caller: AwsCaller;
  region: string;
  requestId: string;
  /** Form parameters of a Query-protocol (IAM/STS) request. */
  form: URLSearchParams;
  /** The client's address (aws:SourceIp). */
  sourceIp?: string;
  /** Evaluates the caller for one more action (iam:PassRole, sts:AssumeRole) and throws this service's AccessDenied. */
  authorize(auth: AuthorizationRequest): void;
}

export interface AwsService {
  name: 'eks' | 'iam' | 'sts' | 's3';
  /** The operation name the fault layer matches on. */
  operation(req: AwsRequest): string;
  /** The EKS cluster named in the request, for cluster-scoped faults. */
  cluster?(req: AwsRequest): string | undefined;
  handle(req: AwsRequest): AwsResponse | Promise<AwsResponse>;
  /** `method` matters for S3, which answers HEAD errors without a body. */
  errorResponse(error: AwsError, requestId: string, method: string): AwsResponse;
  /** This service's own answer past a rate (EKS 429 ThrottlingException, IAM/STS 400 Throttling, S3 503 SlowDown). */
  throttlingError(req: AwsRequest): AwsError;
  /** What the request needs to be allowed; null when no permission is needed (sts:GetCallerIdentity). */
  authorization?(req: AwsRequest): AuthorizationRequest | null;
  /** This service's AccessDenied error for a refused request. */
  accessDenied(caller: AwsCaller, auth: AuthorizationRequest, decision: Decision): AwsError;
  /** Errors raised before the caller is known, in this service's own codes. */
  authErrors: {
    missing: AwsError;
    unknownKey: AwsError;
    badSignature: AwsError;
    expiredToken: AwsError;
  };
}

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** <Name>escaped</Name>, or nothing when the value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** ISO 8601 with milliseconds, as the Query and S3 protocols print timestamps. */
export function isoTime(value: string): string {
  return new Date(value).toISOString();
}
