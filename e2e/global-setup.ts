import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../scripts/console-process';
import { startDemoStack, type DemoStack } from '../scripts/demo-stack';
import { STACK_INFO_FILE } from './stack-info';

// Starts, once for the whole run, the demo stack (scripts/demo-stack.ts): the simulator on the demo fleet, a real
// local OIDC provider, and the real console pointed at both (only KUBECONFIG, AWS_ENDPOINT_URL and credentials say
// where). Rolled pods become ready after 300 ms, so the action specs do not wait out the simulator's default.
declare global {
  var __e2eStack: DemoStack | undefined;
}

export default async function globalSetup() {
  const dataDir = path.join(repoRoot, '.data', 'e2e');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const log = (line: string) => {
    if (process.env.E2E_VERBOSE) console.log(line);
  };
  const stack = await startDemoStack({
    port: Number(process.env.E2E_PORT ?? 3100),
    scenarioFile: path.join(repoRoot, 'sim', 'scenarios', 'demo.yaml'),
    dataDir,
    log,
    oidcLog: log,
    rolloutReadyDelayMs: 300,
  });
  globalThis.__e2eStack = stack;
  fs.writeFileSync(
    STACK_INFO_FILE,
    JSON.stringify({
      consoleUrl: stack.consoleUrl,
      issuer: stack.oidc.issuer,
      controlUrl: stack.sim.controlUrl,
      kubeconfigPath: stack.sim.kubeconfigPath,
      awsEnv: stack.awsEnv,
    }),
  );
}
