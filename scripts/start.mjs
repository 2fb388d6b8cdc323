// The console's one server entry: `npm start` (built), `npm run dev` (with --dev), the demo, the e2e tests
// and the container image all serve through it, on HOST/PORT (defaults 127.0.0.1:3000).
// A small custom server rather than `next start`, for one reason: route handlers and proxy.ts can't see the
// socket, so the peer address is stamped into a header here on every request (any client-sent copy
// overwritten), and WIC_PEER_ADDRESS_STAMPED tells lib/auth/peer-address.ts that it may believe it. Under
// `next start` nothing stamps it, so the oauth2-proxy trust check and auth mode none refuse (fail closed).
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const next = require('next');

const dev = process.argv.includes('--dev');
const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`PORT: expected a port number, got "${port}"`);
  process.exit(2);
}
process.env.HOST = host;

// Same names as lib/auth/peer-address.ts (this file runs before any TypeScript is loaded).
const PEER_ADDRESS_HEADER = 'x-console-peer-address';
process.env.WIC_PEER_ADDRESS_STAMPED = '1';

const app = next({ dev, hostname: host, port: Number(port), dir: new URL('..', import.meta.url).pathname });

try {
  await app.prepare();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
const handle = app.getRequestHandler();
const server = http.createServer((req, res) => {
  const remoteAddress = req.socket.remoteAddress;
  if (remoteAddress) req.headers[PEER_ADDRESS_HEADER] = remoteAddress;
  else delete req.headers[PEER_ADDRESS_HEADER];
  handle(req, res);
});
if (dev) server.on('upgrade', app.getUpgradeHandler?.() ?? (() => {}));
server.listen(Number(port), host, () => console.log(`console ready: http://${host.includes(':') ? `[${host}]` : host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
