import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type http from 'node:http';
import { AwsError, type AwsService } from './protocol';

// Verifies AWS Signature Version 4 the way AWS does: recompute the signature over the headers the client
// says it signed, with the secret of the access key in the credential scope, and compare.

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  if (!header) return null;
  const match = AUTH.exec(header.trim());
  if (!match) return null;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4], signedHeaders: match[5].split(';'), signature: match[6] };
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new AwsError(400, 'IncompleteSignature', `Invalid X-Amz-Date: ${value}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export async function expectedSignature(
  req: http.IncomingMessage,
  rawPath: string,
  query: URLSearchParams,
  body: Buffer,
  auth: ParsedAuthorization,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) throw new AwsError(403, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided: signed header ${name} is missing`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const amzDate = headers['x-amz-date'] ?? (req.headers['x-amz-date'] as string | undefined);
  if (!amzDate) throw new AwsError(400, 'IncompleteSignature', 'Authorization header requires existence of either a X-Amz-Date or a Date header.');
  const queryRecord: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    queryRecord[key] = values.length === 1 ? values[0] : values;
  }
  const request = new HttpRequest({
    method: req.method ?? 'GET',
    protocol: 'http:',
    hostname: (headers.host ?? 'localhost').split(':')[0],
    path: rawPath,
    query: queryRecord,
    headers,
    body,
  });
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials,
    sha256: Sha256,
    // S3 signs the path as sent; every other service double-encodes it (SigV4 spec, "canonical URI").
    uriEscapePath: auth.service !== 's3',
    applyChecksum: false,
  });
  const signed = await signer.sign(request, {
    signingDate: parseAmzDate(amzDate),
    signableHeaders: new Set(auth.signedHeaders),
  });
  const parsed = parseAuthorization(String(signed.headers.authorization ?? signed.headers.Authorization));
  return parsed?.signature ?? '';
}

export function serviceFromScope(scope: string): AwsService | null {
  return scope === 'eks' || scope === 'iam' || scope === 'sts' || scope === 's3' ? scope : null;
}
