import type http from 'node:http';
import { formatIssuePath } from './scenario/load';
import { faultSchema } from './scenario/schema';
import type { SimWorld } from './world';
import type { KubeCluster } from './kube/cluster';
import { closeWatches } from './kube/server';

// The control endpoint under /_sim/ (an S3 bucket name cannot start with "_", so it never collides with
// path-style S3). Tests and fault drills use it to add or clear faults and to move the clock.

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new ControlError(400, `request body is not valid JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isControlPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/_sim/') || url === '/_sim';
}

/** The clusters a kube control request names: body.cluster, or all of them. */
async function targetClusters(req: http.IncomingMessage, clusters: Map<string, KubeCluster>): Promise<KubeCluster[]> {
  const body = (await readJson(req)) as { cluster?: unknown } | undefined;
  if (body?.cluster === undefined) return [...clusters.values()];
  const cluster = typeof body.cluster === 'string' ? clusters.get(body.cluster) : undefined;
  if (!cluster)
    throw new ControlError(404, `body.cluster: no cluster ${JSON.stringify(body.cluster)} (known: ${[...clusters.keys()].join(', ')})`);
  return [cluster];
}

export function createControlHandler(
  world: SimWorld,
  kubeClusters: Map<string, KubeCluster> = new Map(),
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (path === '/_sim/health' && method === 'GET') {
      return sendJson(res, 200, {
        status: 'ok',
        now: world.clock.nowIso(),
        eksClusters: world.eksClusters.size,
        accounts: world.accounts.size,
      });
    }
    if (path === '/_sim/clock') {
      if (method === 'GET') return sendJson(res, 200, { now: world.clock.nowIso() });
      throw new ControlError(405, `${method} is not allowed on /_sim/clock (use GET, or POST /_sim/clock/advance)`);
    }
    if (path === '/_sim/clock/advance') {
      if (method !== 'POST') throw new ControlError(405, `${method} is not allowed on /_sim/clock/advance (use POST {"ms": N})`);
      const body = (await readJson(req)) as { ms?: unknown } | undefined;
      const ms = body?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new ControlError(400, 'body.ms: expected a non-negative number of milliseconds, e.g. {"ms": 60000}');
      world.clock.advance(ms);
      return sendJson(res, 200, { now: world.clock.nowIso() });
    }
    if (path === '/_sim/faults') {
      if (method === 'GET') return sendJson(res, 200, { faults: world.faults.list() });
      if (method === 'DELETE') {
        world.faults.clear();
        return sendJson(res, 200, { faults: [] });
      }
      if (method === 'POST') {
        const body = await readJson(req);
        const { id, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
        if (id !== undefined && (typeof id !== 'string' || id === '')) throw new ControlError(400, 'body.id: expected a non-empty string');
        const parsed = faultSchema.safeParse(body === undefined ? undefined : rest);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `body${i.path.length ? '.' + formatIssuePath(i.path) : ''}: ${i.message}`);
          throw new ControlError(400, `invalid fault: ${issues.join('; ')}`);
        }
        try {
          const faultId = world.faults.add({ ...parsed.data, ...(id ? { id: id as string } : {}) });
          return sendJson(res, 201, { id: faultId, fault: world.faults.list().find((f) => f.id === faultId) });
        } catch (err) {
          throw new ControlError(409, (err as Error).message);
        }
      }
      throw new ControlError(405, `${method} is not allowed on /_sim/faults (use GET, POST or DELETE)`);
    }
    const faultMatch = /^\/_sim\/faults\/([^/]+)$/.exec(path);
    if (faultMatch) {
      if (method !== 'DELETE') throw new ControlError(405, `${method} is not allowed on /_sim/faults/:id (use DELETE)`);
      const id = decodeURIComponent(faultMatch[1]);
      if (!world.faults.remove(id)) throw new ControlError(404, `no fault with id "${id}"`);
      return sendJson(res, 200, { removed: id });
    }
    if (path === '/_sim/calls') {
      if (method === 'GET') return sendJson(res, 200, world.traffic.calls());
      if (method === 'DELETE') {
        world.traffic.reset();
        return sendJson(res, 200, world.traffic.calls());
      }
      throw new ControlError(405, `${method} is not allowed on /_sim/calls (use GET, or DELETE to start counting again)`);
    }
    if (path === '/_sim/rate-limits' && method === 'GET') return sendJson(res, 200, { rateLimits: world.traffic.rateLimits() });
    if (path === '/_sim/kube/compact' || path === '/_sim/kube/close-watches') {
      if (method !== 'POST') throw new ControlError(405, `${method} is not allowed on ${path} (use POST, body {"cluster": NAME} optional)`);
      const clusters = await targetClusters(req, kubeClusters);
      if (path === '/_sim/kube/compact')
        return sendJson(res, 200, { compacted: Object.fromEntries(clusters.map((c) => [c.name, String(c.store.compact())])) });
      return sendJson(res, 200, { closed: Object.fromEntries(clusters.map((c) => [c.name, closeWatches(c)])) });
    }
    // A bucket's `deny` list (scenario-format.md): the accounts S3 refuses. No AWS API changes it, so a drill that
    // fixes "the bucket denies the account" (the demo's edge-k3s uploads) does it here.
    const denyMatch = /^\/_sim\/buckets\/([^/]+)\/deny$/.exec(path);
    if (denyMatch) {
      const bucket = world.buckets.get(decodeURIComponent(denyMatch[1]));
      if (!bucket) throw new ControlError(404, `no bucket "${decodeURIComponent(denyMatch[1])}"`);
      if (method === 'GET') return sendJson(res, 200, { accounts: [...bucket.deny] });
      if (method !== 'PUT') throw new ControlError(405, `${method} is not allowed on /_sim/buckets/:name/deny (use GET or PUT)`);
      const body = (await readJson(req)) as { accounts?: unknown } | undefined;
      const accounts = body?.accounts;
      if (!Array.isArray(accounts) || !accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a)))
        throw new ControlError(400, 'body.accounts: expected a list of 12-digit account ids, e.g. {"accounts": []}');
      bucket.deny = new Set(accounts as string[]);
      return sendJson(res, 200, { accounts: [...bucket.deny] });
    }
    throw new ControlError(
      404,
      `unknown control path ${method} ${path}; known: GET /_sim/health, GET|POST|DELETE /_sim/faults, DELETE /_sim/faults/:id, GET /_sim/clock, POST /_sim/clock/advance, POST /_sim/kube/compact, POST /_sim/kube/close-watches, GET|DELETE /_sim/calls, GET /_sim/rate-limits, GET|PUT /_sim/buckets/:name/deny`,
    );
  }

  return (req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof ControlError) sendJson(res, err.status, { error: err.message });
      else sendJson(res, 500, { error: `simulator error: ${(err as Error).message}` });
    });
  };
}
