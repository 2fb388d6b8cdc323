import 'server-only';
import pino, { type Logger } from 'pino';

// Structured JSON logs (api.md "Operating the console"), one line per event on stdout. The server entry
// (scripts/start.mjs) gives every request an id (`x-request-id`, kept from the caller when well-formed) and
// logs the request itself; code serving a request logs through requestLogger() so its lines carry that id.

const shared = globalThis as typeof globalThis & { __workloadIdentityLogger?: Logger };

export function logger(): Logger {
  return (shared.__workloadIdentityLogger ??= pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'workload-identity-console' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }));
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** A child logger carrying the request's id, for lines written while serving it. */
export function requestLogger(request: Request | Headers): Logger {
  const headers = request instanceof Headers ? request : request.headers;
  const reqId = headers.get(REQUEST_ID_HEADER);
  return reqId ? logger().child({ reqId }) : logger();
}
