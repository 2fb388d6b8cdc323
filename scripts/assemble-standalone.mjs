// Assembles the runnable console from `next build`'s standalone output into one directory: what the
// container image copies to /app (Dockerfile), and what e2e/image.spec.ts launches as the image would.
// Next leaves .next/static and public out of .next/standalone (they are meant for a CDN); the console serves
// them itself, and its server entry (scripts/start.mjs) replaces Next's generated server.js.
//   node scripts/assemble-standalone.mjs <out-dir>
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
if (!out) {
  console.error('usage: node scripts/assemble-standalone.mjs <out-dir>');
  process.exit(2);
}
const standalone = path.join(root, '.next', 'standalone');
if (!fs.existsSync(path.join(standalone, '.next', 'required-server-files.json'))) {
  console.error(`${standalone} holds no standalone build: run \`next build\` (next.config.ts has output: 'standalone')`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
fs.cpSync(standalone, out, { recursive: true, verbatimSymlinks: true });
// Next's own entry is not used: one server entry for `npm start` and the image.
fs.rmSync(path.join(out, 'server.js'), { force: true });
fs.cpSync(path.join(root, '.next', 'static'), path.join(out, '.next', 'static'), { recursive: true });
if (fs.existsSync(path.join(root, 'public'))) fs.cpSync(path.join(root, 'public'), path.join(out, 'public'), { recursive: true });
fs.mkdirSync(path.join(out, 'scripts'), { recursive: true });
// The PostgreSQL store's migrations are read at start (lib/store/pg-store.ts, relative to the working directory).
fs.cpSync(path.join(root, 'lib', 'store', 'pg-migrations'), path.join(out, 'lib', 'store', 'pg-migrations'), { recursive: true });
for (const file of ['start.mjs', 'healthcheck.mjs']) fs.copyFileSync(path.join(root, 'scripts', file), path.join(out, 'scripts', file));
console.log(`assembled the console in ${out}`);
