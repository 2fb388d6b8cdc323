import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { resolveClusterTargets, type ClusterTarget } from '@/lib/config/cluster-targets';
import { parseConsoleConfig } from '@/lib/config/console-config';
import { resetAwsClients } from '@/lib/aws/clients';
import { pointConsoleAt } from '../support/console-environment';
import type { FleetState } from '@/lib/model/cluster-state';
import { CollectCache } from '@/lib/collect/cache';
import { collectFleet, invalidateCollected } from '@/lib/collect/collect-fleet';
import { collectFleetNaive } from '@/lib/collect/naive';
import consoleReadOnlyPolicy from '@/deploy/iam/read-only.json';

// The collector against the simulator, through the real clients: only KUBECONFIG, AWS_ENDPOINT_URL and the
// credentials point it there. One EKS cluster with 251 associations (three pages of ListPodIdentityAssociations),
// an IRSA service account, a cross-account target role, and a K3s cluster.

const MAIN = '111122223333';
const OTHER = '444455556666';
const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/COLLECT00000000000000000000000001';
const podIdentityTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

const scenario = {
  now: '2026-11-22T08:00:00Z',
  accounts: [
    {
      id: MAIN,
      roles: [
        { name: 'payments-api', trustPolicy: podIdentityTrust },
        { name: 'unbound-ready', trustPolicy: podIdentityTrust },
        {
          name: 'console-reader',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MAIN}:root` }, Action: 'sts:AssumeRole' }],
          },
          // the simulator enforces IAM: the role the console reads through has the console's documented policy
          inlinePolicies: { 'workload-identity-console': consoleReadOnlyPolicy },
        },
        {
          name: 'reports-irsa',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: `arn:aws:iam::${MAIN}:oidc-provider/${ISSUER}` },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:reports:exporter' } },
              },
            ],
          },
        },
      ],
      oidcProviders: [{ url: `https://${ISSUER}`, clientIds: ['sts.amazonaws.com'] }],
    },
    {
      id: OTHER,
      roles: [
        {
          name: 'data-writer',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MAIN}:root` }, Action: 'sts:AssumeRole' }],
          },
        },
      ],
    },
  ],
  clusters: [
    {
      name: 'prod-use1',
      kind: 'eks',
      account: MAIN,
      region: 'us-east-1',
      version: '1.31',
      platformVersion: 'eks.12',
      oidcIssuer: `https://${ISSUER}`,
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      podIdentityAssociations: [
        {
          namespace: 'payments',
          serviceAccount: 'api',
          roleArn: `arn:aws:iam::${MAIN}:role/payments-api`,
          targetRoleArn: `arn:aws:iam::${OTHER}:role/data-writer`,
          disableSessionTags: true,
        },
      ],
      generate: { namespaces: 5, serviceAccountsPerNamespace: 50, podsPerServiceAccount: 0, associationsPerNamespace: 50 },
      objects: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'payments' } },
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: 'exporter',
            namespace: 'reports',
            annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${MAIN}:role/reports-irsa` },
          },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api', namespace: 'payments' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'api' } },
            template: {
              metadata: { labels: { app: 'api' } },
              spec: { serviceAccountName: 'api', containers: [{ name: 'api', image: 'payments-api:2.4.1' }] },
            },
          },
        },
      ],
    },
    {
      // A small cluster in another region, so throttling it does not slow the other cluster's client.
      name: 'batch-usw2',
      kind: 'eks',
      account: MAIN,
      region: 'us-west-2',
      version: '1.30',
      platformVersion: 'eks.8',
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      podIdentityAssociations: ['a', 'b', 'c'].map((serviceAccount) => ({
        namespace: 'batch',
        serviceAccount,
        roleArn: `arn:aws:iam::${MAIN}:role/payments-api`,
      })),
    },
    {
      name: 'edge',
      kind: 'k3s',
      version: '1.30',
      objects: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'collector', namespace: 'telemetry' } }],
    },
  ],
};

const ASSOCIATIONS = 1 + 5 * 50;

let sim: RunningSim;
let targets: ClusterTarget[];
let restoreEnvironment: (() => void) | undefined;

async function addFault(fault: object): Promise<void> {
  const response = await fetch(`${sim.controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-collect-'));
  const scenarioFile = path.join(dir, 'scenario.yaml');
  writeFileSync(scenarioFile, stringify(scenario));
  sim = await startSim({ scenarioFile, kubeconfigPath: path.join(dir, 'kubeconfig') });
  restoreEnvironment = pointConsoleAt(consoleEnvironment(sim, MAIN));
  targets = resolveClusterTargets(parseConsoleConfig({}, '(zero config)'));
});

afterEach(async () => {
  await fetch(`${sim.controlUrl}/faults`, { method: 'DELETE' });
  // Adaptive retry slows a client down after throttling; start each test with fresh clients.
  resetAwsClients();
});

const clusterNamed = (fleet: FleetState, name: string) => fleet.clusters.find((cluster) => cluster.name === name)!;

afterAll(async () => {
  await sim?.stop();
  restoreEnvironment?.();
});

const freshCache = () => new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 16 });

describe('collectFleet against the simulator', () => {
  it('finds both clusters from the kubeconfig alone, the EKS one by its ARN', () => {
    expect(targets).toEqual([
      {
        name: 'prod-use1',
        kind: 'eks',
        context: `arn:aws:eks:us-east-1:${MAIN}:cluster/prod-use1`,
        eks: { name: 'prod-use1', region: 'us-east-1', account: MAIN },
      },
      {
        name: 'batch-usw2',
        kind: 'eks',
        context: `arn:aws:eks:us-west-2:${MAIN}:cluster/batch-usw2`,
        eks: { name: 'batch-usw2', region: 'us-west-2', account: MAIN },
      },
      { name: 'edge', context: 'edge' },
    ]);
  });

  it("collects every page, every association's role, every distinct role once, and the accounts' IAM facts", async () => {
    const cache = freshCache();
    const fleet = await collectFleet(targets, { cache });
    const prod = clusterNamed(fleet, 'prod-use1');
    const edge = clusterNamed(fleet, 'edge');

    expect(prod.kind).toBe('eks');
    expect(prod.eks?.cluster).toMatchObject({
      name: 'prod-use1',
      arn: `arn:aws:eks:us-east-1:${MAIN}:cluster/prod-use1`,
      account: MAIN,
      version: '1.31',
      platformVersion: 'eks.12',
      oidcIssuer: `https://${ISSUER}`,
    });
    expect(prod.eks?.addons).toEqual([expect.objectContaining({ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' })]);
    expect(prod.eks?.associations).toHaveLength(ASSOCIATIONS);
    expect(prod.eks?.associations?.every((association) => association.roleArn?.startsWith(`arn:aws:iam::${MAIN}:role/`))).toBe(true);
    const payments = prod.eks?.associations?.find((association) => association.namespace === 'payments');
    expect(payments).toMatchObject({
      serviceAccount: 'api',
      targetRoleArn: `arn:aws:iam::${OTHER}:role/data-writer`,
      disableSessionTags: true,
    });
    expect(payments?.externalId).toBeTruthy();

    // Kubernetes side, in wire form: timestamps are strings.
    expect(prod.kube.serviceAccounts?.some((sa) => sa.metadata.name === 'exporter')).toBe(true);
    expect(prod.kube.pods?.filter((pod) => pod.metadata.namespace === 'payments')).toHaveLength(2);
    expect(typeof prod.kube.pods?.[0].metadata.creationTimestamp).toBe('string');
    expect(prod.kube.nodes).toHaveLength(3);
    expect(prod.kube.workloads?.some((workload) => workload.kind === 'Deployment' && workload.metadata.name === 'api')).toBe(true);
    expect(prod.kube.workloads?.some((workload) => workload.kind === 'ReplicaSet')).toBe(true);
    expect(prod.kube.agentDaemonSet?.metadata.name).toBe('eks-pod-identity-agent');
    expect(prod.kube.agentPods).toHaveLength(3);
    expect(prod.kube.restateClusters).toEqual([]);
    expect(prod.sourceErrors).toEqual([]);

    expect(edge.kind).toBe('k3s');
    expect(edge.eks).toBeUndefined();
    expect(edge.kube.agentDaemonSet).toBeUndefined();
    expect(edge.kube.serviceAccounts?.some((sa) => sa.metadata.name === 'collector')).toBe(true);

    // 251 association roles + the IRSA role + the target role.
    expect(Object.keys(fleet.roles)).toHaveLength(ASSOCIATIONS + 2);
    const irsa = fleet.roles[`arn:aws:iam::${MAIN}:role/reports-irsa`];
    expect(irsa.status).toBe('found');
    if (irsa.status === 'found') expect(irsa.role.trustPolicy).toMatchObject({ Statement: [{ Action: 'sts:AssumeRoleWithWebIdentity' }] });
    // The console acts in 111122223333 only: the other account's role cannot be read, and says why.
    const target = fleet.roles[`arn:aws:iam::${OTHER}:role/data-writer`];
    expect(target).toMatchObject({
      status: 'error',
      error: { code: 'NoCredentialsForAccount', subject: { roleArn: `arn:aws:iam::${OTHER}:role/data-writer` } },
    });
    expect(fleet.accounts[MAIN].oidcProviders).toEqual([ISSUER]);
    expect(fleet.accounts[MAIN].roles?.map((role) => role.name)).toContain('unbound-ready');
    expect(fleet.sourceErrors.map((error) => error.code)).toEqual(['NoCredentialsForAccount']);

    const calls = cache.stats().callsByOperation;
    // prod: the cached listing + its three pages; batch: the listing + one page.
    expect(calls['eks:ListPodIdentityAssociations']).toBe(1 + 3 + 1 + 1);
    expect(calls['eks:DescribePodIdentityAssociation']).toBe(ASSOCIATIONS + 3);
    expect(calls['iam:GetRole']).toBe(ASSOCIATIONS + 1);
    expect(cache.stats().peakConcurrency).toBeLessThanOrEqual(16);
  });

  it('makes each call once when three pages collect at the same time, and none when warm', async () => {
    const single = freshCache();
    await collectFleet(targets, { cache: single });
    const oneCollection = single.stats().callsByOperation;

    const cache = freshCache();
    const fleets = await Promise.all([
      collectFleet(targets, { cache }),
      collectFleet(targets, { cache }),
      collectFleet(targets, { cache }),
    ]);
    expect(clusterNamed(fleets[1], 'prod-use1').eks?.associations).toHaveLength(ASSOCIATIONS);
    const cold = cache.stats();
    // Three collections at once make exactly the calls of one.
    expect(cold.callsByOperation).toEqual(oneCollection);
    expect(cold.callsByOperation['eks:DescribePodIdentityAssociation']).toBe(ASSOCIATIONS + 3);
    expect(cold.callsByOperation['iam:GetRole']).toBe(ASSOCIATIONS + 1);
    expect(cold.callsByOperation['eks:DescribeCluster']).toBe(2);
    expect(cold.joins).toBeGreaterThan(0);

    cache.resetStats();
    const warm = await collectFleet(targets, { cache });
    expect(clusterNamed(warm, 'prod-use1').eks?.associations).toHaveLength(ASSOCIATIONS);
    expect(cache.stats().calls).toBe(0);
  });

  it('after our own write, reads the changed role again and nothing else', async () => {
    const cache = freshCache();
    await collectFleet(targets, { cache });
    cache.resetStats();
    invalidateCollected({ roleArn: `arn:aws:iam::${MAIN}:role/payments-api` }, cache);
    await collectFleet(targets, { cache });
    // The role's permission policy listings go with it (a listing counts its whole and its one page); its
    // managed policies are cached by version id and are not read again.
    expect(cache.stats().callsByOperation).toEqual({
      'iam:GetRole': 1,
      'iam:ListRoles': 2,
      'iam:ListRolePolicies': 2,
      'iam:ListAttachedRolePolicies': 2,
    });
  });

  it('a trust policy changed outside the console: the next role listing has that role read again, not every role', async () => {
    let now = 1_000_000;
    const cache = new CollectCache({
      ttlMs: 30_000,
      errorTtlMs: 0,
      concurrency: 16,
      listMs: 60_000,
      redescribeMs: 3_600_000,
      iamRereadMs: 3_600_000,
      now: () => now,
    });
    const roleArn = `arn:aws:iam::${MAIN}:role/payments-api`;
    const before = await collectFleet(targets, { cache });
    expect(before.roles[roleArn]).toMatchObject({ status: 'found', role: { trustPolicy: podIdentityTrust } });
    const iam = new IAMClient({ region: 'us-east-1' });
    const changed = {
      ...podIdentityTrust,
      Statement: [{ ...podIdentityTrust.Statement[0], Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } }],
    };
    try {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'payments-api', PolicyDocument: JSON.stringify(changed) }));
      // Within the listing's period nothing is read again: the change is not seen yet.
      now += 30_000;
      cache.resetStats();
      const soon = await collectFleet(targets, { cache });
      expect(soon.roles[roleArn]).toMatchObject({ role: { trustPolicy: podIdentityTrust } });
      expect(cache.stats().callsByOperation['iam:GetRole']).toBeUndefined();
      // Past it, the accounts' roles are listed again, and the one role whose trust policy differs is read again.
      now += 31_000;
      cache.resetStats();
      const after = await collectFleet(targets, { cache });
      expect(after.roles[roleArn]).toMatchObject({ status: 'found', role: { trustPolicy: changed } });
      const calls = cache.stats().callsByOperation;
      expect(calls['iam:GetRole']).toBe(1);
      expect(calls['eks:DescribePodIdentityAssociation']).toBeUndefined();
      expect(calls['eks:ListPodIdentityAssociations']).toBeGreaterThan(0);
    } finally {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'payments-api', PolicyDocument: JSON.stringify(podIdentityTrust) }));
    }
  });

  it('AccessDenied on GetRole: every role lookup is an error naming iam:GetRole, everything else intact', async () => {
    await addFault({
      service: 'iam',
      operation: 'GetRole',
      error: { status: 403, code: 'AccessDenied', message: 'User is not authorized to perform: iam:GetRole' },
    });
    const fleet = await collectFleet(targets, { cache: freshCache() });
    const lookup = fleet.roles[`arn:aws:iam::${MAIN}:role/payments-api`];
    expect(lookup).toMatchObject({
      status: 'error',
      error: { source: 'iam', operation: 'GetRole', code: 'AccessDenied', missingPermission: 'iam:GetRole' },
    });
    expect(fleet.sourceErrors.filter((error) => error.missingPermission === 'iam:GetRole')).toHaveLength(ASSOCIATIONS + 1);
    const prod = clusterNamed(fleet, 'prod-use1');
    expect(prod.eks?.associations?.every((association) => association.roleArn)).toBe(true);
    expect(prod.kube.serviceAccounts).not.toBeNull();
    expect(prod.sourceErrors).toEqual([]);
    expect(fleet.accounts[MAIN].oidcProviders).toEqual([ISSUER]);
  });

  it('DescribePodIdentityAssociation throttled past retries: those roles are unknown and each says so', async () => {
    // A bucket of one token that practically never refills: the first Describe passes, the other two are throttled.
    await addFault({ service: 'eks', operation: 'DescribePodIdentityAssociation', cluster: 'batch-usw2', throttle: { perSecond: 0.0001 } });
    const fleet = await collectFleet(targets, { cache: freshCache(), aws: { maxAttempts: 2, throttleRetries: 1, throttleBackoffMs: 50 } });
    const batch = clusterNamed(fleet, 'batch-usw2');
    const associations = batch.eks!.associations!;
    expect(associations).toHaveLength(3);
    const unknown = associations.filter((association) => association.roleArn === undefined);
    expect(unknown).toHaveLength(2);
    expect(unknown[0]).toMatchObject({ namespace: 'batch', associationId: expect.stringMatching(/^a-/) });
    const errors = batch.sourceErrors.filter((error) => error.operation === 'DescribePodIdentityAssociation');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ source: 'eks', code: 'ThrottlingException', cluster: 'batch-usw2' });
    expect(errors[0].message).toMatch(/throttled by EKS after 2 attempts/);
    expect(new Set(errors.map((error) => error.subject?.associationId))).toEqual(
      new Set(unknown.map((association) => association.associationId)),
    );
    // The rest of that cluster, and the other clusters, are intact.
    expect(batch.eks?.cluster?.version).toBe('1.30');
    expect(batch.kube.pods).not.toBeNull();
    expect(clusterNamed(fleet, 'prod-use1').eks?.associations?.every((association) => association.roleArn)).toBe(true);
  }, 60_000);

  it('DescribePodIdentityAssociation rate-limited per account: the console backs off and describes every association, no CL004', async () => {
    // EKS's own answer to a burst: a token bucket of 50 a second. 251 describes at concurrency 16 overrun it.
    await addFault({ service: 'eks', operation: 'DescribePodIdentityAssociation', cluster: 'prod-use1', throttle: { perSecond: 50 } });
    const cache = freshCache();
    const fleet = await collectFleet(targets, {
      cache,
      aws: { maxAttempts: 1, accountConcurrency: 16, throttleRetries: 8, throttleBackoffMs: 100 },
    });
    const prod = clusterNamed(fleet, 'prod-use1');
    expect(prod.sourceErrors.filter((error) => error.operation === 'DescribePodIdentityAssociation')).toEqual([]);
    expect(prod.eks?.associations?.every((association) => association.roleArn)).toBe(true);
    const stats = cache.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    // The window of that account's EKS narrowed below the 16 it started with (successes may have widened it since).
    expect(
      Math.min(
        ...Object.entries(stats.accountLimitLows)
          .filter(([key]) => key.startsWith('eks|'))
          .map(([, limit]) => limit),
      ),
    ).toBeLessThan(16);
  }, 60_000);

  it('RBAC denies listing pods on one cluster: pods unknown there, with the verb the console lacks', async () => {
    await addFault({
      service: 'kube',
      operation: 'list pods',
      cluster: 'prod-use1',
      error: {
        status: 403,
        code: 'Forbidden',
        message: 'pods is forbidden: User "console" cannot list resource "pods" in API group "" at the cluster scope',
      },
    });
    const fleet = await collectFleet(targets, { cache: freshCache() });
    const prod = clusterNamed(fleet, 'prod-use1');
    expect(prod.kube.pods).toBeNull();
    expect(prod.kube.agentPods).toBeNull();
    expect(prod.kube.serviceAccounts).not.toBeNull();
    expect(prod.sourceErrors).toEqual([
      expect.objectContaining({
        cluster: 'prod-use1',
        source: 'kubernetes',
        operation: 'list pods',
        code: 'Forbidden',
        missingPermission: 'list pods (all namespaces)',
      }),
      expect.objectContaining({ operation: 'list pods', code: 'Forbidden', missingPermission: 'list pods (namespace kube-system)' }),
    ]);
    expect(clusterNamed(fleet, 'edge').kube.pods).not.toBeNull();
    expect(clusterNamed(fleet, 'batch-usw2').kube.pods).not.toBeNull();
  });

  it("the Kubernetes API of one cluster down: that cluster's Kubernetes part is unknown with one clear error, the other cluster intact", async () => {
    // Point the K3s cluster at a port nobody listens on.
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const kubeconfig = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { clusters: { name: string; cluster: { server: string } }[] };
    for (const entry of kubeconfig.clusters)
      if (entry.name === 'edge') entry.cluster.server = `https://127.0.0.1:${closedPort}/clusters/edge`;
    const downFile = path.join(path.dirname(sim.kubeconfigPath), 'kubeconfig-edge-down');
    writeFileSync(downFile, stringify(kubeconfig));
    const downTargets = targets.map((target) => (target.name === 'edge' ? { ...target, kubeconfigPath: downFile } : target));

    const fleet = await collectFleet(downTargets, { cache: freshCache() });
    const prod = clusterNamed(fleet, 'prod-use1');
    const edge = clusterNamed(fleet, 'edge');
    expect(edge.kube).toMatchObject({ serviceAccounts: null, pods: null, nodes: null, namespaces: null, workloads: null });
    expect(edge.sourceErrors).toHaveLength(1);
    expect(edge.sourceErrors[0]).toMatchObject({ cluster: 'edge', source: 'kubernetes', code: 'ECONNREFUSED' });
    expect(edge.sourceErrors[0].message).toContain(`the API server https://127.0.0.1:${closedPort}/clusters/edge is unreachable`);
    expect(edge.sourceErrors[0].operation).toContain('list pods');
    expect(prod.kube.serviceAccounts).not.toBeNull();
    expect(prod.eks?.associations).toHaveLength(ASSOCIATIONS);
    expect(prod.sourceErrors).toEqual([]);
  });

  it('reads a cluster through its configured role (sts:AssumeRole), and says so when the role cannot be assumed', async () => {
    const withRole = (roleArn: string) =>
      targets.map((target) => (target.name === 'batch-usw2' ? { ...target, assumeRoleArn: roleArn } : target));
    const fleet = await collectFleet(withRole(`arn:aws:iam::${MAIN}:role/console-reader`), { cache: freshCache() });
    const batch = clusterNamed(fleet, 'batch-usw2');
    expect(batch.sourceErrors).toEqual([]);
    expect(batch.eks?.associations?.map((association) => association.roleArn)).toEqual(
      Array(3).fill(`arn:aws:iam::${MAIN}:role/payments-api`),
    );

    const denied = await collectFleet(withRole(`arn:aws:iam::${MAIN}:role/no-such-role`), { cache: freshCache() });
    const unreadable = clusterNamed(denied, 'batch-usw2');
    expect(unreadable.eks).toEqual({ cluster: null, addons: null, associations: null, accessEntries: null });
    expect(unreadable.sourceErrors[0]).toMatchObject({ source: 'sts', operation: 'AssumeRole', cluster: 'batch-usw2' });
    expect(unreadable.sourceErrors[0].message).toContain(`cannot assume arn:aws:iam::${MAIN}:role/no-such-role`);
    expect(unreadable.kube.serviceAccounts).not.toBeNull();
    expect(clusterNamed(denied, 'prod-use1').sourceErrors).toEqual([]);
  });

  it('the naive collector reaches the same fleet state, one call at a time', async () => {
    const stats = { awsCalls: 0 };
    const naive = await collectFleetNaive(targets, stats);
    const fleet = await collectFleet(targets, { cache: freshCache() });
    expect(
      clusterNamed(naive, 'prod-use1')
        .eks?.associations?.map((association) => association.roleArn)
        .sort(),
    ).toEqual(
      clusterNamed(fleet, 'prod-use1')
        .eks?.associations?.map((association) => association.roleArn)
        .sort(),
    );
    expect(naive.accounts).toEqual(fleet.accounts);
    expect(Object.keys(naive.roles).sort()).toEqual(Object.keys(fleet.roles).sort());
    expect(stats.awsCalls).toBeGreaterThan(2 * ASSOCIATIONS);
  });
});
