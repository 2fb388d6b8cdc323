// The console's one server entry: `npm start` (built), `npm run dev` (with --dev), the demo, the e2e tests
// and the container image's CMD all serve through it, on HOST/PORT (defaults 127.0.0.1:3000).
// A small custom server rather than `next start`, for three reasons:
// - route handlers and proxy.ts can't see the socket, so the peer address is stamped into a header here on
//   every request (any client-sent copy overwritten), and WIC_PEER_ADDRESS_STAMPED tells
//   lib/auth/peer-address.ts that it may believe it. Under `next start` nothing stamps it, so the
//   oauth2-proxy trust check and auth mode none refuse (fail closed);
// - every request gets an id (x-request-id) and one JSON log line (pino), and so does everything else the
//   process prints;
// - SIGTERM drains: no new connections, in-flight requests and running guided actions get DRAIN_SECONDS to
//   finish, then the process exits.
// It runs the same from the repository (after `next build`) and from Next's standalone output (the image),
// where this file is copied to <standalone>/scripts/start.mjs (scripts/assemble-standalone.mjs).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { format } from 'node:util';

const require = createRequire(import.meta.url);
const pino = require('pino');

const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'workload-identity-console' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
// Next and libraries print with console.*: those lines become JSON too, so a log pipeline sees one format.
const asLog =
  (level) =>
  (first, ...rest) =>
    first instanceof Error && rest.length === 0 ? log[level]({ err: first }, first.message) : log[level](format(first, ...rest));
console.log = asLog('info');
console.info = asLog('info');
console.warn = asLog('warn');
console.error = asLog('error');

const dev = process.argv.includes('--dev');
const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  log.fatal(`PORT: expected a port number, got "${port}"`);
  process.exit(2);
}
const drainSeconds = Number(process.env.DRAIN_SECONDS ?? 20);
if (!Number.isFinite(drainSeconds) || drainSeconds < 0) {
  log.fatal(`DRAIN_SECONDS: expected a number of seconds, got "${process.env.DRAIN_SECONDS}"`);
  process.exit(2);
}
process.env.HOST = host;

const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// The config the build used, as Next's standalone server.js passes it: the image has no next.config.ts (and
// nothing to compile it with), and `output: 'standalone'` makes Next warn unless it is given this way.
const serverFilesPath = path.join(dir, '.next', 'required-server-files.json');
if (!dev && fs.existsSync(serverFilesPath)) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(fs.readFileSync(serverFilesPath, 'utf8')).config);
}
if (!dev) process.env.NODE_ENV = 'production';
const next = require('next');

// Same names as lib/auth/peer-address.ts (this file runs before any TypeScript is loaded).
const PEER_ADDRESS_HEADER = 'x-console-peer-address';
process.env.WIC_PEER_ADDRESS_STAMPED = '1';
const REQUEST_ID_HEADER = 'x-request-id';
// Next builds each request's own URL from this name, and its proxy (middleware) layer reports loopback addresses
// as "localhost" (NextURL normalizes 127.x and [::1]); given 127.0.0.1 here, a rewrite in proxy.ts came back under
// another origin than the request's and Next fetched it as an external URL, which the Host allowlist refused (421).
const loopbackName = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i.test(host);
const app = next({ dev, hostname: loopbackName ? 'localhost' : host, port: Number(port), dir });

try {
  await app.prepare();
} catch (err) {
  log.fatal({ err }, err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const handle = app.getRequestHandler();
const QUIET_PATHS = new Set(['/api/health', '/api/health/ready', '/metrics']);
const server = http.createServer((req, res) => {
  const remoteAddress = req.socket.remoteAddress;
  if (remoteAddress) req.headers[PEER_ADDRESS_HEADER] = remoteAddress;
  else delete req.headers[PEER_ADDRESS_HEADER];
  const given = req.headers[REQUEST_ID_HEADER];
  const reqId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = reqId;
  res.setHeader(REQUEST_ID_HEADER, reqId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const pathname = (req.url ?? '/').split('?')[0];
    // Probes and scrapes every few seconds would drown the log: they are logged at debug.
    const level = QUIET_PATHS.has(pathname) || pathname.startsWith('/_next/') ? 'debug' : res.statusCode >= 500 ? 'error' : 'info';
    log[level](
      {
        reqId,
        method: req.method,
        path: pathname,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        peer: req.socket.remoteAddress,
      },
      'request',
    );
  });
  handle(req, res);
});
if (dev) server.on('upgrade', app.getUpgradeHandler?.() ?? (() => {}));
server.listen(Number(port), host, () =>
  log.info({ host, port: Number(port) }, `console ready: http://${host.includes(':') ? `[${host}]` : host}:${port}`),
);

/** Guided actions this process is applying now (lib/actions/jobs.ts keeps them on globalThis). */
function runningActions() {
  const jobs = globalThis.__workloadIdentityLiveJobs;
  return jobs ? [...jobs.values()].filter((job) => job.record.status === 'running').length : 0;
}

let draining = false;
function drain(signal) {
  if (draining) return;
  draining = true;
  log.info({ signal, drainSeconds }, 'draining: no new connections; waiting for requests and running actions');
  const deadline = Date.now() + drainSeconds * 1000;
  let closed = false;
  server.close(() => {
    closed = true;
  });
  server.closeIdleConnections();
  const check = () => {
    const actions = runningActions();
    if ((closed && actions === 0) || Date.now() >= deadline) {
      if (!closed || actions > 0) log.warn({ runningActions: actions }, 'drain time is up; exiting with work unfinished');
      server.closeAllConnections();
      log.info('stopped');
      log.flush?.();
      process.exit(0);
    }
    server.closeIdleConnections();
    setTimeout(check, 100);
  };
  check();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => drain(signal));
