import path from 'node:path';
import { consoleEnvironment, startSim, type RunningSim } from '../sim/index';
import { ensureConsoleBuilt, startConsole, type ConsoleProcess } from './console-process';
import { demoConsoleConfig, simulatedFleetClusters, startOidcProvider, type OidcProcess } from './demo-identity';

export interface DemoStack {
  consoleUrl: string;
  sim: RunningSim;
  oidc: OidcProcess;
  console: ConsoleProcess;
  /** The AWS environment the console runs with (the first account's credentials and the simulator's endpoints). */
  awsEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The built console on a scenario served by the simulator, with sign-in through the local OIDC provider (on
 * port + 90): what `npm run demo`, `npm run screenshots` and the e2e suite's global setup run.
 */
export async function startDemoStack(options: {
  port: number;
  scenarioFile: string;
  dataDir: string;
  log?: (line: string) => void;
  /** The OIDC provider's own output (the e2e suite shows it with E2E_VERBOSE). */
  oidcLog?: (line: string) => void;
  /** The simulator's delay before a rolled pod is ready (its default otherwise). */
  rolloutReadyDelayMs?: number;
}): Promise<DemoStack> {
  const { port, dataDir } = options;
  const consoleUrl = `http://127.0.0.1:${port}`;
  ensureConsoleBuilt();
  const sim = await startSim({
    scenarioFile: options.scenarioFile,
    kubeconfigPath: path.join(dataDir, 'kubeconfig'),
    ...(options.rolloutReadyDelayMs !== undefined ? { rolloutReadyDelayMs: options.rolloutReadyDelayMs } : {}),
  });
  const oidc = await startOidcProvider({ port: port + 90, consoleUrl, dataDir, log: options.oidcLog });
  // The console runs with the first account's credentials, as if deployed there; other accounts are assumed into.
  const consoleAccount = [...sim.world.accounts.keys()][0];
  const awsEnv = consoleEnvironment(sim, consoleAccount);
  const consoleProcess = await startConsole({
    port,
    dataDir,
    consoleConfig: demoConsoleConfig({ issuer: oidc.issuer, consoleUrl, extra: { clusters: simulatedFleetClusters(sim, consoleAccount) } }),
    env: awsEnv,
    log: options.log,
  });
  return {
    consoleUrl,
    sim,
    oidc,
    console: consoleProcess,
    awsEnv,
    async stop() {
      await consoleProcess.stop();
      await oidc.stop();
      await sim.stop();
    },
  };
}
