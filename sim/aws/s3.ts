import type { SimBucket, SimObject } from '../world';
import { md5Etag } from './ids';
import { AwsError, el, isoTime, xmlEscape, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import type { AuthorizationRequest } from './authorize';
import { denialClause } from './policy-evaluator';

/** The IAM action each S3 operation needs (S3 user guide, "Required permissions for Amazon S3 API operations"). */
const S3_ACTIONS: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  HeadBucket: 's3:ListBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjectsV2: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
};

// S3, REST-XML (S3 API reference). Path-style (/bucket/key) is what the product uses with a custom
// endpoint (forcePathStyle); virtual-host style (bucket.host) is recognised too when the bucket exists.

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xml(body: string): AwsResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

interface S3Target {
  bucket?: string;
  key?: string;
}

function targetOf(req: AwsRequest): S3Target {
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
  if (!isIp && host.includes('.')) {
    const bucket = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : host.split('.')[0];
    if (req.world.buckets.has(bucket)) {
      const key = req.rawPath.length > 1 ? decodeURIComponent(req.rawPath.slice(1)) : undefined;
      return { bucket, key };
    }
  }
  const path = req.rawPath;
  const slash = path.indexOf('/', 1);
  if (path === '/' || path === '') return {};
  if (slash < 0) return { bucket: decodeURIComponent(path.slice(1)) };
  const key = decodeURIComponent(path.slice(slash + 1));
  return { bucket: decodeURIComponent(path.slice(1, slash)), key: key === '' ? undefined : key };
}

/** Payloads sent with aws-chunked encoding (streaming SigV4 or unsigned trailers) carry frames to strip. */
function decodePayload(req: AwsRequest): Buffer {
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (!sha.startsWith('STREAMING-') && !encoding.includes('aws-chunked')) return req.body;
  const parts: Buffer[] = [];
  let offset = 0;
  const body = req.body;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const header = body.subarray(offset, lineEnd).toString('latin1');
    const size = parseInt(header.split(';')[0], 16);
    if (Number.isNaN(size)) throw new AwsError(400, 'InvalidRequest', 'Malformed aws-chunked payload');
    offset = lineEnd + 2;
    if (size === 0) break; // trailers (checksums) follow; the sim does not need them
    parts.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
  return Buffer.concat(parts);
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

function objectHeaders(object: SimObject): Record<string, string> {
  return {
    'content-type': object.contentType,
    'content-length': String(object.body.length),
    etag: object.etag,
    'last-modified': httpDate(object.lastModified),
    'accept-ranges': 'bytes',
  };
}

/** Validates a bucket policy as S3 does (MalformedPolicy with S3's reasons). */
export function parseBucketPolicy(text: string, bucket: string): Record<string, unknown> {
  const malformed = (message: string) => new AwsError(400, 'MalformedPolicy', message);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  const policy = parsed as Record<string, unknown>;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  if (statements.length === 0) throw malformed('Missing required field Statement');
  for (const statement of statements as Record<string, unknown>[]) {
    if (!statement || typeof statement !== 'object') throw malformed('Statement is not an object');
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformed('Invalid effect: ' + String(statement.Effect));
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) throw malformed('Missing required field Principal');
    if (statement.Action === undefined && statement.NotAction === undefined) throw malformed('Missing required field Action');
    const resources = [statement.Resource ?? statement.NotResource].flat();
    if (resources.length === 0 || resources[0] === undefined) throw malformed('Missing required field Resource');
    for (const resource of resources) {
      // Every resource must be able to name this bucket or its objects; a wildcard may stand for part of it.
      const literal = typeof resource === 'string' ? resource.split(/[*?]/)[0] : '';
      const own = `arn:aws:s3:::${bucket}`;
      const inBucket =
        typeof resource === 'string' &&
        (resource === own ||
          literal.startsWith(`${own}/`) ||
          (literal.length < resource.length && `${own}/`.startsWith(literal) && literal.startsWith('arn:aws:s3:::')));
      if (!inBucket) throw malformed('Policy has invalid resource');
    }
  }
  return policy;
}

const encodeToken = (after: string) => Buffer.from(after, 'utf8').toString('base64');

export function createS3Service(): AwsService {
  function bucketOf(req: AwsRequest, name: string): SimBucket {
    const bucket = req.world.buckets.get(name);
    if (!bucket) throw new AwsError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
    if (bucket.deny.has(req.caller.account)) throw new AwsError(403, 'AccessDenied', 'Access Denied');
    return bucket;
  }

  function operation(req: AwsRequest): string {
    const { bucket, key } = targetOf(req);
    const m = req.method;
    if (!bucket) return m === 'GET' ? 'ListBuckets' : 'Unknown';
    if (!key) {
      if (m === 'HEAD') return 'HeadBucket';
      if (m === 'GET' && req.query.has('location')) return 'GetBucketLocation';
      if (req.query.has('policy'))
        return m === 'GET' ? 'GetBucketPolicy' : m === 'PUT' ? 'PutBucketPolicy' : m === 'DELETE' ? 'DeleteBucketPolicy' : 'Unknown';
      if (m === 'GET') return req.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      return 'Unknown';
    }
    if (m === 'GET') return 'GetObject';
    if (m === 'HEAD') return 'HeadObject';
    if (m === 'PUT') return 'PutObject';
    return 'Unknown';
  }

  function listObjects(req: AwsRequest, bucket: SimBucket, v2: boolean): AwsResponse {
    const q = req.query;
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const maxKeysRaw = q.get('max-keys');
    const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new AwsError(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range');
    const urlEncoded = q.get('encoding-type') === 'url';
    const enc = (v: string) => (urlEncoded ? encodeURIComponent(v).replace(/%2F/g, '/') : v);
    const continuation = v2 ? q.get('continuation-token') : null;
    const startAfter = v2 ? (q.get('start-after') ?? '') : (q.get('marker') ?? '');
    let after = startAfter;
    if (continuation !== null) {
      const decoded = Buffer.from(continuation, 'base64').toString('utf8');
      if (!continuation || encodeToken(decoded) !== continuation)
        throw new AwsError(400, 'InvalidArgument', 'The continuation token provided is incorrect');
      if (decoded > after) after = decoded;
    }
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const contents: SimObject[] = [];
    const commonPrefixes: string[] = [];
    let lastReturned = '';
    let truncated = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      let common: string | undefined;
      if (delimiter) {
        const idx = key.indexOf(delimiter, prefix.length);
        if (idx >= 0) common = key.slice(0, idx + delimiter.length);
      }
      if (common !== undefined && commonPrefixes[commonPrefixes.length - 1] === common) {
        lastReturned = key;
        continue;
      }
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common !== undefined) {
        commonPrefixes.push(common);
        // skip every key under this common prefix: the next token resumes after the prefix
        lastReturned = key;
      } else {
        contents.push(bucket.objects.get(key)!);
        lastReturned = key;
      }
    }
    // Resume after the whole last common prefix, so a prefix is never reported twice.
    const lastPrefix = commonPrefixes[commonPrefixes.length - 1];
    const resumeAfter = lastPrefix !== undefined && lastReturned.startsWith(lastPrefix) ? `${lastPrefix}\u{10FFFF}` : lastReturned;
    const contentsXml = contents
      .map(
        (o) =>
          `<Contents>${el('Key', enc(o.key))}${el('LastModified', isoTime(o.lastModified))}${el('ETag', o.etag)}${el('Size', o.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('');
    const prefixesXml = commonPrefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
    const head =
      `<ListBucketResult xmlns="${NS}">${el('Name', bucket.name)}${el('Prefix', enc(prefix))}` +
      (delimiter ? el('Delimiter', enc(delimiter)) : '') +
      el('MaxKeys', maxKeys) +
      (urlEncoded ? el('EncodingType', 'url') : '') +
      el('IsTruncated', truncated);
    if (v2) {
      return xml(
        head +
          el('KeyCount', contents.length + commonPrefixes.length) +
          (continuation !== null ? el('ContinuationToken', continuation) : '') +
          (truncated ? el('NextContinuationToken', encodeToken(resumeAfter)) : '') +
          (q.get('start-after') ? el('StartAfter', enc(startAfter)) : '') +
          contentsXml +
          prefixesXml +
          '</ListBucketResult>',
      );
    }
    return xml(
      head +
        el('Marker', enc(startAfter)) +
        (truncated && delimiter ? el('NextMarker', enc(lastPrefix ?? lastReturned)) : '') +
        contentsXml +
        prefixesXml +
        '</ListBucketResult>',
    );
  }

  function handle(req: AwsRequest): AwsResponse {
    const op = operation(req);
    const { bucket: bucketName, key } = targetOf(req);
    switch (op) {
      case 'ListBuckets': {
        const owned = [...req.world.buckets.values()]
          .filter((b) => b.owner === req.caller.account)
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        return xml(
          `<ListAllMyBucketsResult xmlns="${NS}"><Owner>${el('ID', req.caller.account)}</Owner><Buckets>` +
            owned
              .map(
                (b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', isoTime(b.createdAt))}${el('BucketRegion', b.region)}</Bucket>`,
              )
              .join('') +
            '</Buckets></ListAllMyBucketsResult>',
        );
      }
      case 'HeadBucket': {
        const bucket = bucketOf(req, bucketName!);
        return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
      }
      case 'GetBucketLocation': {
        const bucket = bucketOf(req, bucketName!);
        // us-east-1 is reported as an empty LocationConstraint (S3 API reference).
        return xml(
          `<LocationConstraint xmlns="${NS}">${bucket.region === 'us-east-1' ? '' : xmlEscape(bucket.region)}</LocationConstraint>`,
        );
      }
      case 'GetBucketPolicy':
      case 'PutBucketPolicy':
      case 'DeleteBucketPolicy': {
        const bucket = bucketOf(req, bucketName!);
        // Only identities of the bucket owner's account may read or change its policy; others get 405
        // (S3 API reference, GetBucketPolicy).
        if (bucket.owner !== req.caller.account)
          throw new AwsError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
            Method: req.method,
            ResourceType: 'BUCKETPOLICY',
          });
        if (op === 'GetBucketPolicy') {
          if (!bucket.policy)
            throw new AwsError(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucket.name });
          return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(bucket.policy) };
        }
        if (op === 'DeleteBucketPolicy') {
          bucket.policy = undefined;
          return { status: 204 };
        }
        bucket.policy = parseBucketPolicy(decodePayload(req).toString('utf8'), bucket.name);
        return { status: 204 };
      }
      case 'ListObjectsV2':
        return listObjects(req, bucketOf(req, bucketName!), true);
      case 'ListObjects':
        return listObjects(req, bucketOf(req, bucketName!), false);
      case 'GetObject':
      case 'HeadObject': {
        const bucket = bucketOf(req, bucketName!);
        const object = bucket.objects.get(key!);
        if (!object) throw new AwsError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        return { status: 200, headers: objectHeaders(object), body: op === 'GetObject' ? object.body : undefined };
      }
      case 'PutObject': {
        const bucket = bucketOf(req, bucketName!);
        const body = decodePayload(req);
        const object: SimObject = {
          key: key!,
          body,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          lastModified: req.world.clock.nowIso(),
          etag: md5Etag(body),
        };
        bucket.objects.set(object.key, object);
        return { status: 200, headers: { etag: object.etag, 'content-length': '0' } };
      }
      default:
        throw new AwsError(
          405,
          'MethodNotAllowed',
          `The specified method is not allowed against this resource (${req.method} ${req.rawPath}).`,
        );
    }
  }

  function authorization(req: AwsRequest): AuthorizationRequest | null {
    const op = operation(req);
    const action = S3_ACTIONS[op];
    if (!action) return null;
    const { bucket: bucketName, key } = targetOf(req);
    if (!bucketName) return { action, resource: '*' };
    const bucket = req.world.buckets.get(bucketName);
    if (!bucket) return null; // NoSuchBucket, from the handler
    const isObject = op === 'GetObject' || op === 'HeadObject' || op === 'PutObject';
    const listing = op === 'ListObjects' || op === 'ListObjectsV2';
    return {
      action,
      resource: isObject ? `arn:aws:s3:::${bucket.name}/${key}` : `arn:aws:s3:::${bucket.name}`,
      context: listing
        ? {
            's3:prefix': req.query.get('prefix') ?? undefined,
            's3:delimiter': req.query.get('delimiter') ?? undefined,
            's3:max-keys': req.query.get('max-keys') ?? undefined,
          }
        : undefined,
      resourcePolicy: { account: bucket.owner, document: bucket.policy },
    };
  }

  return {
    name: 's3',
    operation,
    authorization,
    accessDenied(caller, auth, decision) {
      // S3 explains a denial only within the bucket owner's account; other callers get the bare "Access Denied"
      // (S3 user guide, "Troubleshoot access denied (403 Forbidden) errors").
      if (auth.resourcePolicy && auth.resourcePolicy.account !== caller.account) return new AwsError(403, 'AccessDenied', 'Access Denied');
      return new AwsError(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: ${auth.action} on resource: "${auth.resource}" ${denialClause(decision.reason!, auth.action)}`,
      );
    },
    handle,
    errorResponse(error, requestId, method): AwsResponse {
      // HEAD responses carry no body, so the SDK sees only the status (S3 API reference, HeadObject).
      if (method === 'HEAD') return { status: error.status, headers: { 'content-length': '0' } };
      const extra = Object.entries(error.fields)
        .map(([k, v]) => el(k, String(v)))
        .join('');
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', error.code)}${el('Message', error.message)}${extra}${el('RequestId', requestId)}${el('HostId', Buffer.from(requestId).toString('base64'))}</Error>`,
      };
    },
    throttlingError: () => new AwsError(503, 'SlowDown', 'Please reduce your request rate.'),
    authErrors: {
      missing: new AwsError(403, 'AccessDenied', 'Access Denied'),
      unknownKey: new AwsError(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'),
      badSignature: new AwsError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      ),
      expiredToken: new AwsError(400, 'ExpiredToken', 'The provided token has expired.'),
    },
  };
}
