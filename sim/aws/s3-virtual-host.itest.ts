import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startAwsTestServer } from './test-server';

// Without forcePathStyle the SDK keeps path-style for an IP endpoint, and would use bucket.host for a
// host name; both must reach the same object.

const SCENARIO = `
accounts: [{ id: "111111111111" }]
buckets: [{ name: snaps, owner: "111111111111", objects: [{ key: a/b.txt, body: hi }] }]
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
});
afterAll(async () => sim.close());

const credentials = { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' };

describe('S3 addressing styles', () => {
  it('works with an IP endpoint and default addressing', async () => {
    const s3 = new S3Client({ endpoint: sim.url, region: 'us-east-1', credentials });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'snaps', Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hi');
    s3.destroy();
  });

  it('works virtual-host style (bucket.localhost)', async () => {
    const port = new URL(sim.url).port;
    // resolve every *.localhost name to 127.0.0.1, as browsers and systemd-resolved do
    const agent = new http.Agent({
      lookup: (_host: string, options: unknown, callback: unknown) => {
        const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
        const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
        if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
        else cb(null, '127.0.0.1', 4);
      },
    });
    const s3 = new S3Client({
      endpoint: `http://localhost:${port}`,
      region: 'us-east-1',
      credentials,
      requestHandler: { httpAgent: agent },
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'snaps', Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hi');
    s3.destroy();
  });
});
