import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot, startConsole, type ConsoleProcess } from '../../scripts/console-process';
import { accountCredentials, type RunningSim } from '../../sim/index';

// The console installed in the cluster it watches, against the simulator: deploy/ applied with plain
// `kubectl apply -k` (validation on), a token for the deploy/ service account minted by TokenRequest, and the
// console process started as in a pod: KUBERNETES_SERVICE_HOST/PORT, and the token, CA and namespace files at
// /var/run/secrets/kubernetes.io/serviceaccount, which client-node's loadFromCluster reads. Those files are
// put there in a private mount namespace of the console process alone (unshare), so nothing on this
// machine changes and the product needs no hook to be told where they are.

export const CONSOLE_NAMESPACE = 'workload-identity-console';
export const CONSOLE_SERVICE_ACCOUNT = 'workload-identity-console';
export const CONSOLE_USER = `system:serviceaccount:${CONSOLE_NAMESPACE}:${CONSOLE_SERVICE_ACCOUNT}`;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlRun(sim: RunningSim, args: string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', sim.kubeconfigPath, ...args],
      { encoding: 'utf8', maxBuffer: 32 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

export async function kubectl(sim: RunningSim, args: string[], input?: string): Promise<string> {
  const result = await kubectlRun(sim, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** The objects `kubectl kustomize deploy/overlays/<overlay>` renders. */
export function renderOverlay(overlay: string): Record<string, unknown>[] {
  const result = spawnSync('kubectl', ['kustomize', path.join(repoRoot, 'deploy', 'overlays', overlay)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${result.stderr}`);
  return YAML.parseAllDocuments(result.stdout).map((doc) => doc.toJS() as Record<string, unknown>);
}

/** The mount namespace works for root and wherever unprivileged user namespaces are allowed. */
export function mountNamespaceAvailable(): boolean {
  const root = process.getuid?.() === 0;
  const probe = spawnSync('unshare', [...(root ? [] : ['--map-root-user']), '--mount', 'true'], { encoding: 'utf8' });
  return probe.status === 0;
}

/**
 * argv that runs a command with the service account files where a pod has them. The files are copied into a
 * tmpfs mounted over /run/secrets (/var/run is /run) inside the new mount namespace only.
 */
export function podLauncher(secretsDir: string): string[] {
  const root = process.getuid?.() === 0;
  const script = [
    'set -e',
    'mkdir -p /run/secrets',
    'mount -t tmpfs -o size=1m,mode=0755 tmpfs /run/secrets',
    'mkdir -p /run/secrets/kubernetes.io/serviceaccount',
    'cp "$0"/token "$0"/ca.crt "$0"/namespace /run/secrets/kubernetes.io/serviceaccount/',
    'exec "$@"',
  ].join('; ');
  return ['unshare', ...(root ? [] : ['--map-root-user']), '--mount', '--propagation', 'private', '--', 'sh', '-c', script, secretsDir];
}

export interface InClusterConsole {
  console: ConsoleProcess;
  /** Where the token, ca.crt and namespace files were written (the token is refreshed by re-minting). */
  secretsDir: string;
}

/** Mints a token for the console's service account (`kubectl create token`) and writes the pod's three files. */
export async function writeServiceAccountFiles(sim: RunningSim, cluster: string, dir: string): Promise<void> {
  const token = (await kubectl(sim, ['create', 'token', CONSOLE_SERVICE_ACCOUNT, '-n', CONSOLE_NAMESPACE, '--duration', '24h'])).trim();
  const endpoint = await sim.inClusterEndpoint(cluster);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'token'), token);
  fs.writeFileSync(path.join(dir, 'ca.crt'), endpoint.caCertificate);
  fs.writeFileSync(path.join(dir, 'namespace'), CONSOLE_NAMESPACE);
}

export async function startInClusterConsole(options: {
  sim: RunningSim;
  cluster: string;
  account: string;
  region: string;
  port: number;
  log?: (line: string) => void;
}): Promise<InClusterConsole> {
  const { sim, cluster } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-in-cluster-'));
  const secretsDir = path.join(dataDir, 'serviceaccount');
  await writeServiceAccountFiles(sim, cluster, secretsDir);
  const endpoint = await sim.inClusterEndpoint(cluster);
  // The console's AWS credentials: the account's key (the simulator has no node-local Pod Identity agent).
  const credentials = accountCredentials(sim.world, options.account);
  const consoleProcess = await startConsole({
    port: options.port,
    dataDir,
    consoleConfig: YAML.stringify({
      clusters: [{ name: cluster, inCluster: true, eks: { name: cluster, region: options.region, account: options.account } }],
    }),
    env: {
      KUBERNETES_SERVICE_HOST: endpoint.host,
      KUBERNETES_SERVICE_PORT: String(endpoint.port),
      // Nothing else may tell the console where the cluster is.
      KUBECONFIG: path.join(dataDir, 'no-kubeconfig'),
      AWS_ENDPOINT_URL: sim.awsUrl,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: options.region,
    },
    launcher: podLauncher(secretsDir),
    log: options.log,
  });
  return { console: consoleProcess, secretsDir };
}
