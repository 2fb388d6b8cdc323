import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// EKS tokens as `aws eks get-token` makes them, through kubectl's exec credential plugin, against the
// simulator's API server: authenticated through STS, authorized through the cluster's access entries.

const run = promisify(execFile);
const toolsPresent =
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0 &&
  spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
if (!toolsPresent) console.log('skipping the EKS access entry checks: kubectl or the aws CLI is not installed');

const ACCOUNT = '111111111111';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const trustAccount = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
};

const scenario = {
  accounts: [
    {
      id: ACCOUNT,
      roles: ['console', 'payments-dev', 'stranger', 'grouped'].map((name) => ({ name, trustPolicy: trustAccount })),
    },
  ],
  clusters: [
    {
      name: 'prod',
      account: ACCOUNT,
      region: 'eu-west-1',
      accessEntries: [
        { principalArn: `arn:aws:iam::${ACCOUNT}:role/console`, accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }] },
        {
          principalArn: `arn:aws:iam::${ACCOUNT}:role/payments-dev`,
          accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['pay*'] } }],
        },
        { principalArn: `arn:aws:iam::${ACCOUNT}:role/grouped`, kubernetesGroups: ['readers'] },
      ],
      objects: [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'payments' } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'etl', namespace: 'data' } },
        // The `readers` group of the `grouped` entry, bound by RBAC in one namespace.
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'sa-reader', namespace: 'data' },
          rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list'] }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'readers', namespace: 'data' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'sa-reader' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'readers' }],
        },
      ],
    },
    { name: 'other', account: ACCOUNT, region: 'eu-west-1' },
  ],
};

let sim: RunningSim;
let dir: string;
let env: NodeJS.ProcessEnv;

/** A kubeconfig whose user runs `aws eks get-token` as kubectl does for `aws eks update-kubeconfig`. */
function execKubeconfig(cluster: string, role: string, tokenCluster = cluster): string {
  const file = path.join(dir, `${cluster}-${role}-${tokenCluster}.kubeconfig`);
  const name = `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${cluster}`;
  fs.writeFileSync(
    file,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: {
            server: `${sim.kubeUrl}/clusters/${cluster}`,
            'certificate-authority-data': sim.world.endpoints!.certificateAuthorityData,
          },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: [
                '--region',
                'eu-west-1',
                'eks',
                'get-token',
                '--cluster-name',
                tokenCluster,
                '--role-arn',
                `arn:aws:iam::${ACCOUNT}:role/${role}`,
              ],
              interactiveMode: 'Never',
            },
          },
        },
      ],
    }),
  );
  return file;
}

async function kubectl(kubeconfig: string, ...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { env, encoding: 'utf8' });
    return { ok: true, out: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, out: `${failed.stdout ?? ''}${failed.stderr ?? String(error)}` };
  }
}

async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run('aws', ['--region', 'eu-west-1', '--output', 'json', ...args], { env, encoding: 'utf8' });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

beforeAll(async () => {
  if (!toolsPresent) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-eks-access-'));
  const scenarioFile = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(scenarioFile, YAML.stringify(scenario));
  sim = await startSim({ scenarioFile, rolloutReadyDelayMs: 50 });
  env = {
    NODE_ENV: 'test',
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_ACCESS_KEY_ID: sim.world.accounts.get(ACCOUNT)!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sim.world.accounts.get(ACCOUNT)!.secretAccessKey,
    AWS_ENDPOINT_URL: sim.awsUrl,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
});
afterAll(async () => {
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Every kubectl call runs `aws eks get-token` (a Python start-up and an AssumeRole): give the tests time.
describe.skipIf(!toolsPresent)('EKS tokens and access entries', { timeout: 300_000 }, () => {
  it('a cluster-scoped AmazonEKSViewPolicy reads pods in every namespace, and nothing the policy leaves out', async () => {
    const kubeconfig = execKubeconfig('prod', 'console');
    const sas = await kubectl(kubeconfig, 'get', 'serviceaccounts', '-A', '-o', 'name');
    expect(sas.ok, sas.out).toBe(true);
    expect(sas.out).toContain('serviceaccount/api');
    expect(sas.out).toContain('serviceaccount/etl');
    // AmazonEKSViewPolicy has no rule for nodes or secrets (EKS access-policy-permissions).
    const nodes = await kubectl(kubeconfig, 'get', 'nodes');
    expect(nodes.ok).toBe(false);
    expect(nodes.out).toContain(
      `nodes is forbidden: User "arn:aws:sts::${ACCOUNT}:assumed-role/console/EKSGetTokenAuth" cannot list resource "nodes" in API group "" at the cluster scope`,
    );
    const secrets = await kubectl(kubeconfig, 'get', 'secrets', '-n', 'payments');
    expect(secrets.out).toContain('cannot list resource "secrets" in API group "" in the namespace "payments"');
    const write = await kubectl(kubeconfig, 'delete', 'serviceaccount', 'api', '-n', 'payments');
    expect(write.out).toContain('cannot delete resource "serviceaccounts"');
    const can = await kubectl(kubeconfig, 'auth', 'can-i', 'list', 'pods', '--all-namespaces');
    expect(can.out.trim()).toBe('yes');
    const cannot = await kubectl(kubeconfig, 'auth', 'can-i', 'list', 'nodes');
    expect(cannot.ok).toBe(false);
    expect(cannot.out.split('\n')[0].trim()).toBe('no');
  });

  it('a namespace-scoped policy reads only the namespaces its scope matches', async () => {
    const kubeconfig = execKubeconfig('prod', 'payments-dev');
    expect((await kubectl(kubeconfig, 'get', 'serviceaccounts', '-n', 'payments', '-o', 'name')).out).toContain('serviceaccount/api');
    const data = await kubectl(kubeconfig, 'get', 'serviceaccounts', '-n', 'data');
    expect(data.out).toContain('cannot list resource "serviceaccounts" in API group "" in the namespace "data"');
    expect((await kubectl(kubeconfig, 'get', 'serviceaccounts', '-A')).out).toContain('at the cluster scope');
  });

  it('a principal without an access entry, or a token made for another cluster, is not logged in', async () => {
    const stranger = await kubectl(execKubeconfig('prod', 'stranger'), 'get', 'pods');
    expect(stranger.ok).toBe(false);
    expect(stranger.out).toContain('You must be logged in to the server');
    // Signed with x-k8s-aws-id: other, sent to prod: STS's signature check fails.
    const crossed = await kubectl(execKubeconfig('prod', 'console', 'other'), 'get', 'pods');
    expect(crossed.out).toContain('You must be logged in to the server');
  });

  it("an entry's Kubernetes groups get what RBAC binds to them, and nothing else", async () => {
    const kubeconfig = execKubeconfig('prod', 'grouped');
    expect((await kubectl(kubeconfig, 'get', 'serviceaccounts', '-n', 'data', '-o', 'name')).out).toContain('serviceaccount/etl');
    const payments = await kubectl(kubeconfig, 'get', 'serviceaccounts', '-n', 'payments');
    expect(payments.out).toContain(
      'serviceaccounts is forbidden: User "arn:aws:sts::111111111111:assumed-role/grouped/EKSGetTokenAuth" cannot list resource "serviceaccounts" in API group "" in the namespace "payments"',
    );
    const whoami = await kubectl(kubeconfig, 'auth', 'whoami', '-o', 'json');
    expect(JSON.parse(whoami.out).status.userInfo).toMatchObject({
      username: 'arn:aws:sts::111111111111:assumed-role/grouped/EKSGetTokenAuth',
      groups: ['readers', 'system:authenticated'],
      extra: { canonicalArn: ['arn:aws:iam::111111111111:role/grouped'], sessionName: ['EKSGetTokenAuth'] },
    });
  });

  it('accepts a token presigned with @smithy/signature-v4; refuses one signed over 15 minutes ago, a tampered one, and another action', async () => {
    // The console role's session, presigned with @smithy/signature-v4 as the console makes its own tokens.
    const { Credentials } = (await aws(
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/console`,
      '--role-session-name',
      'smithy',
    )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
        sessionToken: Credentials.SessionToken,
      },
      region: 'eu-west-1',
      service: 'sts',
      sha256: Sha256,
    });
    const host = new URL(sim.awsUrl).host;
    const tokenFor = async (signingDate: Date, action = 'GetCallerIdentity') => {
      const signed = await signer.presign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: host,
          path: '/',
          query: { Action: action, Version: '2011-06-15' },
          headers: { host, 'x-k8s-aws-id': 'prod' },
        },
        { expiresIn: 60, signingDate },
      );
      const query = new URLSearchParams(signed.query as Record<string, string>).toString();
      return `k8s-aws-v1.${Buffer.from(`http://${host}/?${query}`).toString('base64url')}`;
    };
    // Sent through kubectl, which trusts the cluster's CA from the kubeconfig.
    const raw = async (token: string) => {
      const file = path.join(dir, 'raw.kubeconfig');
      fs.writeFileSync(
        file,
        YAML.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'c',
              cluster: {
                server: `${sim.kubeUrl}/clusters/prod`,
                'certificate-authority-data': sim.world.endpoints!.certificateAuthorityData,
              },
            },
          ],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'c',
          users: [{ name: 'u', user: { token } }],
        }),
      );
      return kubectl(file, 'get', 'namespace', 'payments', '-o', 'name');
    };
    const fresh = await raw(await tokenFor(new Date()));
    expect(fresh.ok, fresh.out).toBe(true);
    expect(fresh.out.trim()).toBe('namespace/payments');
    expect((await raw(await tokenFor(new Date(Date.now() - 16 * 60_000)))).out).toContain('You must be logged in to the server');
    const good = await tokenFor(new Date());
    expect((await raw(good.slice(0, -4) + 'AAAA')).out).toContain('You must be logged in to the server');
    expect((await raw(await tokenFor(new Date(), 'GetSessionToken'))).out).toContain('You must be logged in to the server');
  });

  it('lists, describes, creates and removes access entries with the aws CLI; a removed entry locks its principal out', async () => {
    const list = (await aws('eks', 'list-access-entries', '--cluster-name', 'prod')) as { accessEntries: string[] };
    expect(list.accessEntries).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/console`,
      `arn:aws:iam::${ACCOUNT}:role/grouped`,
      `arn:aws:iam::${ACCOUNT}:role/payments-dev`,
    ]);
    const described = (await aws(
      'eks',
      'describe-access-entry',
      '--cluster-name',
      'prod',
      '--principal-arn',
      `arn:aws:iam::${ACCOUNT}:role/grouped`,
    )) as {
      accessEntry: Record<string, unknown>;
    };
    expect(described.accessEntry).toMatchObject({
      clusterName: 'prod',
      principalArn: `arn:aws:iam::${ACCOUNT}:role/grouped`,
      kubernetesGroups: ['readers'],
      username: `arn:aws:sts::${ACCOUNT}:assumed-role/grouped/{{SessionName}}`,
      type: 'STANDARD',
    });
    expect(String(described.accessEntry.accessEntryArn)).toMatch(
      new RegExp(`^arn:aws:eks:eu-west-1:${ACCOUNT}:access-entry/prod/role/${ACCOUNT}/grouped/[0-9a-f-]{36}$`),
    );
    const policies = (await aws(
      'eks',
      'list-associated-access-policies',
      '--cluster-name',
      'prod',
      '--principal-arn',
      `arn:aws:iam::${ACCOUNT}:role/payments-dev`,
    )) as {
      associatedAccessPolicies: { policyArn: string; accessScope: unknown }[];
    };
    expect(policies.associatedAccessPolicies).toEqual([
      expect.objectContaining({ policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['pay*'] } }),
    ]);

    const stranger = `arn:aws:iam::${ACCOUNT}:role/stranger`;
    await aws('eks', 'create-access-entry', '--cluster-name', 'prod', '--principal-arn', stranger);
    const kubeconfig = execKubeconfig('prod', 'stranger');
    expect((await kubectl(kubeconfig, 'get', 'nodes')).out).toContain('cannot list resource "nodes"');
    await aws(
      'eks',
      'associate-access-policy',
      '--cluster-name',
      'prod',
      '--principal-arn',
      stranger,
      '--policy-arn',
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      '--access-scope',
      'type=cluster',
    );
    expect((await kubectl(kubeconfig, 'get', 'nodes', '-o', 'name')).out).toContain('node/');
    await expect(aws('eks', 'create-access-entry', '--cluster-name', 'prod', '--principal-arn', stranger)).rejects.toThrow(
      /ResourceInUseException/,
    );
    await aws('eks', 'delete-access-entry', '--cluster-name', 'prod', '--principal-arn', stranger);
    expect((await kubectl(kubeconfig, 'get', 'nodes')).out).toContain('You must be logged in to the server');
    await expect(aws('eks', 'describe-access-entry', '--cluster-name', 'prod', '--principal-arn', stranger)).rejects.toThrow(
      /ResourceNotFoundException/,
    );
  });

  it('DescribeCluster gives the endpoint and CA that reach the API server', async () => {
    const { cluster } = (await aws('eks', 'describe-cluster', '--name', 'prod')) as {
      cluster: { endpoint: string; certificateAuthority: { data: string } };
    };
    expect(cluster.endpoint).toBe(`${sim.kubeUrl}/clusters/prod`);
    expect(Buffer.from(cluster.certificateAuthority.data, 'base64').toString()).toContain('BEGIN CERTIFICATE');
  });
});
