// `npm start`: serves the built console on HOST/PORT (defaults 127.0.0.1:3000). Loopback by default: the
// console refuses to listen beyond loopback without an auth configuration (see instrumentation.ts).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`PORT: expected a port number, got "${port}"`);
  process.exit(2);
}
const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'start', '-H', host, '-p', port], {
  stdio: 'inherit',
  env: { ...process.env, HOSTNAME: host },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
