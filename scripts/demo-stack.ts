import path from 'node:path';
import { consoleEnvironment, startSim, type RunningSim } from '../sim/index';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from './console-process';
import { demoConsoleConfig, simulatedFleetClusters, startOidcProvider, type OidcProcess } from './demo-identity';

export interface DemoStack {
  consoleUrl: string;
  sim: RunningSim;
  oidc: OidcProcess;
  console: ConsoleProcess;
  stop(): Promise<void>;
}

/**
 * The built console on a scenario served by the simulator, with sign-in through the local OIDC provider (on
 * port + 90): what `npm run demo` and `npm run screenshots` run.
 */
export async function startDemoStack(options: {
  port: number;
  scenarioFile: string;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<DemoStack> {
  const { port, dataDir } = options;
  const consoleUrl = `http://127.0.0.1:${port}`;
  ensureConsoleBuilt();
  const sim = await startSim({ scenarioFile: options.scenarioFile, kubeconfigPath: path.join(dataDir, 'kubeconfig') });
  const oidc = await startOidcProvider({ port: port + 90, consoleUrl, dataDir });
  // The console runs with the first account's credentials, as if deployed there; other accounts are assumed into.
  const consoleAccount = [...sim.world.accounts.keys()][0];
  const consoleProcess = await startConsole({
    port,
    dataDir,
    consoleConfig: demoConsoleConfig({ issuer: oidc.issuer, consoleUrl, extra: { clusters: simulatedFleetClusters(sim, consoleAccount) } }),
    env: consoleEnvironment(sim, consoleAccount),
    log: options.log,
  });
  return {
    consoleUrl,
    sim,
    oidc,
    console: consoleProcess,
    async stop() {
      await consoleProcess.stop();
      await oidc.stop();
      await sim.stop();
    },
  };
}
