import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './console-process';
import { DEMO_API_TOKENS, DEMO_USERS } from './demo-identity';
import { startDemoStack } from './demo-stack';

// `npm run demo`: the console on the demo fleet served by the simulator, with sign-in through a local OIDC
// provider whose demo users are listed on the sign-in page. Ctrl-C stops everything.
async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      scenario: { type: 'string', default: path.join(repoRoot, 'sim', 'scenarios', 'demo.yaml') },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65440) throw new Error(`--port: expected a port number, got "${values.port}"`);
  const stack = await startDemoStack({
    port,
    scenarioFile: values.scenario!,
    dataDir: path.join(repoRoot, '.data', 'demo'),
    log: (line) => console.log(line),
  });
  const { consoleUrl, sim } = stack;

  console.log('');
  console.log(`Workload Identity Console: ${consoleUrl}`);
  console.log('  sign in as (user / password):');
  for (const user of DEMO_USERS) console.log(`    ${user.username} / ${user.password}   ${user.team}, ${user.role}`);
  console.log('  API tokens (Authorization: Bearer …):');
  for (const grant of DEMO_API_TOKENS) console.log(`    ${grant.token}   ${'team' in grant ? `${grant.team}, ` : ''}${grant.role}`);
  console.log(`  simulator: KUBECONFIG=${sim.kubeconfigPath} AWS_ENDPOINT_URL=${sim.awsUrl}`);
  console.log(`  try: kubectl --kubeconfig ${sim.kubeconfigPath} get sa -A`);
  console.log('Press Ctrl-C to stop.');

  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
