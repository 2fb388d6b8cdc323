import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { defaultAccessKeyId, defaultSecretAccessKey } from '../sim/aws/ids';

// The simulator in its own process, as under the demo and the tests, so a benchmark's client figures are not
// mixed with the server's CPU (both halves in one event loop would serialize their work).

export interface SimProcess {
  child: ChildProcess;
  kubeconfigPath: string;
  awsUrl: string;
  /** The environment that points the console's code at this simulator as `account`'s principal. */
  consoleEnv(account: string): Record<string, string>;
  stop(): void;
}

/** `simArgs`: more `npm run sim` flags (e.g. --watch-history); `nodeArgs`: flags for the sim's node. */
export async function startSimProcess(
  scenarioFile: string,
  options: { simArgs?: string[]; nodeArgs?: string[] } = {},
): Promise<SimProcess> {
  const argv = [
    ...(options.nodeArgs ?? []),
    '--import',
    'tsx',
    path.join(__dirname, '..', 'sim', 'main.ts'),
    '--scenario',
    scenarioFile,
    ...(options.simArgs ?? []),
  ];
  const child = spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { kubeconfigPath, awsUrl } = await new Promise<{ kubeconfigPath: string; awsUrl: string }>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /sim ready: kubeconfig=(\S+) aws=(\S+)/.exec(output);
      if (ready) resolve({ kubeconfigPath: ready[1], awsUrl: ready[2] });
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (code ${code}) before it was ready:\n${output}`)));
  });
  return {
    child,
    kubeconfigPath,
    awsUrl,
    consoleEnv: (account) => ({
      KUBECONFIG: kubeconfigPath,
      AWS_ENDPOINT_URL: awsUrl,
      AWS_ACCESS_KEY_ID: defaultAccessKeyId(account),
      AWS_SECRET_ACCESS_KEY: defaultSecretAccessKey(account),
      AWS_REGION: 'us-east-1',
    }),
    stop: () => void child.kill('SIGTERM'),
  };
}
