import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { loadConsoleConfig } from '@/lib/config/console-config';
import { metrics } from './metrics';

// The scrape: open by default, as Prometheus scrapes in-cluster consoles, or behind a bearer token when the
// config names an env var holding one (`metrics.bearerTokenEnv`). A scrape answers from the registry at once;
// the fleet gauges are set by each collection (lib/console/fleet-metrics.ts).

function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The answer to a scrape without the configured bearer token, or null when it may scrape. */
export function metricsRefusal(request: Request): Response | null {
  const tokenEnv = loadConsoleConfig().metrics?.bearerTokenEnv;
  if (tokenEnv) {
    const expected = process.env[tokenEnv];
    if (!expected)
      return Response.json(
        { error: { code: 'metrics-token-unset', message: `metrics.bearerTokenEnv names ${tokenEnv}, which is not set` } },
        { status: 503 },
      );
    const given = bearerOf(request);
    if (!given || !sameSecret(given, expected))
      return Response.json(
        { error: { code: 'unauthorized', message: 'GET /metrics needs the bearer token of metrics.bearerTokenEnv' } },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
  }
  return null;
}

export async function metricsResponse(): Promise<Response> {
  const registry = metrics().registry;
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
