import { createHash } from 'node:crypto';
import type { SimBucket, SimWorld } from '../world';
import { AwsError, isoSeconds, xmlElement, xmlEscape, type AwsRequest, type AwsResponse } from './protocol';

// S3, REST-XML, path-style (docs.aws.amazon.com/AmazonS3/latest/API). A bucket's `deny` list gives
// AccessDenied to callers of those accounts, which is how scenarios model a broken writer or reader.

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function s3Operation(method: string, path: string, query: URLSearchParams): { operation: string; bucket?: string; key?: string } {
  const [, bucket, ...keyParts] = path.split('/');
  const key = keyParts.join('/');
  if (!bucket) return { operation: method === 'GET' ? 'ListBuckets' : 'Unknown' };
  if (!key) {
    if (method === 'GET' && query.get('list-type') === '2') return { operation: 'ListObjectsV2', bucket };
    if (method === 'GET' && query.has('location')) return { operation: 'GetBucketLocation', bucket };
    if (method === 'GET') return { operation: 'ListObjects', bucket };
    if (method === 'HEAD') return { operation: 'HeadBucket', bucket };
    return { operation: 'Unknown', bucket };
  }
  const operation = method === 'GET' ? 'GetObject' : method === 'HEAD' ? 'HeadObject' : method === 'PUT' ? 'PutObject' : 'Unknown';
  return { operation, bucket, key };
}

function xml(body: string): AwsResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function findBucket(world: SimWorld, req: AwsRequest, name: string): SimBucket {
  const bucket = world.buckets.get(name);
  if (!bucket) throw new AwsError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  if (bucket.deny.has(req.caller.account)) throw new AwsError(403, 'AccessDenied', 'Access Denied');
  return bucket;
}

/** aws-chunked bodies (SigV4 streaming uploads): "<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n". */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new AwsError(400, 'IncompleteBody', 'The request body is not valid aws-chunked encoding.');
    if (size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function listObjectsV2(bucket: SimBucket, query: URLSearchParams): AwsResponse {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeysRaw = query.get('max-keys');
  const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new AwsError(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
  const continuationToken = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? '';
  const after = continuationToken ? Buffer.from(continuationToken, 'base64').toString('utf8') : startAfter;

  // One sorted list of entries: a key, or a common prefix standing for every key under it (counted once).
  const entries: { key?: string; commonPrefix?: string; sortKey: string }[] = [];
  const seenPrefixes = new Set<string>();
  for (const key of [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort()) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const commonPrefix = key.slice(0, cut + delimiter.length);
      if (!seenPrefixes.has(commonPrefix)) {
        seenPrefixes.add(commonPrefix);
        entries.push({ commonPrefix, sortKey: commonPrefix });
      }
    } else {
      entries.push({ key, sortKey: key });
    }
  }
  const remaining = entries.filter((e) => e.sortKey > after);
  const pageEntries = remaining.slice(0, Math.min(maxKeys, 1000));
  const truncated = remaining.length > pageEntries.length;
  const contents = pageEntries.filter((e) => e.key).map((e) => {
    const object = bucket.objects.get(e.key!)!;
    return `<Contents>${xmlElement('Key', e.key)}${xmlElement('LastModified', new Date(object.lastModified).toISOString())}${xmlElement('ETag', object.etag)}${xmlElement('Size', object.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`;
  });
  const commonPrefixes = pageEntries.filter((e) => e.commonPrefix).map((e) => `<CommonPrefixes>${xmlElement('Prefix', e.commonPrefix)}</CommonPrefixes>`);
  const last = pageEntries.at(-1)?.sortKey ?? after;
  return xml(
    `<ListBucketResult xmlns="${XMLNS}">${xmlElement('Name', bucket.name)}${xmlElement('Prefix', prefix)}${delimiter ? xmlElement('Delimiter', delimiter) : ''}` +
      `${xmlElement('MaxKeys', maxKeys)}${xmlElement('KeyCount', pageEntries.length)}${xmlElement('IsTruncated', truncated)}` +
      (continuationToken ? xmlElement('ContinuationToken', continuationToken) : '') +
      (truncated ? xmlElement('NextContinuationToken', Buffer.from(last).toString('base64')) : '') +
      (startAfter ? xmlElement('StartAfter', startAfter) : '') +
      contents.join('') +
      commonPrefixes.join('') +
      '</ListBucketResult>',
  );
}

export function handleS3(world: SimWorld, req: AwsRequest, operation: string, bucketName?: string, rawKey?: string): AwsResponse {
  const key = rawKey === undefined ? undefined : decodeURIComponent(rawKey);
  switch (operation) {
    case 'ListBuckets': {
      const owned = [...world.buckets.values()].filter((b) => b.owner === req.caller.account);
      return xml(
        `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${createHash('sha256').update(req.caller.account).digest('hex')}</ID><DisplayName>${xmlEscape(req.caller.account)}</DisplayName></Owner><Buckets>` +
          owned.map((b) => `<Bucket>${xmlElement('Name', b.name)}${xmlElement('CreationDate', new Date(b.createdAt).toISOString())}</Bucket>`).join('') +
          '</Buckets></ListAllMyBucketsResult>',
      );
    }
    case 'ListObjectsV2':
      return listObjectsV2(findBucket(world, req, bucketName!), req.query);
    case 'ListObjects': {
      // ListObjects (v1) as a thin alias: same listing, marker paging.
      const query = new URLSearchParams(req.query);
      if (query.get('marker')) query.set('start-after', query.get('marker')!);
      return listObjectsV2(findBucket(world, req, bucketName!), query);
    }
    case 'GetBucketLocation': {
      const bucket = findBucket(world, req, bucketName!);
      return xml(`<LocationConstraint xmlns="${XMLNS}">${bucket.region === 'us-east-1' ? '' : xmlEscape(bucket.region)}</LocationConstraint>`);
    }
    case 'HeadBucket': {
      const bucket = findBucket(world, req, bucketName!);
      return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
    }
    case 'GetObject':
    case 'HeadObject': {
      const bucket = findBucket(world, req, bucketName!);
      const object = bucket.objects.get(key!);
      if (!object) throw new AwsError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key! });
      return {
        status: 200,
        headers: {
          'content-type': object.contentType,
          'content-length': String(object.body.length),
          etag: object.etag,
          'last-modified': new Date(object.lastModified).toUTCString(),
          'accept-ranges': 'bytes',
        },
        body: operation === 'GetObject' ? object.body : undefined,
      };
    }
    case 'PutObject': {
      const bucket = findBucket(world, req, bucketName!);
      const chunked = String(req.headers['content-encoding'] ?? '').includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
      const body = chunked ? decodeAwsChunked(req.body) : req.body;
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      bucket.objects.set(key!, {
        key: key!,
        body,
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        lastModified: isoSeconds(world.clock.now()),
        etag,
      });
      return { status: 200, headers: { etag } };
    }
  }
  throw new AwsError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}
