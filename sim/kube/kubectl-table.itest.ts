import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// (The simulator serves no OpenAPI document, so objects are created with --validate=false.)
// `kubectl get` asks the API server for a Table and prints the server's columns: the columns an operator
// knows from a real cluster must show up against the simulator too.

const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlPresent) console.log('skipping the kubectl Table checks: kubectl is not installed on this machine');

let sim: RunningSim;

beforeAll(async () => {
  if (!kubectlPresent) return;
  sim = await startSim({ scenarioFile: path.join(__dirname, '..', 'scenarios', 'minimal.yaml'), rolloutReadyDelayMs: 50 });
});
afterAll(async () => sim?.stop());

// Async on purpose: the simulator serves from this same process, so a sync exec would deadlock it.
const kubectl = async (...args: string[]) =>
  (await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

function header(output: string): string[] {
  return output
    .split('\n')[0]
    .trim()
    .split(/\s{2,}/);
}

function rowOf(output: string, name: string): string[] {
  const line = output.split('\n').find((l) => l.split(/\s+/).includes(name));
  if (!line) throw new Error(`no row for ${name} in:\n${output}`);
  return line.trim().split(/\s{2,}/);
}

describe.skipIf(!kubectlPresent)('kubectl get prints the API server columns', () => {
  it('pods: READY, STATUS, RESTARTS, AGE, and IP and NODE with -o wide', async () => {
    const pods = await kubectl('get', 'pods', '-A');
    expect(header(pods)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const name = (await kubectl('-n', 'reports', 'get', 'pods', '-o', 'name')).trim().split('/')[1];
    expect(rowOf(pods, name).slice(0, 5)).toEqual(['reports', name, '1/1', 'Running', '0']);
    const wide = await kubectl('get', 'pods', '-n', 'reports', '-o', 'wide');
    expect(header(wide)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const [, , , , , ip, node] = rowOf(wide, name);
    expect(ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(node).toMatch(/^ip-10-0-\d+-\d+\.us-east-1\.compute\.internal$/);
  });

  it('service accounts: SECRETS and AGE; a single object by name too', async () => {
    const sas = await kubectl('get', 'sa', '-A');
    expect(header(sas)).toEqual(['NAMESPACE', 'NAME', 'SECRETS', 'AGE']);
    expect(rowOf(sas, 'exporter').slice(0, 3)).toEqual(['reports', 'exporter', '0']);
    const one = await kubectl('-n', 'payments', 'get', 'sa', 'api');
    expect(header(one)).toEqual(['NAME', 'SECRETS', 'AGE']);
    expect(rowOf(one, 'api').slice(0, 2)).toEqual(['api', '0']);
  });

  it('deployments, replica sets and daemon sets: their rollout counts', async () => {
    const deployments = await kubectl('get', 'deployments', '-A');
    expect(header(deployments)).toEqual(['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rowOf(deployments, 'api').slice(0, 5)).toEqual(['payments', 'api', '2/2', '2', '2']);
    const wide = await kubectl('-n', 'payments', 'get', 'deploy', '-o', 'wide');
    expect(header(wide)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(rowOf(wide, 'api').slice(5)).toEqual(['api', '111122223333.dkr.ecr.us-east-1.amazonaws.com/payments-api:2.4.1', 'app=api']);
    expect(header(await kubectl('get', 'rs', '-A'))).toEqual(['NAMESPACE', 'NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    const daemonSets = await kubectl('-n', 'kube-system', 'get', 'ds');
    expect(header(daemonSets)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(rowOf(daemonSets, 'eks-pod-identity-agent').slice(0, 7)).toEqual([
      'eks-pod-identity-agent',
      '3',
      '3',
      '3',
      '3',
      '3',
      'kubernetes.io/os=linux',
    ]);
  });

  it('namespaces, nodes and jobs', async () => {
    const namespaces = await kubectl('get', 'namespaces');
    expect(header(namespaces)).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(rowOf(namespaces, 'payments').slice(0, 2)).toEqual(['payments', 'Active']);
    const nodes = await kubectl('get', 'nodes');
    expect(header(nodes)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(nodes.split('\n').filter((l) => /\sReady\s/.test(l))).toHaveLength(3);
    await kubectl('-n', 'reports', 'create', 'job', 'backfill', '--image=python:3.12-slim');
    const jobs = await kubectl('-n', 'reports', 'get', 'jobs');
    expect(header(jobs)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(rowOf(jobs, 'backfill').slice(0, 3)).toEqual(['backfill', 'Running', '0/1']);
  });

  it("custom resources: the CRD's printer columns, and NAME AGE without them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-kubectl-table-'));
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            additionalPrinterColumns: [
              { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
              { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            ],
          },
        ],
      },
    };
    fs.writeFileSync(path.join(dir, 'crd.json'), JSON.stringify(crd));
    await kubectl('create', '--validate=false', '-f', path.join(dir, 'crd.json'));
    fs.writeFileSync(
      path.join(dir, 'widget.json'),
      JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'blue', namespace: 'payments' },
        spec: { size: 3 },
      }),
    );
    await kubectl('create', '--validate=false', '-f', path.join(dir, 'widget.json'));
    const widgets = await kubectl('-n', 'payments', 'get', 'widgets');
    expect(header(widgets)).toEqual(['NAME', 'SIZE', 'AGE']);
    expect(rowOf(widgets, 'blue').slice(0, 2)).toEqual(['blue', '3']);
    fs.writeFileSync(
      path.join(dir, 'restate.json'),
      JSON.stringify({ apiVersion: 'restate.dev/v1', kind: 'RestateCluster', metadata: { name: 'ledger' }, spec: {} }),
    );
    await kubectl('create', '--validate=false', '-f', path.join(dir, 'restate.json'));
    expect(header(await kubectl('get', 'restateclusters'))).toEqual(['NAME', 'AGE']);
  });

  it('watches in Table form: a deleted pod shows up as Terminating under the same columns', async () => {
    const name = (await kubectl('-n', 'payments', 'get', 'pods', '-o', 'name')).trim().split('\n')[0].split('/')[1];
    const watch = spawn('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'payments', 'get', 'pods', '-w'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    watch.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const until = async (done: () => boolean, what: string) => {
        const deadline = Date.now() + 10_000;
        while (!done()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; kubectl printed:\n${output}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await until(() => output.includes(name), 'the initial rows');
      await kubectl('-n', 'payments', 'delete', 'pod', name, '--wait=false');
      await until(() => /Terminating/.test(output), 'the deletion event');
    } finally {
      watch.kill('SIGTERM');
    }
    const lines = output.trim().split('\n');
    expect(header(output)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(lines.filter((l) => l.startsWith('NAME'))).toHaveLength(1);
    expect(
      lines
        .find((l) => l.includes('Terminating'))!
        .trim()
        .split(/\s{2,}/)
        .slice(0, 3),
    ).toEqual([name, '1/1', 'Terminating']);
  });
});
