import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { startAwsTestServer } from './aws/test-server';

const SCENARIO = `
now: "2026-03-01T12:00:00Z"
accounts: [{ id: "111111111111" }]
clusters: [{ name: prod, account: "111111111111", region: eu-west-1 }]
faults:
  - { service: eks, operation: DescribeCluster, latencyMs: 150 }
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
let eks: EKSClient;

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
  eks = new EKSClient({
    endpoint: sim.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  eks.destroy();
  await sim.close();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('control endpoint /_sim/', () => {
  it('reports health and moves the clock', async () => {
    expect((await call('GET', '/_sim/health')).json).toMatchObject({ status: 'ok', eksClusters: 1 });
    const before = Date.parse((await call('GET', '/_sim/clock')).json.now as string);
    const advanced = await call('POST', '/_sim/clock/advance', { ms: 3_600_000 });
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.json.now as string) - before).toBeGreaterThanOrEqual(3_600_000);
    expect(await call('POST', '/_sim/clock/advance', { ms: 'soon' })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('body.ms') },
    });
  });

  it('applies scenario latency, then serves injected errors and clears them', async () => {
    const started = Date.now();
    await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const listed = await call('GET', '/_sim/faults');
    expect(listed.json.faults).toHaveLength(1);

    const added = await call('POST', '/_sim/faults', {
      id: 'broken',
      service: 'eks',
      operation: 'DescribeCluster',
      error: { status: 503, code: 'ServiceUnavailableException', message: 'try later' },
    });
    expect(added).toMatchObject({ status: 201, json: { id: 'broken' } });
    await expect(eks.send(new DescribeClusterCommand({ name: 'prod' }))).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      message: 'try later',
    });
    expect((await call('DELETE', '/_sim/faults/broken')).status).toBe(200);
    expect((await call('DELETE', '/_sim/faults/broken')).status).toBe(404);
    expect((await call('DELETE', '/_sim/faults')).json.faults).toEqual([]);
    const started2 = Date.now();
    await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(Date.now() - started2).toBeLessThan(140);
  });

  it('rejects bad fault bodies with messages that name the problem', async () => {
    expect(await call('POST', '/_sim/faults', '{oops')).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('not valid JSON') },
    });
    const twoKinds = await call('POST', '/_sim/faults', { service: 'eks', operation: 'X', latencyMs: 1, hang: true });
    expect(twoKinds).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('exactly one of latencyMs, error, throttle or hang') },
    });
    const badService = await call('POST', '/_sim/faults', { service: 'ec2', operation: 'X', hang: true });
    expect(badService).toMatchObject({ status: 400, json: { error: expect.stringContaining('body.service') } });
    expect((await call('GET', '/_sim/nothing')).status).toBe(404);
  });

  it("answers unsigned requests with each service's missing-authentication error", async () => {
    const eksRes = await fetch(`${sim.url}/clusters`);
    expect(eksRes.status).toBe(403);
    expect(eksRes.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const stsRes = await fetch(`${sim.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(stsRes.status).toBe(403);
    expect(await stsRes.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const s3Res = await fetch(`${sim.url}/some-bucket/key`);
    expect(s3Res.status).toBe(403);
    expect(await s3Res.text()).toContain('<Code>AccessDenied</Code>');
  });
});
