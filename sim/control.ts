import type http from 'node:http';
import { z } from 'zod';
import type { SimWorld } from './world';

// The simulator's control endpoint, under /_sim/ on the AWS port (S3 bucket names can't start with "_"):
// tests add and clear faults and move the clock here, at run time.

const faultBody = z
  .strictObject({
    id: z.string().optional(),
    service: z.enum(['eks', 'iam', 'sts', 's3', 'kube']),
    operation: z.string().min(1),
    cluster: z.string().optional(),
    latencyMs: z.number().int().min(0).optional(),
    error: z.strictObject({ status: z.number().int().min(400).max(599), code: z.string().min(1), message: z.string().default('') }).optional(),
    throttle: z.strictObject({ perSecond: z.number().positive() }).optional(),
    hang: z.boolean().optional(),
    probability: z.number().min(0).max(1).default(1),
  })
  .refine((f) => [f.latencyMs !== undefined, !!f.error, !!f.throttle, !!f.hang].filter(Boolean).length === 1, {
    message: 'a fault needs exactly one of latencyMs, error, throttle or hang',
  });

const advanceBody = z.strictObject({ ms: z.number().int().min(0) });

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  return JSON.parse(text);
}

export function createControlHandler(world: SimWorld) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`;
    try {
      if (route === 'GET /_sim/health') return json(res, 200, { status: 'ok', now: world.clock.nowIso() });
      if (route === 'GET /_sim/clock') return json(res, 200, { now: world.clock.nowIso() });
      if (route === 'POST /_sim/clock/advance') {
        const parsed = advanceBody.safeParse(await readJson(req));
        if (!parsed.success) return json(res, 400, { error: { code: 'invalid', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } });
        world.clock.advance(parsed.data.ms);
        return json(res, 200, { now: world.clock.nowIso() });
      }
      if (route === 'GET /_sim/faults') return json(res, 200, { items: world.faults.list() });
      if (route === 'POST /_sim/faults') {
        const parsed = faultBody.safeParse(await readJson(req));
        if (!parsed.success) return json(res, 400, { error: { code: 'invalid', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } });
        const id = world.faults.add(parsed.data);
        return json(res, 201, { id });
      }
      if (route === 'DELETE /_sim/faults') {
        world.faults.clear();
        return json(res, 200, { cleared: true });
      }
      const single = /^DELETE \/_sim\/faults\/([^/]+)$/.exec(route);
      if (single) {
        return world.faults.remove(decodeURIComponent(single[1])) ? json(res, 200, { removed: single[1] }) : json(res, 404, { error: { code: 'not-found', message: `no fault ${single[1]}` } });
      }
      if (route === 'GET /_sim/associations') {
        const items = [...world.eksClusters.values()].flatMap((c) => [...c.associations.values()]);
        return json(res, 200, { items });
      }
      if (route === 'GET /_sim/roles') {
        const items = [...world.accounts.values()].flatMap((a) => [...a.roles.values()]);
        return json(res, 200, { items });
      }
      return json(res, 404, { error: { code: 'not-found', message: `no control route ${route}` } });
    } catch (err) {
      const message = err instanceof SyntaxError ? `the body is not valid JSON: ${err.message}` : (err as Error).message;
      return json(res, 400, { error: { code: 'invalid', message } });
    }
  };
}
