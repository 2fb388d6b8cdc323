import { readiness } from '@/lib/health/readiness';

export const dynamic = 'force-dynamic';

/** GET /api/health/ready: 200 when ready, 503 with the check that failed (api.md "Operating the console"). */
export async function GET(): Promise<Response> {
  const result = await readiness();
  return Response.json(
    { status: result.ready ? 'ready' : 'not-ready', checks: result.checks },
    { status: result.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
