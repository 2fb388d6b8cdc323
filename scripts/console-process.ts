import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Runs the built console as its own process, as `npm start` does, for the demo, the e2e tests and the
// benchmarks. What it talks to is decided only by the environment it is given (KUBECONFIG,
// AWS_ENDPOINT_URL, credentials, CONSOLE_CONFIG): it never knows when that is the simulator.

export const repoRoot = path.resolve(__dirname, '..');

const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = ['next.config.ts', 'package.json', 'postcss.config.mjs', 'tsconfig.json', 'proxy.ts', 'instrumentation.ts'];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (target: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) visit(path.join(target, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of SOURCE_DIRS) visit(path.join(repoRoot, dir));
  for (const file of SOURCE_FILES) visit(path.join(repoRoot, file));
  return newest;
}

function builtAfterSources(): boolean {
  const buildId = path.join(repoRoot, '.next', 'BUILD_ID');
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  return built > newestSourceMtime();
}

const BUILD_LOCK = path.join(repoRoot, '.data', 'next-build.lock');

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the build lock (a directory holding the builder's pid): the integration tests run several files at once,
 * and two of them building into .next at the same time would each break the other's output. A lock whose
 * holder is gone (killed mid-build) is taken over.
 */
function withBuildLock(work: () => void): void {
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holderGone: boolean;
      try {
        holderGone = !processAlive(Number(fs.readFileSync(path.join(BUILD_LOCK, 'pid'), 'utf8')));
      } catch {
        // No pid yet: just taken, or its taker died before writing it.
        holderGone = Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000;
      }
      if (holderGone) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      else sleepSync(500);
    }
  }
  try {
    fs.writeFileSync(path.join(BUILD_LOCK, 'pid'), String(process.pid));
    work();
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Builds the console unless .next/BUILD_ID is newer than every source file; one process at a time builds. */
export function ensureConsoleBuilt(log: (line: string) => void = console.log): void {
  if (builtAfterSources()) return;
  withBuildLock(() => {
    // Another process may have built it while this one waited for the lock.
    if (builtAfterSources()) return;
    log('building the console (next build)…');
    const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the console exited early (code ${child.exitCode})`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the console did not answer at ${url} within ${timeoutMs} ms`);
}

export interface ConsoleProcessOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** YAML text of the console config file; written under dataDir and passed as CONSOLE_CONFIG. */
  consoleConfig?: string;
  env: Record<string, string>;
  log?: (line: string) => void;
  /**
   * Runs the server entry through this command (argv before `node scripts/start.mjs`), e.g. the in-cluster
   * tests' mount namespace that puts a service account token where a pod has it.
   */
  launcher?: string[];
}

export interface ConsoleProcess {
  url: string;
  /** The server's process id (for the benchmarks' memory figures). */
  pid: number;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startConsole(options: ConsoleProcessOptions): Promise<ConsoleProcess> {
  const log = options.log ?? console.log;
  const host = options.host ?? '127.0.0.1';
  fs.mkdirSync(options.dataDir, { recursive: true });
  const env: Record<string, string> = {
    AWS_EC2_METADATA_DISABLED: 'true',
    DATA_DIR: options.dataDir,
    HOST: host,
    PORT: String(options.port),
    NEXT_TELEMETRY_DISABLED: '1',
    ...options.env,
  };
  if (options.consoleConfig) {
    const configPath = path.join(options.dataDir, 'console.yaml');
    fs.writeFileSync(configPath, options.consoleConfig);
    env.CONSOLE_CONFIG = configPath;
  }
  const argv = [...(options.launcher ?? []), process.execPath, path.join(repoRoot, 'scripts', 'start.mjs')];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log(`[console] ${chunk.toString().trimEnd()}`));
  child.stderr?.on('data', (chunk: Buffer) => log(`[console] ${chunk.toString().trimEnd()}`));
  const url = `http://${host}:${options.port}`;
  try {
    await waitForHttp(`${url}/api/health`, 60_000, child);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return {
    url,
    pid: child.pid!,
    env,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
