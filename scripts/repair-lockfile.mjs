// Restores lockfile entries for other platforms' optional native binaries (e.g. @next/swc-darwin-arm64).
// Why: the registry these machines reach does not serve those packages, so `npm install` leaves them out of
// package-lock.json, and `npm ci` then refuses the lock as out of sync ("Missing: … from lock file").
// An entry with its os/cpu lets `npm ci` validate the lock and skip the binary on this platform, as it
// would with a lock made on an unrestricted registry. Run after `npm install`: `npm run lock:repair`.
import fs from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = [
  ['arm64', 'arm64'],
  ['x64', 'x64'],
  ['ia32', 'ia32'],
  ['arm', 'arm'],
  ['loong64', 'loong64'],
  ['ppc64', 'ppc64'],
  ['riscv64', 'riscv64'],
  ['s390x', 's390x'],
  ['wasm32', 'wasm32'],
];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((candidate) => parts.includes(candidate));
  const cpu = CPU.find(([token]) => parts.includes(token))?.[1];
  return { os, cpu };
}

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[base] || lock.packages[`node_modules/${name}`]) continue;
    const { os, cpu } = platformOf(name);
    if (!os && cpu !== 'wasm32') continue;
    const version = range.replace(/^[\^~=]/, '');
    lock.packages[`node_modules/${name}`] = { version, optional: true, ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`repair-lockfile: added ${added} optional platform entries`);
