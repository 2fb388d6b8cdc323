import { CreatePodIdentityAssociationCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsCli, runAwsCli } from './aws-cli-test';
import { startAwsTestServer } from './test-server';

// IAM enforcement (scenario-format.md, "IAM enforcement"; domain.md §1d): every call signed by a role session or an
// IAM user is evaluated, and refused with the service's own AccessDenied as AWS words it. Proved with the SDK's
// clients and with the aws CLI (botocore), two independent clients.

const awsPath = await findAwsCli();
if (!awsPath) console.warn('iam-enforcement.itest.ts: aws CLI cases skipped — the `aws` CLI is not installed');

const A = '111111111111';
const B = '222222222222';
const SCENARIO = `
accounts:
  - id: "${A}"
    managedPolicies:
      - name: s3-only
        document: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
    roles:
      - name: reader
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:root" }, Action: [sts:AssumeRole, sts:TagSession] } ] }
        inlinePolicies:
          read: { Version: "2012-10-17", Statement: [ { Sid: ReadSnapshots, Effect: Allow, Action: [s3:GetObject, s3:ListBucket], Resource: ["arn:aws:s3:::snapshots", "arn:aws:s3:::snapshots/*"] } ] }
      - name: writer
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:root" }, Action: [sts:AssumeRole, sts:TagSession] } ] }
        inlinePolicies:
          write: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::snapshots/*" } ] }
          no-secrets: { Version: "2012-10-17", Statement: [ { Effect: Deny, Action: s3:PutObject, Resource: "arn:aws:s3:::snapshots/secrets/*" } ] }
          eks: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "eks:*", Resource: "*" } ] }
      - name: abac
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:root" }, Action: [sts:AssumeRole, sts:TagSession] } ] }
        inlinePolicies:
          own-prefix: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::snapshots/\${aws:PrincipalTag/team}/*" } ] }
      - name: bounded
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:root" }, Action: sts:AssumeRole } ] }
        attachedPolicies: [ arn:aws:iam::aws:policy/AdministratorAccess ]
        permissionsBoundary: arn:aws:iam::${A}:policy/s3-only
      - name: named-by-bucket
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:root" }, Action: sts:AssumeRole } ] }
      - name: app
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] } ] }
  - id: "${B}"
    roles:
      - name: partner
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::${B}:root" }, Action: sts:AssumeRole } ] }
        inlinePolicies:
          all-s3: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
buckets:
  - name: snapshots
    owner: "${A}"
    policy:
      Version: "2012-10-17"
      Statement:
        - { Sid: PartnerReads, Effect: Allow, Principal: { AWS: "arn:aws:iam::${B}:role/partner" }, Action: s3:GetObject, Resource: "arn:aws:s3:::snapshots/shared/*" }
        - { Sid: NamedRole, Effect: Allow, Principal: { AWS: "arn:aws:iam::${A}:role/named-by-bucket" }, Action: s3:GetObject, Resource: "arn:aws:s3:::snapshots/*" }
        - { Sid: NoDeletes, Effect: Deny, Principal: "*", Action: s3:PutObject, Resource: "arn:aws:s3:::snapshots/locked/*" }
    objects:
      - { key: shared/a.txt, body: shared }
      - { key: private/b.txt, body: private }
clusters:
  - name: prod
    account: "${A}"
    region: us-east-1
`;

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
const rootA: Credentials = { accessKeyId: `AKIASIM${A}X`, secretAccessKey: `sim-secret-${A}` };
const rootB: Credentials = { accessKeyId: `AKIASIM${B}X`, secretAccessKey: `sim-secret-${B}` };
const clients: { destroy(): void }[] = [];
const s3 = (credentials: Credentials) => {
  const client = new S3Client({ endpoint: sim.url, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
};

async function assume(
  roleArn: string,
  extra: { Policy?: string; Tags?: { Key: string; Value: string }[] } = {},
  as = rootA,
): Promise<Credentials> {
  const sts = new STSClient({ endpoint: sim.url, region: 'us-east-1', credentials: as, maxAttempts: 1 });
  clients.push(sts);
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test', ...extra }));
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

const put = (credentials: Credentials, key: string) =>
  s3(credentials).send(new PutObjectCommand({ Bucket: 'snapshots', Key: key, Body: 'x' }));
const get = (credentials: Credentials, key: string) => s3(credentials).send(new GetObjectCommand({ Bucket: 'snapshots', Key: key }));
const deniedWith = (message: string) => ({ name: 'AccessDenied', message, $metadata: { httpStatusCode: 403 } });

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await sim?.close();
});

describe('IAM enforcement through the SDK', () => {
  it('a role session without s3:PutObject gets S3 AccessDenied naming the action, the object and the cause', async () => {
    const reader = await assume(`arn:aws:iam::${A}:role/reader`);
    await expect(get(reader, 'private/b.txt')).resolves.toBeTruthy();
    await expect(put(reader, 'prod/0/latest.json')).rejects.toMatchObject(
      deniedWith(
        `User: arn:aws:sts::${A}:assumed-role/reader/test is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::snapshots/prod/0/latest.json" because no identity-based policy allows the s3:PutObject action`,
      ),
    );
  });

  it('an explicit Deny in the identity policies and in the bucket policy wins over an Allow', async () => {
    const writer = await assume(`arn:aws:iam::${A}:role/writer`);
    await expect(put(writer, 'prod/0/latest.json')).resolves.toBeTruthy();
    await expect(put(writer, 'secrets/key')).rejects.toMatchObject(
      deniedWith(
        `User: arn:aws:sts::${A}:assumed-role/writer/test is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::snapshots/secrets/key" with an explicit deny in an identity-based policy`,
      ),
    );
    await expect(put(writer, 'locked/x')).rejects.toMatchObject(
      deniedWith(
        `User: arn:aws:sts::${A}:assumed-role/writer/test is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::snapshots/locked/x" with an explicit deny in a resource-based policy`,
      ),
    );
    // the bucket policy's Deny binds the account root too
    await expect(put(rootA, 'locked/x')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('a session policy narrows the role; the permissions boundary caps AdministratorAccess', async () => {
    const narrowed = await assume(`arn:aws:iam::${A}:role/writer`, {
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::snapshots/tmp/*' }],
      }),
    });
    await expect(put(narrowed, 'tmp/1')).resolves.toBeTruthy();
    await expect(put(narrowed, 'prod/1')).rejects.toMatchObject(
      deniedWith(
        `User: arn:aws:sts::${A}:assumed-role/writer/test is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::snapshots/prod/1" because no session policy allows the s3:PutObject action`,
      ),
    );

    const bounded = await assume(`arn:aws:iam::${A}:role/bounded`);
    await expect(put(bounded, 'any/1')).resolves.toBeTruthy();
    const iam = new IAMClient({ endpoint: sim.url, region: 'us-east-1', credentials: bounded, maxAttempts: 1 });
    clients.push(iam);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'reader' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${A}:assumed-role/bounded/test is not authorized to perform: iam:GetRole on resource: role reader because no permissions boundary allows the iam:GetRole action`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('session tags are principal tags: ${aws:PrincipalTag/team} confines an ABAC role to its own prefix', async () => {
    const payments = await assume(`arn:aws:iam::${A}:role/abac`, { Tags: [{ Key: 'team', Value: 'payments' }] });
    await expect(put(payments, 'payments/0')).resolves.toBeTruthy();
    await expect(put(payments, 'ledger/0')).rejects.toMatchObject({ name: 'AccessDenied' });
    // without the tag the variable has no value, so the statement matches nothing
    const untagged = await assume(`arn:aws:iam::${A}:role/abac`);
    await expect(put(untagged, 'payments/0')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('bucket policies: same account, a statement naming the role is enough; across accounts both sides must allow', async () => {
    const named = await assume(`arn:aws:iam::${A}:role/named-by-bucket`);
    await expect(get(named, 'private/b.txt')).resolves.toBeTruthy();

    const partner = await assume(`arn:aws:iam::${B}:role/partner`, {}, rootB);
    await expect(get(partner, 'shared/a.txt')).resolves.toBeTruthy();
    // another account is told only "Access Denied" (S3 explains denials within the owner's account only)
    await expect(get(partner, 'private/b.txt')).rejects.toMatchObject(deniedWith('Access Denied'));
    // B's root has every permission in B, but the bucket policy names only the partner role
    await expect(get(rootB, 'shared/a.txt')).rejects.toMatchObject(deniedWith('Access Denied'));
  });

  it('EKS answers AccessDeniedException; creating an association needs iam:PassRole on the role', async () => {
    const reader = await assume(`arn:aws:iam::${A}:role/reader`);
    const eksAsReader = new EKSClient({ endpoint: sim.url, region: 'us-east-1', credentials: reader, maxAttempts: 1 });
    clients.push(eksAsReader);
    await expect(eksAsReader.send(new DescribeClusterCommand({ name: 'prod' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${A}:assumed-role/reader/test is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:us-east-1:${A}:cluster/prod because no identity-based policy allows the eks:DescribeCluster action`,
      $metadata: { httpStatusCode: 403 },
    });
    const writer = await assume(`arn:aws:iam::${A}:role/writer`);
    const eksAsWriter = new EKSClient({ endpoint: sim.url, region: 'us-east-1', credentials: writer, maxAttempts: 1 });
    clients.push(eksAsWriter);
    await expect(eksAsWriter.send(new DescribeClusterCommand({ name: 'prod' }))).resolves.toBeTruthy();
    await expect(
      eksAsWriter.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'prod',
          namespace: 'app',
          serviceAccount: 'app',
          roleArn: `arn:aws:iam::${A}:role/app`,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${A}:role/app`),
    });
    expect([...sim.world.eksClusters.get('prod')!.associations.values()]).toEqual([]);
  });

  it('a role session may not assume another role its policies do not allow', async () => {
    const reader = await assume(`arn:aws:iam::${A}:role/reader`);
    await expect(assume(`arn:aws:iam::${A}:role/writer`, {}, reader)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('SimulatePrincipalPolicy answers from the same evaluation, with the deciding statements', async () => {
    const iam = new IAMClient({ endpoint: sim.url, region: 'us-east-1', credentials: rootA, maxAttempts: 1 });
    clients.push(iam);
    const { EvaluationResults } = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${A}:role/writer`,
        ActionNames: ['s3:PutObject', 's3:GetObject'],
        ResourceArns: ['arn:aws:s3:::snapshots/prod/0/latest.json', 'arn:aws:s3:::snapshots/secrets/k'],
      }),
    );
    expect(EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::snapshots/prod/0/latest.json', 'allowed'],
      ['s3:PutObject', 'arn:aws:s3:::snapshots/secrets/k', 'explicitDeny'],
      ['s3:GetObject', 'arn:aws:s3:::snapshots/prod/0/latest.json', 'implicitDeny'],
      ['s3:GetObject', 'arn:aws:s3:::snapshots/secrets/k', 'implicitDeny'],
    ]);
    expect(EvaluationResults?.[1].MatchedStatements).toEqual([{ SourcePolicyId: 'no-secrets', SourcePolicyType: 'role' }]);

    const abac = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${A}:role/abac`,
        ActionNames: ['s3:PutObject'],
        ResourceArns: ['arn:aws:s3:::snapshots/payments/0'],
        ContextEntries: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['payments'], ContextKeyType: 'string' }],
      }),
    );
    expect(abac.EvaluationResults?.[0].EvalDecision).toBe('allowed');
    const bounded = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${A}:role/bounded`, ActionNames: ['iam:GetRole'] }),
    );
    expect(bounded.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: 'implicitDeny',
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false },
    });
    await expect(
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${A}:role/nope`, ActionNames: ['s3:GetObject'] })),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});

describe.skipIf(!awsPath)('IAM enforcement through the aws CLI', () => {
  const cli = (credentials: Credentials, ...args: string[]) => runAwsCli(awsPath!, sim.url, credentials, args);
  const body = path.join(mkdtempSync(path.join(os.tmpdir(), 'wic-iam-')), 'body.txt');
  writeFileSync(body, 'snapshot');

  it('aws s3api put-object with a session whose role lacks s3:PutObject fails with AccessDenied', async () => {
    const reader = await assume(`arn:aws:iam::${A}:role/reader`);
    const denied = await cli(reader, 's3api', 'put-object', '--bucket', 'snapshots', '--key', 'prod/9/latest.json', '--body', body);
    expect(denied.ok).toBe(false);
    expect(denied.stderr).toContain(
      `An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::${A}:assumed-role/reader/test is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::snapshots/prod/9/latest.json" because no identity-based policy allows the s3:PutObject action`,
    );
    expect(sim.world.buckets.get('snapshots')!.objects.has('prod/9/latest.json')).toBe(false);
    const writer = await assume(`arn:aws:iam::${A}:role/writer`);
    expect((await cli(writer, 's3api', 'put-object', '--bucket', 'snapshots', '--key', 'prod/9/latest.json', '--body', body)).ok).toBe(
      true,
    );
  }, 60_000);

  it('aws iam simulate-principal-policy agrees with what the calls do', async () => {
    const questions: [string, string, string, boolean][] = [
      ['reader', 's3:PutObject', 'arn:aws:s3:::snapshots/prod/0/latest.json', false],
      ['writer', 's3:PutObject', 'arn:aws:s3:::snapshots/prod/0/latest.json', true],
      ['writer', 's3:PutObject', 'arn:aws:s3:::snapshots/secrets/key', false],
      ['bounded', 's3:PutObject', 'arn:aws:s3:::snapshots/any/2', true],
    ];
    for (const [role, action, resource, expected] of questions) {
      const result = await cli(
        rootA,
        'iam',
        'simulate-principal-policy',
        '--policy-source-arn',
        `arn:aws:iam::${A}:role/${role}`,
        '--action-names',
        action,
        '--resource-arns',
        resource,
      );
      expect(result.ok, result.stderr).toBe(true);
      const decision = (JSON.parse(result.stdout) as { EvaluationResults: { EvalDecision: string }[] }).EvaluationResults[0].EvalDecision;
      expect(decision === 'allowed', `${role} ${action} ${resource}`).toBe(expected);
      const session = await assume(`arn:aws:iam::${A}:role/${role}`);
      const key = resource.replace('arn:aws:s3:::snapshots/', '');
      const call = await cli(session, 's3api', 'put-object', '--bucket', 'snapshots', '--key', key, '--body', body);
      expect(call.ok, `${role} put ${key}: ${call.stderr}`).toBe(expected);
    }
  }, 120_000);
});
