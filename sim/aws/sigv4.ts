import { Sha256 } from '@aws-crypto/sha256-js';
import type { HttpRequest } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders } from 'node:http';

// Verifying AWS Signature Version 4: recompute the signature with the signer the SDK itself uses, over
// exactly the headers the client said it signed, and compare.

export interface SigV4Claim {
  accessKeyId: string;
  date: string; // yyyymmdd from the scope
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** x-amz-date (header) or X-Amz-Date (presigned query). */
  amzDate: string;
  sessionToken?: string;
  presigned: boolean;
  expiresIn?: number;
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})\s*$/;

export class SigV4FormatError extends Error {}

/** The credential the request claims, or null when it carries no SigV4 authentication at all. */
export function readSigV4Claim(headers: IncomingHttpHeaders, query: URLSearchParams): SigV4Claim | null {
  const authorization = headers.authorization;
  if (authorization) {
    const match = AUTH.exec(authorization);
    if (!match)
      throw new SigV4FormatError(
        `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in the AWS4-HMAC-SHA256 form`,
      );
    const amzDate = headerValue(headers, 'x-amz-date');
    if (!amzDate) throw new SigV4FormatError("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    return {
      accessKeyId: match[1],
      date: match[2],
      region: match[3],
      service: match[4],
      signedHeaders: match[5].split(';'),
      signature: match[6],
      amzDate,
      sessionToken: headerValue(headers, 'x-amz-security-token'),
      presigned: false,
    };
  }
  if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const credential = (query.get('X-Amz-Credential') ?? '').split('/');
    const signature = query.get('X-Amz-Signature') ?? '';
    const amzDate = query.get('X-Amz-Date') ?? '';
    if (credential.length !== 5 || !signature || !amzDate)
      throw new SigV4FormatError(
        'Query-string authentication requires the X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature parameters',
      );
    return {
      accessKeyId: credential[0],
      date: credential[1],
      region: credential[2],
      service: credential[3],
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? 'host').split(';'),
      signature,
      amzDate,
      sessionToken: query.get('X-Amz-Security-Token') ?? undefined,
      presigned: true,
      expiresIn: Number(query.get('X-Amz-Expires') ?? '3600'),
    };
  }
  return null;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** 20240102T030405Z -> Date */
export function parseAmzDate(amzDate: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export interface SignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function verifySigV4(
  claim: SigV4Claim,
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  const signingDate = parseAmzDate(claim.amzDate);
  if (!signingDate) return false;
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return false;
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    if (claim.presigned && key === 'X-Amz-Signature') continue;
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  // S3 signs the path as sent; every other service normalises and escapes it again (SigV4 spec).
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: claim.region,
    service: claim.service,
    sha256: Sha256,
    uriEscapePath: claim.service !== 's3',
    applyChecksum: false,
  });
  const httpRequest: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: 'localhost',
    path: request.rawPath,
    query,
    headers,
    body: request.body.length > 0 ? request.body : undefined,
  };
  let expected: string | undefined;
  if (claim.presigned) {
    // A presigned URL signs its own query parameters (minus the signature) and, for S3, UNSIGNED-PAYLOAD;
    // other services sign the hash of the (empty) body (botocore auth.py SigV4QueryAuth vs S3SigV4QueryAuth;
    // aws-sdk-go v4 signer: only S3 presigns UNSIGNED-PAYLOAD), as an STS URL inside an EKS token does.
    const payloadHeader: Record<string, string> = claim.service === 's3' ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {};
    const signed = await signer.presign(
      { ...httpRequest, headers: { ...headers, ...payloadHeader }, query: stripPresignParams(query) },
      {
        signingDate,
        expiresIn: claim.expiresIn,
        signableHeaders: new Set(claim.signedHeaders),
        unhoistableHeaders: new Set([...Object.keys(headers), 'x-amz-content-sha256']),
        unsignableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    const sig = signed.query?.['X-Amz-Signature'];
    expected = (Array.isArray(sig) ? sig[0] : sig) ?? undefined;
  } else {
    const signed = await signer.sign(httpRequest, { signingDate, signableHeaders: new Set(claim.signedHeaders) });
    const authorization = signed.headers.authorization ?? signed.headers.Authorization;
    expected = /Signature=([0-9a-f]{64})/.exec(authorization ?? '')?.[1];
  }
  return expected === claim.signature;
}

function stripPresignParams(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    // X-Amz-Security-Token stays: it is part of the signed query string
    if (['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].includes(key))
      continue;
    out[key] = value;
  }
  return out;
}
