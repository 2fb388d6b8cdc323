import 'server-only';
import { GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { ReadLimitError } from '@/lib/limits/read-limits';
import type { PolicyDocument } from '@/lib/model/cluster-state';
import { decodePolicyDocument } from './iam';
import { awsClient } from './clients';
import type { AwsScope } from './eks';

// The S3 reads the snapshot checks make: listing under a prefix and reading small JSON objects.

export async function listObjectsV2Page(
  scope: AwsScope,
  bucket: string,
  prefix: string,
  delimiter: string | undefined,
  continuationToken: string | undefined,
): Promise<{ keys: string[]; commonPrefixes: string[]; continuationToken?: string }> {
  const page = await awsClient('s3', scope.region, scope.credentials).send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: continuationToken }),
  );
  return {
    keys: (page.Contents ?? []).map((object) => object.Key ?? '').filter((key) => key !== ''),
    commonPrefixes: (page.CommonPrefixes ?? []).map((common) => common.Prefix ?? '').filter((prefixText) => prefixText !== ''),
    ...(page.IsTruncated && page.NextContinuationToken ? { continuationToken: page.NextContinuationToken } : {}),
  };
}

/**
 * The object's text, read as a stream and stopped past `maxBytes` (ReadLimitError): a huge or endless object
 * costs the console at most that much. ContentLength is checked first so a declared-huge object is not read.
 */
export async function getObjectText(scope: AwsScope, bucket: string, key: string, maxBytes: number): Promise<string> {
  const object = await awsClient('s3', scope.region, scope.credentials).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = object.Body as (Readable & { transformToString?: unknown }) | undefined;
  if (!body) return '';
  const tooLarge = () => new ReadLimitError(`s3://${bucket}/${key} is larger than ${maxBytes} bytes; the console does not read it`);
  if (object.ContentLength !== undefined && object.ContentLength > maxBytes) {
    body.destroy?.();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * GetBucketPolicy: the bucket's policy, or null when it has none (NoSuchBucketPolicy). Only identities of the
 * bucket owner's account may call it (S3 API reference, GetBucketPolicy), so an answer also says the bucket
 * is in the caller's account.
 */
export async function getBucketPolicy(scope: AwsScope, bucket: string): Promise<PolicyDocument | null> {
  try {
    const out = await awsClient('s3', scope.region, scope.credentials).send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return out.Policy ? decodePolicyDocument(out.Policy) : null;
  } catch (error) {
    const e = error as { name?: string; Code?: string };
    if (e.name === 'NoSuchBucketPolicy' || e.Code === 'NoSuchBucketPolicy') return null;
    throw error;
  }
}
