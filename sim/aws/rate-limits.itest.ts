import { DescribePodIdentityAssociationCommand, EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsCli, runAwsCli } from './aws-cli-test';
import { startAwsTestServer } from './test-server';

// Per-account API rate limits (scenario `rateLimits`): past the rate, each service answers with its own
// throttling error, which the SDK and the aws CLI both recognise as throttling (and retry).

const awsPath = await findAwsCli();

const trust = `{ Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] }] }`;

const SCENARIO = `
accounts:
  - id: "111111111111"
    roles: [{ name: app, trustPolicy: ${trust} }]
  - id: "222222222222"
    roles: [{ name: app, trustPolicy: ${trust} }]
clusters:
  - name: one
    account: "111111111111"
    region: us-east-1
    podIdentityAssociations:
      - { namespace: a, serviceAccount: a, roleArn: "arn:aws:iam::111111111111:role/app", associationId: a-111111111111aaaaa }
  - name: two
    account: "222222222222"
    region: us-east-1
    podIdentityAssociations:
      - { namespace: a, serviceAccount: a, roleArn: "arn:aws:iam::222222222222:role/app", associationId: a-222222222222aaaaa }
rateLimits:
  - { service: eks, operation: DescribePodIdentityAssociation, perSecond: 0.01 }
  - { account: "111111111111", service: iam, operation: "*", perSecond: 0.01, burst: 2 }
`;

const credentials = (account: string) => ({ accessKeyId: `AKIASIM${account}X`, secretAccessKey: `sim-secret-${account}` });

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
});
afterAll(async () => sim?.close());

const eks = (account: string) =>
  new EKSClient({ endpoint: sim.url, region: 'us-east-1', credentials: credentials(account), maxAttempts: 1 });
const describeAssociation = (account: string, cluster: string) =>
  eks(account).send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId: `a-${account}aaaaa` }));

const calls = async () =>
  (
    (await (await fetch(`${sim.url}/_sim/calls`)).json()) as {
      aws: { account: string; operation: string; calls: number; throttled: number }[];
    }
  ).aws;

describe('per-account rate limits', () => {
  it('EKS: one bucket per account and operation, past it 429 ThrottlingException with the cluster name', async () => {
    await fetch(`${sim.url}/_sim/calls`, { method: 'DELETE' });
    await describeAssociation('111111111111', 'one');
    const error = await describeAssociation('111111111111', 'one').catch((e) => e);
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.clusterName).toBe('one');
    expect(error.message).toBe('Rate exceeded');
    // Another account has its own bucket; another operation is not limited.
    await describeAssociation('222222222222', 'two');
    await eks('111111111111').send(new ListPodIdentityAssociationsCommand({ clusterName: 'one' }));
    expect(await calls()).toEqual(
      expect.arrayContaining([
        { account: '111111111111', service: 'eks', operation: 'DescribePodIdentityAssociation', calls: 2, throttled: 1 },
        { account: '222222222222', service: 'eks', operation: 'DescribePodIdentityAssociation', calls: 1, throttled: 0 },
        { account: '111111111111', service: 'eks', operation: 'ListPodIdentityAssociations', calls: 1, throttled: 0 },
      ]),
    );
  });

  it('IAM: "*" shares one bucket among the operations, with a burst; past it 400 Throttling', async () => {
    const iam = (account: string) =>
      new IAMClient({ endpoint: sim.url, region: 'us-east-1', credentials: credentials(account), maxAttempts: 1 });
    const getRole = (account: string) => iam(account).send(new GetRoleCommand({ RoleName: 'app' }));
    await getRole('111111111111');
    await getRole('111111111111');
    const error = await getRole('111111111111').catch((e) => e);
    expect(error.name).toBe('Throttling');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Type).toBe('Sender');
    await getRole('222222222222');
  });

  it.skipIf(!awsPath)('the aws CLI takes them for throttling and retries', async () => {
    await fetch(`${sim.url}/_sim/calls`, { method: 'DELETE' });
    const adaptive = { AWS_RETRY_MODE: 'adaptive', AWS_MAX_ATTEMPTS: '2' };
    const eksResult = await runAwsCli(
      awsPath!,
      sim.url,
      credentials('111111111111'),
      ['--debug', 'eks', 'describe-pod-identity-association', '--cluster-name', 'one', '--association-id', 'a-111111111111aaaaa'],
      adaptive,
    );
    expect(eksResult.ok).toBe(false);
    expect(eksResult.stderr).toContain('Throttling response received');
    expect(eksResult.stderr).toContain(
      'An error occurred (ThrottlingException) when calling the DescribePodIdentityAssociation operation (reached max retries: 1): Rate exceeded',
    );
    const iamResult = await runAwsCli(
      awsPath!,
      sim.url,
      credentials('111111111111'),
      ['--debug', 'iam', 'get-role', '--role-name', 'app'],
      adaptive,
    );
    expect(iamResult.ok).toBe(false);
    expect(iamResult.stderr).toContain('Throttling response received');
    expect(iamResult.stderr).toContain(
      'An error occurred (Throttling) when calling the GetRole operation (reached max retries: 1): Rate exceeded',
    );
    // Both attempts reached the simulator: the CLI retried.
    expect(await calls()).toEqual(
      expect.arrayContaining([
        { account: '111111111111', service: 'eks', operation: 'DescribePodIdentityAssociation', calls: 2, throttled: 2 },
        { account: '111111111111', service: 'iam', operation: 'GetRole', calls: 2, throttled: 2 },
      ]),
    );
  });
});
