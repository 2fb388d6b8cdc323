import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { startAwsTestServer } from './test-server';

const SCENARIO = `
now: "2026-03-01T12:00:00Z"
accounts:
  - id: "111111111111"
  - id: "222222222222"
buckets:
  - name: restate-snapshots
    owner: "111111111111"
    region: eu-west-1
    policy:
      Version: "2012-10-17"
      Statement:
        - { Effect: Allow, Principal: { AWS: "222222222222" }, Action: s3:ListBucket, Resource: "arn:aws:s3:::restate-snapshots" }
    objects:
      - key: prod/0/latest.json
        lastModified: "-2h"
        json: { version: V2, partition_id: 0, created_at: "-2h" }
      - key: prod/1/latest.json
        json: { version: V2, partition_id: 1, created_at: "-30m" }
      - key: prod/readme.txt
        body: hello
  - name: etcd-backups
    owner: "111111111111"
    deny: ["222222222222"]
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
let s3: S3Client;
const client = (account: string, extra: Record<string, unknown> = {}) =>
  new S3Client({
    endpoint: sim.url,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: `AKIASIM${account}X`, secretAccessKey: `sim-secret-${account}` },
    maxAttempts: 1,
    ...extra,
  });

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
  s3 = client('111111111111');
  for (let i = 0; i < 30; i++) {
    sim.world.buckets.get('restate-snapshots')!.objects.set(`prod/2/lsn_${String(i).padStart(20, '0')}-snap_x/metadata.json`, {
      key: `prod/2/lsn_${String(i).padStart(20, '0')}-snap_x/metadata.json`,
      body: Buffer.from('{}'),
      contentType: 'application/json',
      lastModified: '2026-03-01T11:00:00Z',
      etag: '"99914b932bd37a50b76c2d3b5e2e8d3b"',
    });
  }
});
afterAll(async () => {
  s3.destroy();
  await sim.close();
});

describe('S3 through the real SDK (path-style)', () => {
  it('lists the buckets the account owns', async () => {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(['etcd-backups', 'restate-snapshots']);
  });

  it('lists with a delimiter as common prefixes, and pages with continuation tokens', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'restate-snapshots', Prefix: 'prod/', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['prod/0/', 'prod/1/', 'prod/2/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(['prod/readme.txt']);
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 7 }, { Bucket: 'restate-snapshots', Prefix: 'prod/2/' })) {
      pages++;
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(pages).toBe(5);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: 'restate-snapshots', StartAfter: 'prod/2/lsn_00000000000000000028-snap_x/metadata.json' }),
    );
    expect(after.Contents?.map((c) => c.Key)).toEqual(['prod/2/lsn_00000000000000000029-snap_x/metadata.json', 'prod/readme.txt']);
    const limited = await s3.send(new ListObjectsV2Command({ Bucket: 'restate-snapshots', Prefix: 'prod/', Delimiter: '/', MaxKeys: 2 }));
    expect(limited.IsTruncated).toBe(true);
    const rest = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'restate-snapshots',
        Prefix: 'prod/',
        Delimiter: '/',
        MaxKeys: 2,
        ContinuationToken: limited.NextContinuationToken,
      }),
    );
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['prod/2/']);
    expect(rest.Contents?.map((c) => c.Key)).toEqual(['prod/readme.txt']);
  });

  it('gets a JSON object with relative times resolved, and heads it', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/0/latest.json' }));
    const body = JSON.parse(await got.Body!.transformToString());
    expect(body).toEqual({ version: 'V2', partition_id: 0, created_at: '2026-03-01T10:00:00Z' });
    expect(got.ContentType).toBe('application/json');
    expect(got.LastModified?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/readme.txt' }));
    expect(head.ContentLength).toBe(5);
    expect(head.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
  });

  it('puts objects from a buffer and from a stream', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'restate-snapshots',
        Key: 'prod/3/latest.json',
        Body: Buffer.from('{"a":1}'),
        ContentType: 'application/json',
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/3/latest.json' }));
    expect(await got.Body!.transformToString()).toBe('{"a":1}');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'restate-snapshots',
        Key: 'prod/3/stream.bin',
        Body: Readable.from([Buffer.from('abc'), Buffer.from('def')]),
        ContentLength: 6,
      }),
    );
    const streamed = await s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/3/stream.bin' }));
    expect(await streamed.Body!.transformToString()).toBe('abcdef');
  });

  it('answers NoSuchKey, NotFound on HEAD, NoSuchBucket and AccessDenied', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'nope' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'restate-snapshots', Key: 'nope' }))).rejects.toBeInstanceOf(NotFound);
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(NoSuchBucket);
    const denied = client('222222222222');
    const err = await denied.send(new ListObjectsV2Command({ Bucket: 'etcd-backups' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    // another account reads only what the bucket policy grants it, and is told no more than "Access Denied"
    await expect(denied.send(new ListObjectsV2Command({ Bucket: 'restate-snapshots' }))).resolves.toBeTruthy();
    await expect(denied.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/0/latest.json' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied',
    });
    denied.destroy();
  });

  it('rejects an unknown key with InvalidAccessKeyId and a wrong secret with SignatureDoesNotMatch', async () => {
    const stranger = new S3Client({
      endpoint: sim.url,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new ListBucketsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
      $metadata: { httpStatusCode: 403 },
    });
    const wrong = new S3Client({
      endpoint: sim.url,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'bad' },
      maxAttempts: 1,
    });
    await expect(wrong.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/readme.txt' }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });

  it('answers SlowDown (503) when a throttle fault is over its rate', async () => {
    sim.world.faults.add({ id: 's3-throttle', service: 's3', operation: 'GetObject', throttle: { perSecond: 0.001 }, probability: 1 });
    await s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/readme.txt' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/readme.txt' }))).rejects.toMatchObject({
      name: 'SlowDown',
      $metadata: { httpStatusCode: 503 },
    });
    sim.world.faults.remove('s3-throttle');
  });

  it('serves a presigned GET URL, and refuses it once tampered with', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: 'eu-west-1',
      sha256: Sha256,
      uriEscapePath: false,
      credentials: { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' },
    });
    const url = new URL(sim.url);
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/restate-snapshots/prod/readme.txt',
        query: {},
        headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      // as @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD and that header stays out of the URL
      { expiresIn: 300, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await fetch(`${sim.url}/restate-snapshots/prod/readme.txt?${query}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello');
    const tampered = await fetch(`${sim.url}/restate-snapshots/prod/1/latest.json?${query}`);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
