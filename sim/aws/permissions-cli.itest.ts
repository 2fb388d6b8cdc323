import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAwsCli, runAwsCli } from './aws-cli-test';
import { startAwsTestServer } from './test-server';

// Policies, users, bucket policies, association session policies and Auto Mode as the aws CLI sees them
// (scenario-format.md, "Permissions, Auto Mode, RBAC and tokens").

const awsPath = await findAwsCli();
if (!awsPath) console.warn('permissions-cli.itest.ts: skipped — the `aws` CLI is not installed (not on PATH)');

const SCENARIO = `
accounts:
  - id: "111111111111"
    managedPolicies:
      - name: snapshots-rw
        path: /restate/
        description: Restate snapshot writer
        document:
          Version: "2012-10-17"
          Statement:
            - { Sid: Write, Effect: Allow, Action: [s3:PutObject, s3:GetObject], Resource: "arn:aws:s3:::snapshots/prod/*" }
      - name: boundary
        document: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "*" } ] }
    roles:
      - name: writer
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] }
        inlinePolicies:
          list-bucket: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::snapshots", Condition: { StringLike: { "s3:prefix": "prod/*" } } } ] }
          zz-other: { Version: "2012-10-17", Statement: { Effect: Deny, Action: "iam:*", Resource: "*" } }
        attachedPolicies:
          - arn:aws:iam::111111111111:policy/restate/snapshots-rw
          - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
        permissionsBoundary: arn:aws:iam::111111111111:policy/boundary
    users:
      - name: k3s-etcd
        accessKeyId: AKIAK3SETCDUSER00001
        secretAccessKey: k3s-etcd-secret
        inlinePolicies:
          etcd: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::snapshots/etcd/*" } ] }
        attachedPolicies: [ arn:aws:iam::aws:policy/AdministratorAccess ]
  - id: "222222222222"
buckets:
  - name: snapshots
    owner: "111111111111"
    policy:
      Version: "2012-10-17"
      Statement:
        - { Sid: DenyOtherAccounts, Effect: Deny, Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::snapshots", "arn:aws:s3:::snapshots/*"], Condition: { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } } }
  - name: plain
    owner: "111111111111"
clusters:
  - name: auto
    account: "111111111111"
    region: us-east-1
    autoMode: true
    podIdentityAssociations:
      - namespace: restate
        serviceAccount: restate
        roleArn: arn:aws:iam::111111111111:role/writer
        associationId: a-abcdefghijklmnopq
        disableSessionTags: true
        policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::snapshots/prod/*" } ] }
    accessEntries:
      - principalArn: arn:aws:iam::111111111111:role/writer
        kubernetesGroups: [ readers ]
  - name: classic
    account: "111111111111"
    region: us-east-1
`;

describe.skipIf(!awsPath)('permissions through the aws CLI', () => {
  let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
  const root = { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' };
  const aws = (...args: string[]) => runAwsCli(awsPath!, sim.url, root, args);
  const json = async (...args: string[]) => {
    const result = await aws(...args);
    if (!result.ok) throw new Error(`aws ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    sim = await startAwsTestServer(SCENARIO);
  });
  afterAll(async () => sim?.close());

  it('lists and reads inline role policies, decoded by botocore', async () => {
    expect((await json('iam', 'list-role-policies', '--role-name', 'writer')).PolicyNames).toEqual(['list-bucket', 'zz-other']);
    const inline = await json('iam', 'get-role-policy', '--role-name', 'writer', '--policy-name', 'list-bucket');
    expect(inline.RoleName).toBe('writer');
    expect(inline.PolicyDocument.Statement[0].Condition).toEqual({ StringLike: { 's3:prefix': 'prod/*' } });
    const missing = await aws('iam', 'get-role-policy', '--role-name', 'writer', '--policy-name', 'nope');
    expect(missing.ok).toBe(false);
    expect(missing.stderr).toMatch(/NoSuchEntity.*The role policy with name nope cannot be found/);
  }, 60_000);

  it('lists attached policies and reads the default version of customer and AWS managed policies', async () => {
    const attached = await json('iam', 'list-attached-role-policies', '--role-name', 'writer');
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'snapshots-rw', PolicyArn: 'arn:aws:iam::111111111111:policy/restate/snapshots-rw' },
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
    ]);
    const paged = await json('iam', 'list-attached-role-policies', '--role-name', 'writer', '--max-items', '1');
    expect(paged.AttachedPolicies).toHaveLength(1);
    expect(paged.NextToken).toBeTruthy();

    const policy = await json('iam', 'get-policy', '--policy-arn', 'arn:aws:iam::111111111111:policy/restate/snapshots-rw');
    expect(policy.Policy).toMatchObject({ PolicyName: 'snapshots-rw', Path: '/restate/', DefaultVersionId: 'v1', AttachmentCount: 1 });
    const version = await json('iam', 'get-policy-version', '--policy-arn', policy.Policy.Arn, '--version-id', 'v1');
    expect(version.PolicyVersion.IsDefaultVersion).toBe(true);
    expect(version.PolicyVersion.Document.Statement[0].Resource).toBe('arn:aws:s3:::snapshots/prod/*');

    const awsManaged = await json('iam', 'get-policy', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(awsManaged.Policy.DefaultVersionId).toBe('v3');
    const awsVersion = await json('iam', 'get-policy-version', '--policy-arn', awsManaged.Policy.Arn, '--version-id', 'v3');
    expect(awsVersion.PolicyVersion.Document.Statement[0].Action).toContain('s3:Get*');

    const noVersion = await aws('iam', 'get-policy-version', '--policy-arn', awsManaged.Policy.Arn, '--version-id', 'v1');
    expect(noVersion.stderr).toMatch(/NoSuchEntity/);
    const unknown = await aws('iam', 'get-policy', '--policy-arn', 'arn:aws:iam::111111111111:policy/nope');
    expect(unknown.stderr).toMatch(/NoSuchEntity.*Policy arn:aws:iam::111111111111:policy\/nope does not exist or is not attachable/);
  }, 60_000);

  it('shows the permissions boundary on get-role', async () => {
    const role = await json('iam', 'get-role', '--role-name', 'writer');
    expect(role.Role.PermissionsBoundary).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
    });
  }, 60_000);

  it('changes inline and attached policies, and a new default version is what get-policy-version serves', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
    expect((await aws('iam', 'put-role-policy', '--role-name', 'writer', '--policy-name', 'added', '--policy-document', doc)).ok).toBe(
      true,
    );
    expect((await json('iam', 'list-role-policies', '--role-name', 'writer')).PolicyNames).toContain('added');
    const withPrincipal = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
    });
    expect(
      (await aws('iam', 'put-role-policy', '--role-name', 'writer', '--policy-name', 'bad', '--policy-document', withPrincipal)).stderr,
    ).toMatch(/MalformedPolicyDocument/);
    await json('iam', 'delete-role-policy', '--role-name', 'writer', '--policy-name', 'added').catch(() => ({}));
    expect((await json('iam', 'list-role-policies', '--role-name', 'writer')).PolicyNames).not.toContain('added');

    const arn = 'arn:aws:iam::111111111111:policy/restate/snapshots-rw';
    const created = await json('iam', 'create-policy-version', '--policy-arn', arn, '--policy-document', doc, '--set-as-default');
    expect(created.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect((await json('iam', 'get-policy', '--policy-arn', arn)).Policy.DefaultVersionId).toBe('v2');

    expect(
      (await aws('iam', 'detach-role-policy', '--role-name', 'writer', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess'))
        .stderr,
    ).toMatch(/NoSuchEntity/);
    expect(
      (await aws('iam', 'attach-role-policy', '--role-name', 'writer', '--policy-arn', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess')).ok,
    ).toBe(true);
    expect((await json('iam', 'list-attached-role-policies', '--role-name', 'writer')).AttachedPolicies).toHaveLength(3);
    expect(
      (await aws('iam', 'detach-role-policy', '--role-name', 'writer', '--policy-arn', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess')).ok,
    ).toBe(true);
  }, 60_000);

  it('serves IAM users: their static key signs requests as the user', async () => {
    const user = await json('iam', 'get-user', '--user-name', 'k3s-etcd');
    expect(user.User.Arn).toBe('arn:aws:iam::111111111111:user/k3s-etcd');
    expect((await json('iam', 'list-user-policies', '--user-name', 'k3s-etcd')).PolicyNames).toEqual(['etcd']);
    expect((await json('iam', 'list-attached-user-policies', '--user-name', 'k3s-etcd')).AttachedPolicies[0].PolicyName).toBe(
      'AdministratorAccess',
    );
    const asUser = await runAwsCli(awsPath!, sim.url, { accessKeyId: 'AKIAK3SETCDUSER00001', secretAccessKey: 'k3s-etcd-secret' }, [
      'sts',
      'get-caller-identity',
    ]);
    expect(JSON.parse(asUser.stdout).Arn).toBe('arn:aws:iam::111111111111:user/k3s-etcd');
  }, 60_000);

  it('get-bucket-policy returns the policy, NoSuchBucketPolicy when there is none, AccessDenied for another account', async () => {
    const policy = await json('s3api', 'get-bucket-policy', '--bucket', 'snapshots');
    expect(JSON.parse(policy.Policy).Statement[0].Sid).toBe('DenyOtherAccounts');
    const none = await aws('s3api', 'get-bucket-policy', '--bucket', 'plain');
    expect(none.stderr).toMatch(/NoSuchBucketPolicy.*The bucket policy does not exist/);
    const other = await runAwsCli(awsPath!, sim.url, { accessKeyId: 'AKIASIM222222222222X', secretAccessKey: 'sim-secret-222222222222' }, [
      's3api',
      'get-bucket-policy',
      '--bucket',
      'plain',
    ]);
    // another account needs a bucket policy grant first (cross-account), then S3 answers 405 (GetBucketPolicy, API reference)
    expect(other.stderr).toMatch(/AccessDenied/);

    const put = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::plain/*' }],
    });
    expect((await aws('s3api', 'put-bucket-policy', '--bucket', 'plain', '--policy', put)).ok).toBe(true);
    expect(JSON.parse((await json('s3api', 'get-bucket-policy', '--bucket', 'plain')).Policy).Statement[0].Action).toBe('s3:DeleteObject');
    const elsewhere = put.replace('plain/*', 'other/*');
    expect((await aws('s3api', 'put-bucket-policy', '--bucket', 'plain', '--policy', elsewhere)).stderr).toMatch(/MalformedPolicy/);
    expect((await aws('s3api', 'delete-bucket-policy', '--bucket', 'plain')).ok).toBe(true);
    expect((await aws('s3api', 'get-bucket-policy', '--bucket', 'plain')).stderr).toMatch(/NoSuchBucketPolicy/);
  }, 60_000);

  it('describes an association with its session policy, and refuses a policy while session tags are on', async () => {
    const described = await json(
      'eks',
      'describe-pod-identity-association',
      '--cluster-name',
      'auto',
      '--association-id',
      'a-abcdefghijklmnopq',
    );
    expect(described.association.disableSessionTags).toBe(true);
    expect(JSON.parse(described.association.policy).Statement[0].Resource).toBe('arn:aws:s3:::snapshots/prod/*');

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const refused = await aws(
      'eks',
      'create-pod-identity-association',
      '--cluster-name',
      'classic',
      '--namespace',
      'a',
      '--service-account',
      'b',
      '--role-arn',
      'arn:aws:iam::111111111111:role/writer',
      '--policy',
      policy,
    );
    expect(refused.stderr).toMatch(/InvalidParameterException.*disableSessionTags must be set to true/);
    const created = await json(
      'eks',
      'create-pod-identity-association',
      '--cluster-name',
      'classic',
      '--namespace',
      'a',
      '--service-account',
      'b',
      '--role-arn',
      'arn:aws:iam::111111111111:role/writer',
      '--policy',
      policy,
      '--disable-session-tags',
    );
    expect(created.association.policy).toBe(policy);
    const id = created.association.associationId as string;
    // Turning session tags back on while the policy stays is refused too.
    const tagsOn = await aws(
      'eks',
      'update-pod-identity-association',
      '--cluster-name',
      'classic',
      '--association-id',
      id,
      '--no-disable-session-tags',
    );
    expect(tagsOn.stderr).toMatch(/InvalidParameterException/);
    const cleared = await json(
      'eks',
      'update-pod-identity-association',
      '--cluster-name',
      'classic',
      '--association-id',
      id,
      '--policy',
      '',
    );
    expect(cleared.association.policy).toBeUndefined();
    const notJson = await aws(
      'eks',
      'update-pod-identity-association',
      '--cluster-name',
      'classic',
      '--association-id',
      id,
      '--policy',
      '{nope',
    );
    expect(notJson.stderr).toMatch(/InvalidParameterException/);
  }, 60_000);

  it('describe-cluster shows computeConfig for an Auto Mode cluster only', async () => {
    const auto = await json('eks', 'describe-cluster', '--name', 'auto');
    expect(auto.cluster.computeConfig).toMatchObject({ enabled: true, nodePools: ['general-purpose', 'system'] });
    const classic = await json('eks', 'describe-cluster', '--name', 'classic');
    expect(classic.cluster.computeConfig).toBeUndefined();
  }, 60_000);
});
