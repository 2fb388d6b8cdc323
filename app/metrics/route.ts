import { keepFleetViewFresh } from '@/lib/console/queries';
import { metricsRefusal, metricsResponse } from '@/lib/metrics/scrape';

export const dynamic = 'force-dynamic';

/** GET /metrics: Prometheus text format (api.md "Operating the console"). */
export async function GET(request: Request): Promise<Response> {
  const refusal = metricsRefusal(request);
  if (refusal) return refusal;
  keepFleetViewFresh();
  return metricsResponse();
}
