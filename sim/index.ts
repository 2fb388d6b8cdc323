import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAwsHandler } from './aws/server';
import { buildWorld } from './build-world';
import { startRestateSnapshotWriter, type RestateSnapshotWriter } from './restate-snapshot-writer';
import { createControlHandler } from './control';
import { startEtcdSnapshotWriter, type EtcdSnapshotWriter } from './etcd-snapshot-writer';
import { createKubeSim, type KubeSim } from './kube';
import { loadScenarioFile, type LoadedScenario } from './scenario/load';
import type { SimWorld } from './world';

export interface StartSimOptions {
  scenarioFile: string;
  /** Port of the AWS endpoint (and /_sim/ control); the Kubernetes API listens on the next one. 0 = any free port. */
  port?: number;
  kubeconfigPath?: string;
  host?: string;
  rolloutReadyDelayMs?: number;
  /** Events kept per resource for watches (sim/README.md, "Watch"). */
  watchHistory?: number;
  bookmarkIntervalMs?: number;
}

export interface RunningSim {
  loaded: LoadedScenario;
  world: SimWorld;
  kube: KubeSim;
  /** The simulated Restate snapshot writer (it checks every second; tests may call check() themselves). */
  restateWriter: RestateSnapshotWriter;
  /** The simulated K3s/RKE2 etcd snapshots (server schedules and CronJob uploads; checks every second, or call check()). */
  etcdWriter: EtcdSnapshotWriter;
  kubeconfigPath: string;
  awsUrl: string;
  kubeUrl: string;
  controlUrl: string;
  /**
   * One cluster's API server at the root of its own port, as a pod sees it through KUBERNETES_SERVICE_HOST and
   * KUBERNETES_SERVICE_PORT (client-node's loadFromCluster has no path), with the CA that signs it.
   */
  inClusterEndpoint(cluster: string): Promise<{ host: string; port: number; caCertificate: string }>;
  stop(): Promise<void>;
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startSim(options: StartSimOptions): Promise<RunningSim> {
  const host = options.host ?? '127.0.0.1';
  const loaded = loadScenarioFile(options.scenarioFile);
  const world = buildWorld(loaded);
  const kube = createKubeSim(world, loaded, {
    rolloutReadyDelayMs: options.rolloutReadyDelayMs,
    watchHistory: options.watchHistory,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  const restate = startRestateSnapshotWriter(world, kube);
  const etcd = startEtcdSnapshotWriter(world, kube, loaded.scenario);

  const awsHandler = createAwsHandler(world);
  const controlHandler = createControlHandler(world, kube.clusters);
  const awsServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/_sim/')) controlHandler(req, res);
    else awsHandler(req, res);
  });
  // TLS like a real API server: kubectl sends bearer tokens only over https.
  const tls = {
    key: fs.readFileSync(path.join(__dirname, 'tls', 'sim-kube.key')),
    cert: fs.readFileSync(path.join(__dirname, 'tls', 'sim-kube.crt')),
  };
  const kubeServer = https.createServer(tls, (req, res) => kube.handler(req, res));
  // Watches and hung faults hold connections open; closing must not wait for them.
  for (const server of [awsServer, kubeServer]) server.keepAliveTimeout = 5_000;

  const awsPort = await listen(awsServer, options.port ?? 0, host);
  const kubePort = await listen(kubeServer, options.port ? options.port + 1 : 0, host);
  const awsUrl = `http://${host}:${awsPort}`;
  const kubeUrl = `https://${host}:${kubePort}`;
  world.endpoints = { aws: awsUrl, kube: kubeUrl, certificateAuthorityData: tls.cert.toString('base64') };

  const kubeconfigPath = options.kubeconfigPath ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wic-sim-')), 'kubeconfig');
  fs.mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
  fs.writeFileSync(kubeconfigPath, kube.kubeconfig(kubeUrl, tls.cert.toString('base64')), { mode: 0o600 });

  const rootServers = new Map<string, Promise<{ server: https.Server; port: number }>>();
  let stopped = false;
  return {
    loaded,
    world,
    kube,
    restateWriter: restate.writer,
    etcdWriter: etcd.writer,
    kubeconfigPath,
    awsUrl,
    kubeUrl,
    controlUrl: `${awsUrl}/_sim`,
    async inClusterEndpoint(cluster: string) {
      if (!kube.clusters.has(cluster)) throw new Error(`no cluster ${cluster} in the scenario`);
      let started = rootServers.get(cluster);
      if (!started) {
        const server = https.createServer(tls, (req, res) => {
          req.url = `/clusters/${encodeURIComponent(cluster)}${req.url ?? '/'}`;
          kube.handler(req, res);
        });
        server.keepAliveTimeout = 5_000;
        started = listen(server, 0, host).then((port) => ({ server, port }));
        rootServers.set(cluster, started);
      }
      const { port } = await started;
      return { host, port, caCertificate: tls.cert.toString('utf8') };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      restate.stop();
      etcd.stop();
      kube.stop();
      const extra = await Promise.all([...rootServers.values()]);
      await Promise.all(
        [awsServer, kubeServer, ...extra.map((e) => e.server)].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** Credentials the console (or a test) uses to act as an account's principal in the simulator. */
export function accountCredentials(world: SimWorld, accountId: string): { accessKeyId: string; secretAccessKey: string } {
  const account = world.accounts.get(accountId);
  if (!account) throw new Error(`no account ${accountId} in the scenario`);
  return { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}

/**
 * The environment that points the console at this simulator, acting as `accountId`'s principal: the only
 * things that differ from a real deployment (KUBECONFIG, AWS_ENDPOINT_URL and credentials).
 */
export function consoleEnvironment(sim: RunningSim, accountId = [...sim.world.accounts.keys()][0]): Record<string, string> {
  const credentials = accountCredentials(sim.world, accountId);
  return {
    KUBECONFIG: sim.kubeconfigPath,
    AWS_ENDPOINT_URL: sim.awsUrl,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}
