import 'server-only';
import pino, { type Logger } from 'pino';

// Structured JSON logs (api.md "Operating the console"), one line per event on stdout. The server entry
// (scripts/start.mjs) gives every request an id (`x-request-id`, kept from the caller when well-formed) and
// logs the request itself with it.

const shared = globalThis as typeof globalThis & { __workloadIdentityLogger?: Logger };

export function logger(): Logger {
  return (shared.__workloadIdentityLogger ??= pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'workload-identity-console' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }));
}
