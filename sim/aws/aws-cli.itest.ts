import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsCli } from './aws-cli-test';
import { startAwsTestServer } from './test-server';

// The AWS CLI (v1, botocore) against the sim: a second, independent SigV4 and protocol implementation.

const run = promisify(execFile);

const awsPath = await findAwsCli();
if (!awsPath) console.warn('aws-cli.itest.ts: skipped — the `aws` CLI is not installed (not on PATH)');

const SCENARIO = `
accounts:
  - id: "111111111111"
    roles:
      - name: app
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Service: pods.eks.amazonaws.com }
              Action: [sts:AssumeRole, sts:TagSession]
buckets:
  - name: snapshots
    owner: "111111111111"
    objects: [{ key: a/latest.json, json: { ok: true } }]
clusters:
  - name: prod
    account: "111111111111"
    region: eu-west-1
    podIdentityAssociations:
      - { namespace: payments, serviceAccount: api, roleArn: "arn:aws:iam::111111111111:role/app", associationId: a-abcdefghijklmnopq }
`;

describe.skipIf(!awsPath)('aws CLI against the simulator', () => {
  let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    sim = await startAwsTestServer(SCENARIO);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'AKIASIM111111111111X',
      AWS_SECRET_ACCESS_KEY: 'sim-secret-111111111111',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
  });
  afterAll(async () => sim?.close());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(awsPath!, ['--endpoint-url', sim.url, '--output', 'json', ...args], {
      env: env as NodeJS.ProcessEnv,
      timeout: 60_000,
    });
    return stdout;
  };

  it('eks list-pod-identity-associations and describe-pod-identity-association', async () => {
    const listed = JSON.parse(await aws('eks', 'list-pod-identity-associations', '--cluster-name', 'prod'));
    expect(listed.associations).toEqual([
      {
        clusterName: 'prod',
        namespace: 'payments',
        serviceAccount: 'api',
        associationArn: 'arn:aws:eks:eu-west-1:111111111111:podidentityassociation/prod/a-abcdefghijklmnopq',
        associationId: 'a-abcdefghijklmnopq',
      },
    ]);
    const described = JSON.parse(
      await aws('eks', 'describe-pod-identity-association', '--cluster-name', 'prod', '--association-id', 'a-abcdefghijklmnopq'),
    );
    expect(described.association.roleArn).toBe('arn:aws:iam::111111111111:role/app');
  }, 60_000);

  it('iam get-role', async () => {
    const role = JSON.parse(await aws('iam', 'get-role', '--role-name', 'app'));
    expect(role.Role.Arn).toBe('arn:aws:iam::111111111111:role/app');
    // botocore decodes the URL-encoded document into an object
    expect(role.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('pods.eks.amazonaws.com');
  }, 60_000);

  it('s3 ls', async () => {
    expect(await aws('s3', 'ls')).toMatch(/snapshots/);
    expect(await aws('s3', 'ls', 's3://snapshots/a/')).toMatch(/latest\.json/);
  }, 60_000);

  it('reports an unknown association as ResourceNotFoundException', async () => {
    const failed = await aws(
      'eks',
      'describe-pod-identity-association',
      '--cluster-name',
      'prod',
      '--association-id',
      'a-00000000000000000',
    ).catch((err: { stderr: string }) => err.stderr);
    expect(failed).toMatch(/ResourceNotFoundException/);
  }, 60_000);
});
