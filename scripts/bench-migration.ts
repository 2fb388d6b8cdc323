import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { MigrationRecord } from '../lib/migration/types';
import { consoleEnvironment, startSim } from '../sim/index';
import { ensureConsoleBuilt, startConsole } from './console-process';

// Issue 15's figures: one batch of 200 IRSA service accounts moved to Pod Identity (trust statement,
// association, roll verified on the new pods) against the simulator with 20 ms on every AWS call and its
// default rollout delay (a restarted Deployment's new pods are ready 1 s later). The built console runs as
// `npm start` runs it and is driven through its HTTP API with an admin token; the simulator runs in this
// process, so every AWS and Kubernetes request it answers is counted.

const ACCOUNT = '111122223333';
const SERVICE_ACCOUNTS = 200;
const NAMESPACE = 'reports';
const CONCURRENCY = 20;
const AWS_LATENCY_MS = 20;
const ROLLOUT_DELAY_MS = 1_000;
const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/BENCH0000000000000000000000000001';
const TOKEN = 'bench-migration-admin-token';

function scenarioFile(dir: string): string {
  const names = Array.from({ length: SERVICE_ACCOUNTS }, (_, i) => `report-${String(i).padStart(3, '0')}`);
  const scenario = {
    description: 'generated for npm run bench -- migration',
    accounts: [
      {
        id: ACCOUNT,
        oidcProviders: [{ url: `https://${ISSUER}` }],
        roles: names.map((name) => ({
          name: `bench-${name}`,
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'IRSA',
                Effect: 'Allow',
                Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:${NAMESPACE}:${name}`, [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
                },
              },
            ],
          },
        })),
      },
    ],
    clusters: [
      {
        name: 'bench',
        kind: 'eks',
        account: ACCOUNT,
        region: 'us-east-1',
        version: '1.31',
        platformVersion: 'eks.12',
        oidcIssuer: `https://${ISSUER}`,
        addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
        objects: names.flatMap((name) => [
          {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: {
              name,
              namespace: NAMESPACE,
              annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ACCOUNT}:role/bench-${name}` },
            },
          },
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name, namespace: NAMESPACE, labels: { app: name } },
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: name } },
              template: {
                metadata: { labels: { app: name } },
                spec: {
                  serviceAccountName: name,
                  containers: [{ name: 'app', image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${name}:1.0.0` }],
                },
              },
            },
          },
        ]),
      },
    ],
  };
  const file = path.join(dir, 'scenario.yaml');
  writeFileSync(file, YAML.stringify(scenario, { aliasDuplicateObjects: false }));
  return file;
}

export async function benchMigration(): Promise<void> {
  console.log(
    `\n== migration: ${SERVICE_ACCOUNTS} IRSA service accounts in one batch (concurrency ${CONCURRENCY}), ${AWS_LATENCY_MS} ms per AWS call, rollout delay ${ROLLOUT_DELAY_MS} ms`,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-bench-migration-'));
  const sim = await startSim({
    scenarioFile: scenarioFile(dir),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    rolloutReadyDelayMs: ROLLOUT_DELAY_MS,
  });
  for (const service of ['eks', 'iam', 'sts'] as const)
    sim.world.faults.add({ id: `bench-${service}`, service, operation: '*', latencyMs: AWS_LATENCY_MS, probability: 1 });
  // Every request the simulator answers passes its fault check once: count them there.
  const calls = new Map<string, number>();
  const evaluate = sim.world.faults.evaluate.bind(sim.world.faults);
  sim.world.faults.evaluate = (service, operation, cluster) => {
    const key = `${service} ${operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return evaluate(service, operation, cluster);
  };
  ensureConsoleBuilt();
  const consoleConfig = YAML.stringify({
    auth: {
      mode: 'none',
      apiTokens: [{ sha256: createHash('sha256').update(TOKEN).digest('hex'), subject: 'bench-admin', role: 'admin' }],
    },
  });
  const port = Number(process.env.BENCH_PORT ?? 3290);
  const consoleProcess = await startConsole({
    port,
    dataDir: dir,
    consoleConfig,
    env: consoleEnvironment(sim, ACCOUNT),
    log: () => undefined,
  });
  const api = async (pathname: string, init: RequestInit = {}) => {
    const response = await fetch(`${consoleProcess.url}${pathname}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${pathname} answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  };
  try {
    // The first collection of the fleet is the matrix bench's business: done before the clock starts.
    await api('/api/v1/serviceaccounts?cluster=bench');
    calls.clear();
    const started = Date.now();
    const { id } = (await api('/api/v1/migrations', {
      method: 'POST',
      body: JSON.stringify({ dryRun: false, cluster: 'bench', namespaces: [NAMESPACE], options: { concurrency: CONCURRENCY } }),
    })) as { id: string };
    const accepted = Date.now() - started;
    let record: MigrationRecord;
    for (;;) {
      record = (await api(`/api/v1/migrations/${id}`)) as MigrationRecord;
      if (record.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const wall = Date.now() - started;
    const verified = record.items.flatMap((item) => (item.verifiedAt ? [Date.parse(item.verifiedAt) - started] : []));
    const aws = [...calls].filter(([key]) => !key.startsWith('kube ')).reduce((sum, [, count]) => sum + count, 0);
    const kube = [...calls].filter(([key]) => key.startsWith('kube ')).reduce((sum, [, count]) => sum + count, 0);
    const perSa = (count: number) => (count / SERVICE_ACCOUNTS).toFixed(1);
    // The floor: each wave of CONCURRENCY service accounts waits at least one rollout delay.
    const floor = (SERVICE_ACCOUNTS / CONCURRENCY) * ROLLOUT_DELAY_MS;
    console.log(
      `result: ${record.status}, ${record.progress.succeeded} of ${SERVICE_ACCOUNTS} migrated and verified (expect succeeded, ${SERVICE_ACCOUNTS})`,
    );
    console.log(`plan and 202 answer: ${(accepted / 1000).toFixed(1)} s (target < 10 s)`);
    console.log(
      `wall time: ${(wall / 1000).toFixed(1)} s (target < 60 s; floor ${(floor / 1000).toFixed(0)} s = ${SERVICE_ACCOUNTS}/${CONCURRENCY} waves × rollout delay)`,
    );
    console.log(
      `time to first verified service account: ${verified.length ? `${(Math.min(...verified) / 1000).toFixed(1)} s, ${((Math.min(...verified) - accepted) / 1000).toFixed(1)} s after the 202` : 'none'} (target < 5 s: the plan, one SA's ~8 AWS calls and one rollout delay)`,
    );
    console.log(`AWS calls per service account: ${perSa(aws)} (expect ≤ 12); Kubernetes requests per service account: ${perSa(kube)}`);
    const top = [...calls].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  busiest: ${top.map(([key, count]) => `${key} ${count}`).join(', ')}`);
  } finally {
    await consoleProcess.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
