import { parseArgs } from 'node:util';
import { ScenarioError } from './scenario/load';
import { startSim } from './index';

// npm run sim -- --scenario FILE [--kubeconfig PATH] [--port N]

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`--${flag}: expected a positive integer, got "${value}"`);
    process.exit(2);
  }
  return number;
}
async function main() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      kubeconfig: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'rollout-delay-ms': { type: 'string' },
      'watch-history': { type: 'string' },
      'bookmark-interval-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.scenario) {
    console.log(
      'usage: npm run sim -- --scenario FILE [--kubeconfig PATH] [--port N] [--rollout-delay-ms N] [--watch-history N] [--bookmark-interval-ms N]',
    );
    process.exit(values.help ? 0 : 2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65534) {
    console.error(`--port: expected a port number from 0 to 65534, got "${values.port}"`);
    process.exit(2);
  }
  const host = values.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    console.error(`--host: the simulator listens on loopback only, got "${host}"`);
    process.exit(2);
  }
  const sim = await startSim({
    scenarioFile: values.scenario,
    kubeconfigPath: values.kubeconfig,
    port,
    host,
    rolloutReadyDelayMs: values['rollout-delay-ms'] ? Number(values['rollout-delay-ms']) : undefined,
    watchHistory: positiveInteger('watch-history', values['watch-history']),
    bookmarkIntervalMs: positiveInteger('bookmark-interval-ms', values['bookmark-interval-ms']),
  });
  console.log(`sim ready: kubeconfig=${sim.kubeconfigPath} aws=${sim.awsUrl}`);
  const shutdown = async (signal: string) => {
    console.log(`sim: ${signal}, stopping`);
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ScenarioError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
