import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteAccessEntryCommand, EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { accountCredentials, startSim, type RunningSim } from '@/sim/index';
import { resolveClusterTargets } from '@/lib/config/cluster-targets';
import { parseConsoleConfig } from '@/lib/config/console-config';
import { CollectCache } from '@/lib/collect/cache';
import { collectFleet } from '@/lib/collect/collect-fleet';
import { discoverClusterTargets } from '@/lib/collect/discover-clusters';
import { evaluateFleet } from '@/lib/identity/evaluate-identity';
import { buildClusterRows } from '@/lib/identity';
import { pointConsoleAt } from '../support/console-environment';

// A console configured only with EKS cluster ARNs, no kubeconfig at all, reads a two-account fleet: the
// endpoint and CA from DescribeCluster, an EKS token it signs itself (as the console role of each account),
// the simulator's API server authenticating it through STS and authorizing it through the access entries.
// The console roles carry deploy/iam/read-only.json, and each cluster binds the read group to the ClusterRole
// of deploy/base/rbac-read.yaml, as an operator following CL005 would.

const A = '111122223333';
const B = '444455556666';
const ROOT = path.resolve(__dirname, '../..');
const consoleRole = (account: string) => `arn:aws:iam::${account}:role/workload-identity-console`;
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const readOnlyPolicy = JSON.parse(readFileSync(path.join(ROOT, 'deploy/iam/read-only.json'), 'utf8')) as object;
const readClusterRole = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/base/rbac-read.yaml'), 'utf8'))
  .map((document) => document.toJSON() as { kind: string; metadata: { name: string } })
  .find((object) => object.kind === 'ClusterRole' && object.metadata.name === 'workload-identity-console-read')!;

const account = (id: string) => ({
  id,
  roles: [
    {
      name: 'workload-identity-console',
      // Account A's root key is the console's own credential; it assumes this role in each account.
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }],
      },
      inlinePolicies: { 'workload-identity-console-read': readOnlyPolicy },
    },
  ],
});

const cluster = (name: string, accountId: string, region: string, serviceAccount: string) => ({
  name,
  kind: 'eks',
  account: accountId,
  region,
  version: '1.31',
  platformVersion: 'eks.12',
  addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
  accessEntries: [
    {
      principalArn: consoleRole(accountId),
      kubernetesGroups: ['workload-identity-console-read'],
      accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
    },
  ],
  objects: [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace: 'apps' } },
    readClusterRole,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'workload-identity-console-read' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'workload-identity-console-read' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'workload-identity-console-read' }],
    },
  ],
});

const scenario = {
  now: '2026-11-22T08:00:00Z',
  accounts: [account(A), account(B)],
  clusters: [
    cluster('a-prod', A, 'eu-west-1', 'checkout'),
    cluster('a-batch', A, 'us-west-2', 'reports'),
    cluster('b-prod', B, 'eu-west-1', 'ledger'),
  ],
};

const arnOf = (name: string, accountId: string, region: string) => `arn:aws:eks:${region}:${accountId}:cluster/${name}`;
const byArn = parseConsoleConfig(
  {
    clusters: [
      { name: 'a-prod', arn: arnOf('a-prod', A, 'eu-west-1'), assumeRoleArn: consoleRole(A) },
      { name: 'a-batch', arn: arnOf('a-batch', A, 'us-west-2'), assumeRoleArn: consoleRole(A) },
      { name: 'b-prod', arn: arnOf('b-prod', B, 'eu-west-1'), assumeRoleArn: consoleRole(B) },
    ],
  },
  'console.yaml',
);

let sim: RunningSim;
let restoreEnvironment: (() => void) | undefined;
const freshCache = () => new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 16 });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-access-entries-'));
  const scenarioFile = path.join(dir, 'scenario.yaml');
  writeFileSync(scenarioFile, stringify(scenario));
  sim = await startSim({ scenarioFile, kubeconfigPath: path.join(dir, 'kubeconfig') });
  const credentials = accountCredentials(sim.world, A);
  // No KUBECONFIG and an empty HOME: nothing but the config's ARNs and the AWS credentials.
  restoreEnvironment = pointConsoleAt(
    {
      HOME: dir,
      AWS_ENDPOINT_URL: sim.awsUrl,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: path.join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
    },
    ['KUBECONFIG', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_STS'],
  );
});

afterAll(async () => {
  restoreEnvironment?.();
  await sim?.stop();
});

describe('EKS clusters named by ARN, reached through access entries', () => {
  it('reads every cluster of both accounts with no kubeconfig, and CL005 stays silent', async () => {
    const targets = resolveClusterTargets(byArn);
    expect(targets.map((target) => [target.name, target.viaEksApi, target.context])).toEqual([
      ['a-prod', true, ''],
      ['a-batch', true, ''],
      ['b-prod', true, ''],
    ]);
    const fleet = await collectFleet(targets, { cache: freshCache() });
    const serviceAccounts = Object.fromEntries(
      fleet.clusters.map((state) => [
        state.name,
        (state.kube.serviceAccounts ?? []).filter((sa) => sa.metadata.namespace === 'apps').map((sa) => sa.metadata.name),
      ]),
    );
    expect(serviceAccounts).toEqual({
      'a-prod': ['checkout', 'default'],
      'a-batch': ['default', 'reports'],
      'b-prod': ['default', 'ledger'],
    });
    for (const state of fleet.clusters) {
      expect(state.sourceErrors, state.name).toEqual([]);
      expect(state.kube.nodes?.length, state.name).toBeGreaterThan(0);
      expect(state.consolePrincipalArn).toBe(consoleRole(state.eks!.cluster!.account));
      expect(state.eks?.accessEntries).toEqual([
        {
          principalArn: consoleRole(state.eks!.cluster!.account),
          type: 'STANDARD',
          username: `arn:aws:sts::${state.eks!.cluster!.account}:assumed-role/workload-identity-console/{{SessionName}}`,
          kubernetesGroups: ['workload-identity-console-read'],
          accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
        },
      ]);
    }
    expect(evaluateFleet(fleet).filter((finding) => ['CL004', 'CL005'].includes(finding.code))).toEqual([]);
    // The cluster page's rows carry the entries and which principal is the console's.
    const bProdRow = buildClusterRows(fleet).find((row) => row.name === 'b-prod')!;
    expect(bProdRow.consolePrincipalArn).toBe(consoleRole(B));
    expect(bProdRow.accessEntries?.map((entry) => [entry.principalArn, entry.accessPolicies?.map((policy) => policy.policyArn)])).toEqual([
      [consoleRole(B), [VIEW]],
    ]);
  });

  it('discover lists the same clusters with eks:ListClusters in each account and region', async () => {
    const config = parseConsoleConfig(
      {
        clusters: [
          {
            discover: {
              accounts: [
                { id: A, assumeRoleArn: consoleRole(A) },
                { id: B, assumeRoleArn: consoleRole(B) },
              ],
              regions: ['eu-west-1', 'us-west-2'],
            },
          },
        ],
      },
      'console.yaml',
    );
    const { targets, sourceErrors } = await discoverClusterTargets(config, resolveClusterTargets(config), freshCache());
    expect(sourceErrors).toEqual([]);
    expect(targets.map((target) => [target.name, target.eks, target.assumeRoleArn])).toEqual([
      ['a-prod', { name: 'a-prod', region: 'eu-west-1', account: A }, consoleRole(A)],
      ['a-batch', { name: 'a-batch', region: 'us-west-2', account: A }, consoleRole(A)],
      ['b-prod', { name: 'b-prod', region: 'eu-west-1', account: B }, consoleRole(B)],
    ]);
    // Without a role, the console's own credentials (account A) cannot list account B: said, not guessed.
    const ownCredentials = parseConsoleConfig({ clusters: [{ discover: { accounts: [B], regions: ['eu-west-1'] } }] }, 'console.yaml');
    const refused = await discoverClusterTargets(ownCredentials, [], freshCache());
    expect(refused.targets).toEqual([]);
    expect(refused.sourceErrors).toEqual([
      expect.objectContaining({ code: 'NoCredentialsForAccount', subject: { account: B, region: 'eu-west-1' } }),
    ]);
  });

  it('with the access entry removed, the cluster refuses the console and CL005 names the commands to run', async () => {
    const root = accountCredentials(sim.world, B);
    const eks = new EKSClient({ region: 'eu-west-1', endpoint: sim.awsUrl, credentials: root });
    await eks.send(new DeleteAccessEntryCommand({ clusterName: 'b-prod', principalArn: consoleRole(B) }));
    eks.destroy();

    const fleet = await collectFleet(resolveClusterTargets(byArn), { cache: freshCache() });
    const bProd = fleet.clusters.find((state) => state.name === 'b-prod')!;
    expect(bProd.kube.serviceAccounts).toBeNull();
    expect(bProd.sourceErrors[0]).toMatchObject({ source: 'kubernetes', code: 'Unauthorized' });
    const findings = evaluateFleet(fleet).filter((finding) => finding.code === 'CL005');
    expect(findings.map((finding) => finding.subject)).toEqual([{ kind: 'cluster', cluster: 'b-prod' }]);
    expect(findings[0].evidence.commands).toEqual([
      `aws eks create-access-entry --cluster-name b-prod --region eu-west-1 --principal-arn ${consoleRole(B)} --kubernetes-groups workload-identity-console-read`,
      `aws eks associate-access-policy --cluster-name b-prod --region eu-west-1 --principal-arn ${consoleRole(B)} --policy-arn ${VIEW} --access-scope type=cluster`,
    ]);
    // The other account's clusters are untouched.
    expect(fleet.clusters.filter((state) => state.name !== 'b-prod').flatMap((state) => state.sourceErrors)).toEqual([]);
  });
});
