// `npm start`: serves the built console on HOST/PORT (defaults 127.0.0.1:3000).
// A small custom server rather than `next start`, for one reason: route handlers can't see the socket, so
// the peer address is stamped into a header here (and any client-sent copy overwritten) for the
// oauth2-proxy trust check (lib/auth/oauth2-proxy.ts).
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const next = require('next');

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`PORT: expected a port number, got "${port}"`);
  process.exit(2);
}
process.env.HOST = host;

const PEER_ADDRESS_HEADER = 'x-console-peer-address';
const app = next({ dev: false, hostname: host, port: Number(port), dir: new URL('..', import.meta.url).pathname });

try {
  await app.prepare();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
  handle(req, res);
});
server.listen(Number(port), host, () => console.log(`console ready: http://${host.includes(':') ? `[${host}]` : host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
