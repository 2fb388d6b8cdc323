import fs from 'node:fs';
import path from 'node:path';
import { ensureConsoleBuilt, repoRoot, startConsole, type ConsoleProcess } from '../scripts/console-process';
import { demoConsoleConfig, simulatedFleetClusters, startOidcProvider, type OidcProcess } from '../scripts/demo-identity';
import { consoleEnvironment, startSim, type RunningSim } from '../sim/index';
import { STACK_INFO_FILE } from './stack-info';

// Starts, once for the whole run, the simulator on the demo fleet, a real local OIDC provider, and the real
// console pointed at both (only KUBECONFIG, AWS_ENDPOINT_URL and credentials say where).
declare global {
  var __e2eProcesses: (ConsoleProcess | OidcProcess | RunningSim)[] | undefined;
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
  const sim = await startSim({
    scenarioFile: path.join(repoRoot, 'sim', 'scenarios', 'demo.yaml'),
    kubeconfigPath: path.join(dataDir, 'kubeconfig'),
    rolloutReadyDelayMs: 300,
  });
  const oidc = await startOidcProvider({ port: port + 90, consoleUrl, dataDir, log });
  // The console runs with the first account's credentials, as if deployed there; other accounts are assumed into.
  const consoleAccount = [...sim.world.accounts.keys()][0];
  const consoleProcess = await startConsole({
    port,
    dataDir,
    consoleConfig: demoConsoleConfig({ issuer: oidc.issuer, consoleUrl, extra: { clusters: simulatedFleetClusters(sim, consoleAccount) } }),
    env: consoleEnvironment(sim, consoleAccount),
    log,
  });
  globalThis.__e2eProcesses = [consoleProcess, oidc, sim];
  fs.writeFileSync(
    STACK_INFO_FILE,
    JSON.stringify({
      consoleUrl,
      issuer: oidc.issuer,
      controlUrl: sim.controlUrl,
      kubeconfigPath: sim.kubeconfigPath,
      awsEnv: consoleEnvironment(sim, consoleAccount),
    }),
  );
}
