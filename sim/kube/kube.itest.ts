import * as k8s from '@kubernetes/client-node';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// The Kubernetes half through the real client-node 1.x and kubectl, over the sim's kubeconfig.

let sim: RunningSim;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

beforeAll(async () => {
  sim = await startSim({ scenarioFile: path.join(__dirname, '..', 'scenarios', 'minimal.yaml'), rolloutReadyDelayMs: 50 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});
afterAll(async () => sim?.stop());

const envNames = (pod: k8s.V1Pod) => (pod.spec?.containers[0].env ?? []).map((e) => e.name);

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the simulated API server with client-node', () => {
  it('names EKS contexts by cluster ARN, as aws eks update-kubeconfig does', () => {
    expect(kc.getContexts().map((c) => c.name)).toEqual(['arn:aws:eks:us-east-1:111122223333:cluster/prod-use1']);
  });

  it('admits workload pods with the env the webhook injects', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'payments' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items)
      expect(envNames(pod)).toEqual(['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']);
    const irsa = await core.listNamespacedPod({ namespace: 'reports' });
    expect(envNames(irsa.items[0])).toEqual([
      'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_STS_REGIONAL_ENDPOINTS',
      'AWS_DEFAULT_REGION',
      'AWS_REGION',
    ]);
  });

  it('lists with limit and continue, and filters by field and label selectors', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?._continue).toBeTruthy();
    const rest = await core.listPodForAllNamespaces({ limit: 100, _continue: first.metadata!._continue });
    const all = await core.listPodForAllNamespaces();
    expect(first.items.length + rest.items.length).toBe(all.items.length);
    const bySa = await core.listPodForAllNamespaces({ fieldSelector: 'spec.serviceAccountName=exporter' });
    expect(bySa.items.map((p) => p.metadata?.namespace)).toEqual(['reports']);
    const byLabel = await core.listPodForAllNamespaces({ labelSelector: 'app in (api)' });
    expect(byLabel.items).toHaveLength(2);
    await expect(core.listPodForAllNamespaces({ fieldSelector: 'spec.bogus=x' })).rejects.toMatchObject({ code: 400 });
  });

  it('patches annotations with a strategic merge patch, and refuses a stale resourceVersion with 409', async () => {
    const patched = await core.patchNamespacedServiceAccount(
      {
        name: 'exporter',
        namespace: 'reports',
        body: { metadata: { annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'false' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.annotations).toMatchObject({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/reports-irsa',
      'eks.amazonaws.com/sts-regional-endpoints': 'false',
    });
    const stale = { ...patched, metadata: { ...patched.metadata, resourceVersion: '1' } };
    await expect(core.replaceNamespacedServiceAccount({ name: 'exporter', namespace: 'reports', body: stale })).rejects.toMatchObject({
      code: 409,
    });
    const removed = await core.patchNamespacedServiceAccount(
      {
        name: 'exporter',
        namespace: 'reports',
        body: [{ op: 'remove', path: '/metadata/annotations/eks.amazonaws.com~1sts-regional-endpoints' }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(removed.metadata?.annotations).not.toHaveProperty('eks.amazonaws.com/sts-regional-endpoints');
  });

  it('stores nothing on dryRun=All', async () => {
    const body = { metadata: { name: 'dry', namespace: 'payments' } };
    const answer = await core.createNamespacedServiceAccount({ namespace: 'payments', body, dryRun: 'All' });
    expect(answer.metadata?.name).toBe('dry');
    await expect(core.readNamespacedServiceAccount({ name: 'dry', namespace: 'payments' })).rejects.toMatchObject({ code: 404 });
  });

  it('answers errors with metav1.Status bodies', async () => {
    const err = await core.readNamespacedServiceAccount({ name: 'nope', namespace: 'payments' }).catch((e) => e);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'serviceaccounts "nope" not found',
    });
  });

  it('watches pods and sees a rollout restart replace them, each new pod admitted again', async () => {
    const watch = new k8s.Watch(kc);
    const events: string[] = [];
    const request = await watch.watch(
      '/api/v1/namespaces/payments/pods',
      {},
      (type, pod: k8s.V1Pod) => events.push(`${type} ${pod.metadata?.name}`),
      () => undefined,
    );
    const before = (await core.listNamespacedPod({ namespace: 'payments' })).items.map((p) => p.metadata!.name!);
    await apps.patchNamespacedDeployment(
      {
        name: 'api',
        namespace: 'payments',
        body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const after = await waitFor(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'api', namespace: 'payments' });
      const done =
        d.status?.updatedReplicas === 2 &&
        d.status?.replicas === 2 &&
        d.status?.readyReplicas === 2 &&
        d.status?.observedGeneration === d.metadata?.generation;
      if (!done) return undefined;
      return (await core.listNamespacedPod({ namespace: 'payments' })).items;
    }, 'the rollout to finish');
    request.abort();
    expect(after.map((p) => p.metadata!.name).filter((n) => before.includes(n!))).toEqual([]);
    for (const pod of after) expect(envNames(pod)).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
    expect(events.some((e) => e.startsWith('DELETED'))).toBe(true);
    expect(events.filter((e) => e.startsWith('ADDED')).length).toBeGreaterThanOrEqual(4);
  });

  it('refuses an eviction that would break a PodDisruptionBudget', async () => {
    const policy = kc.makeApiClient(k8s.PolicyV1Api);
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'reports',
      body: { metadata: { name: 'exporter' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'exporter' } } } },
    });
    const pod = (await core.listNamespacedPod({ namespace: 'reports' })).items[0];
    const err = await core
      .createNamespacedPodEviction({
        name: pod.metadata!.name!,
        namespace: 'reports',
        body: { metadata: { name: pod.metadata!.name!, namespace: 'reports' } },
      })
      .catch((e) => e);
    expect(err.code).toBe(429);
    expect(JSON.parse(err.body).message).toContain('disruption budget');
  });

  it('rejects a request without the bearer token', async () => {
    const cluster = kc.getCurrentCluster()!;
    const anonymous = new k8s.KubeConfig();
    anonymous.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'a', cluster: cluster.name, user: 'anonymous' }],
      currentContext: 'a',
    });
    const err = await anonymous
      .makeApiClient(k8s.CoreV1Api)
      .listPodForAllNamespaces()
      .catch((e) => e);
    expect(err.code).toBe(401);
  });
});

const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlPresent) console.log('skipping the kubectl checks: kubectl is not installed on this machine');

describe.skipIf(!kubectlPresent)('kubectl against the simulator', () => {
  // Async on purpose: the simulator serves from this same process, so a sync exec would deadlock it.
  const kubectl = async (...args: string[]) =>
    (await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

  it('gets service accounts and pods across namespaces', async () => {
    const sas = await kubectl('get', 'sa', '-A');
    expect(sas).toMatch(/payments\s+api/);
    expect(sas).toMatch(/reports\s+exporter/);
    expect(await kubectl('get', 'pods', '-A', '-o', 'wide')).toMatch(/kube-system\s+eks-pod-identity-agent-/);
  });

  it('annotates, restarts, waits for the rollout and deletes a pod', async () => {
    await kubectl('-n', 'reports', 'annotate', 'sa', 'exporter', 'eks.amazonaws.com/sts-regional-endpoints=true', '--overwrite');
    expect(
      await kubectl(
        '-n',
        'reports',
        'get',
        'sa',
        'exporter',
        '-o',
        'jsonpath={.metadata.annotations.eks\\.amazonaws\\.com/sts-regional-endpoints}',
      ),
    ).toBe('true');
    expect(await kubectl('-n', 'reports', 'rollout', 'restart', 'deploy/exporter')).toContain('restarted');
    expect(await kubectl('-n', 'reports', 'rollout', 'status', 'deploy/exporter', '--timeout=30s')).toContain('successfully rolled out');
    const pod = (await kubectl('-n', 'reports', 'get', 'pods', '-o', 'name')).trim().split('\n')[0];
    expect(await kubectl('-n', 'reports', 'delete', pod)).toContain('deleted');
  });
});
