import { metrics } from '@/lib/metrics/metrics';
import { metricsRefusal, metricsResponse } from '@/lib/metrics/scrape';
import { holdsBackgroundLock } from '@/lib/store/job-supervisor';

export const dynamic = 'force-dynamic';

/**
 * GET /metrics: Prometheus text format (api.md "Operating the console"). A scrape never starts a collection: the
 * replica holding the background lock keeps its fleet gauges fresh (lib/console/background-refresh.ts), and
 * `wic_background_holder` says which replica that is.
 */
export async function GET(request: Request): Promise<Response> {
  const refusal = metricsRefusal(request);
  if (refusal) return refusal;
  metrics().backgroundHolder.set(holdsBackgroundLock() ? 1 : 0);
  return metricsResponse();
}
