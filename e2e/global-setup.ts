import fs from 'node:fs';
import path from 'node:path';
import { ensureConsoleBuilt, repoRoot, startConsole, type ConsoleProcess } from '../scripts/console-process';
import { demoConsoleConfig, startOidcProvider, type OidcProcess } from '../scripts/demo-identity';
import { STACK_INFO_FILE } from './stack-info';

// Starts, once for the whole run, the real console signed in through a real local OIDC provider.
declare global {
  var __e2eProcesses: (ConsoleProcess | OidcProcess)[] | undefined;
}

export default async function globalSetup() {
  ensureConsoleBuilt();
  const dataDir = path.join(repoRoot, '.data', 'e2e');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const log = (line: string) => {
    if (process.env.E2E_VERBOSE) console.log(line);
  };
  const port = Number(process.env.E2E_PORT ?? 3100);
  const consoleUrl = `http://127.0.0.1:${port}`;
  const oidc = await startOidcProvider({ port: port + 90, consoleUrl, dataDir, log });
  const consoleProcess = await startConsole({
    port,
    dataDir,
    consoleConfig: demoConsoleConfig({ issuer: oidc.issuer, consoleUrl }),
    env: {},
    log,
  });
  globalThis.__e2eProcesses = [consoleProcess, oidc];
  fs.writeFileSync(STACK_INFO_FILE, JSON.stringify({ consoleUrl, issuer: oidc.issuer }));
}
