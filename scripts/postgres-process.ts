import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from './console-process';

// A throwaway PostgreSQL for the tests and the benchmarks: Debian's `postgresql` package (installed with apt
// when missing, as scripts/ensure-postgres.sh does), `initdb` in a temporary directory, listening on 127.0.0.1
// at a free port. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

export interface RunningPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  adminUrl: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory (PG_BIN overrides), installing the package when there is none. */
function serverBin(): string {
  const find = () => {
    if (process.env.PG_BIN) return process.env.PG_BIN;
    const root = '/usr/lib/postgresql';
    if (!fs.existsSync(root)) return undefined;
    const versions = fs
      .readdirSync(root)
      .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
  };
  let bin = find();
  if (!bin) {
    const installed = spawnSync('bash', [path.join(repoRoot, 'scripts', 'ensure-postgres.sh')], { stdio: 'inherit' });
    if (installed.status !== 0) throw new Error('PostgreSQL is not installed and scripts/ensure-postgres.sh could not install it');
    bin = find();
  }
  if (!bin) throw new Error('no PostgreSQL server found under /usr/lib/postgresql (set PG_BIN to its bin directory)');
  return bin;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** As root: run as the `postgres` system user (setpriv keeps the environment; no login shell). */
function asServerUser(argv: string[]): string[] {
  if (process.getuid?.() !== 0) return argv;
  const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (user.status !== 0) throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  return ['setpriv', `--reuid=${user.stdout.trim()}`, `--regid=${group.stdout.trim()}`, '--clear-groups', ...argv];
}

export async function startPostgres(options: { log?: (line: string) => void } = {}): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const bin = serverBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-postgres-'));
  const dataDir = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (user.status === 0) fs.chownSync(dir, Number(user.stdout.trim()), Number(group.stdout.trim()));
  }
  const [initCommand, ...initArgs] = asServerUser([
    path.join(bin, 'initdb'),
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  const init = spawnSync(initCommand, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout}`);

  const port = await freePort();
  const [command, ...args] = asServerUser([
    path.join(bin, 'postgres'),
    '-D',
    dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    dir,
    // A test database: no durability needed, and small.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=32MB',
  ]);
  const child: ChildProcess = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log(`[postgres] ${chunk.toString().trimEnd()}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited (code ${child.exitCode}): ${output}`);
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within 30 s: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    adminUrl,
    port,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} is not a plain identifier`);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGINT: PostgreSQL's fast shutdown (ends sessions, then exits).
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
