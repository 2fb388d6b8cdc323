import { randomUUID } from 'node:crypto';
import type http from 'node:http';

// Wire helpers shared by the per-service handlers: each AWS protocol has its own error shape, and the SDK
// maps those shapes to its typed exceptions, so they must be exact.

export type AwsService = 'eks' | 'iam' | 'sts' | 's3';

export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface AwsRequest {
  method: string;
  /** Raw path as sent (still percent-encoded). */
  rawPath: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  service: AwsService;
  region: string;
  caller: Caller;
}

export interface Caller {
  account: string;
  arn: string;
  userId: string;
  accessKeyId: string;
  /** Set for temporary credentials from AssumeRole. */
  assumedRoleArn?: string;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** <Tag>value</Tag> for defined values; nested XML passes through when `raw` is true. */
export function xmlElement(tag: string, value: string | number | boolean | undefined | null, raw = false): string {
  if (value === undefined || value === null) return '';
  return `<${tag}>${raw ? String(value) : xmlEscape(String(value))}</${tag}>`;
}

export function requestId(): string {
  return randomUUID();
}

const QUERY_NAMESPACES: Record<'iam' | 'sts', string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** awsQuery success: <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>. */
export function queryResponse(service: 'iam' | 'sts', action: string, result: string | null): AwsResponse {
  const body =
    `<${action}Response xmlns="${QUERY_NAMESPACES[service]}">` +
    (result === null ? '' : `<${action}Result>${result}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

export function errorResponse(service: AwsService, error: AwsError): AwsResponse {
  const id = requestId();
  if (service === 'eks') {
    return {
      status: error.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': id },
      body: JSON.stringify({ message: error.message, ...error.extra }),
    };
  }
  if (service === 's3') {
    const extra = Object.entries(error.extra).map(([k, v]) => xmlElement(k, v)).join('');
    return {
      status: error.status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message>${extra}<RequestId>${id}</RequestId></Error>`,
    };
  }
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}"><Error><Type>${type}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
  };
}

/** Each service's own throttling error (what the SDK's retry strategy recognises). */
export function throttlingError(service: AwsService): AwsError {
  switch (service) {
    case 'eks':
      return new AwsError(429, 'ThrottlingException', 'Rate exceeded');
    case 's3':
      return new AwsError(503, 'SlowDown', 'Please reduce your request rate.');
    default:
      return new AwsError(400, 'Throttling', 'Rate exceeded');
  }
}

export function jsonResponse(body: unknown, status = 200): AwsResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId() }, body: JSON.stringify(body) };
}

/** REST-JSON timestamps are epoch seconds. */
export function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

export function isoSeconds(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
