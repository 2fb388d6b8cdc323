import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  InvalidParameterException,
  ListAddonsCommand,
  ListPodIdentityAssociationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdatePodIdentityAssociationCommand,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  NoSuchEntityException,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFor, startAwsSim } from '../test-support/aws-sim';

const PROD = '111122223333';
const DATA = '444455556666';
const PI_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
const ISSUER = 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

const scenario = {
  accounts: [
    {
      id: PROD,
      roles: [
        { name: 'payments-api', trustPolicy: PI_TRUST, tags: { team: 'payments' } },
        { name: 'irsa-only', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/${ISSUER.slice(8)}` }, Action: 'sts:AssumeRoleWithWebIdentity' }] } },
        ...Array.from({ length: 130 }, (_, i) => ({ name: `filler-${String(i).padStart(3, '0')}`, trustPolicy: PI_TRUST })),
      ],
      oidcProviders: [{ url: ISSUER, clientIds: ['sts.amazonaws.com'] }],
    },
    {
      id: DATA,
      roles: [{ name: 'console-reader', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: 'sts:AssumeRole' }] } }],
    },
  ],
  buckets: [
    { name: 'restate-snapshots', objects: [{ key: 'prod/0/latest.json', json: { version: 'V2', partition_id: 0, created_at: '-2h' } }, { key: 'prod/1/latest.json', json: { version: 'V2', partition_id: 1 } }, { key: 'prod/1/lsn_00000000000000000042-snap_x/metadata.json', body: '{}' }] },
    { name: 'k3s-etcd', deny: [PROD] },
  ],
  clusters: [
    {
      name: 'prod-use1',
      kind: 'eks',
      account: PROD,
      region: 'us-east-1',
      version: '1.31',
      platformVersion: 'eks.12',
      oidcIssuer: ISSUER,
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      podIdentityAssociations: [{ namespace: 'payments', serviceAccount: 'api', roleArn: `arn:aws:iam::${PROD}:role/payments-api`, createdAt: '-30d' }],
      generate: { namespaces: 5, serviceAccountsPerNamespace: 50, podsPerServiceAccount: 0, associationsPerNamespace: 50 },
    },
  ],
};

let sim: Awaited<ReturnType<typeof startAwsSim>>;
const clientConfig = () => ({ endpoint: sim.url, region: 'us-east-1', credentials: credentialsFor(PROD), maxAttempts: 1 });

beforeAll(async () => {
  sim = await startAwsSim(scenario);
});
afterAll(async () => sim?.stop());

describe('EKS', () => {
  it('describes the cluster and its add-ons', async () => {
    const eks = new EKSClient(clientConfig());
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod-use1' }));
    expect(cluster?.arn).toBe(`arn:aws:eks:us-east-1:${PROD}:cluster/prod-use1`);
    expect(cluster?.identity?.oidc?.issuer).toBe(ISSUER);
    expect(cluster?.platformVersion).toBe('eks.12');
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    const { addons } = await eks.send(new ListAddonsCommand({ clusterName: 'prod-use1' }));
    expect(addons).toEqual(['eks-pod-identity-agent']);
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: 'prod-use1', addonName: 'eks-pod-identity-agent' }));
    expect(addon?.addonVersion).toBe('v1.3.4-eksbuild.1');
  });

  it('hides a cluster from another account, as AWS does', async () => {
    const eks = new EKSClient({ ...clientConfig(), credentials: credentialsFor(DATA) });
    await expect(eks.send(new DescribeClusterCommand({ name: 'prod-use1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('pages through 251 associations, 100 at a time, with summaries that carry no role', async () => {
    const eks = new EKSClient(clientConfig());
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of paginateListPodIdentityAssociations({ client: eks }, { clusterName: 'prod-use1', maxResults: 100 })) {
      pages.push(page.associations?.length ?? 0);
      for (const a of page.associations ?? []) {
        ids.add(a.associationId!);
        expect(a).not.toHaveProperty('roleArn');
      }
    }
    expect(pages).toEqual([100, 100, 51]);
    expect(ids.size).toBe(251);
  });

  it('filters by namespace and service account, and rejects maxResults over 100', async () => {
    const eks = new EKSClient(clientConfig());
    const { associations } = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod-use1', namespace: 'payments', serviceAccount: 'api' }));
    expect(associations).toHaveLength(1);
    const { association } = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: associations![0].associationId }));
    expect(association?.roleArn).toBe(`arn:aws:iam::${PROD}:role/payments-api`);
    await expect(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod-use1', maxResults: 101 }))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('creates, refuses a duplicate with 409, updates and deletes an association', async () => {
    const eks = new EKSClient(clientConfig());
    const created = await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-use1', namespace: 'payments', serviceAccount: 'ledger', roleArn: `arn:aws:iam::${PROD}:role/payments-api`, clientRequestToken: 'tok-1' }));
    const id = created.association!.associationId!;
    expect(id).toMatch(/^a-[a-z0-9]{17}$/);
    const again = await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-use1', namespace: 'payments', serviceAccount: 'ledger', roleArn: `arn:aws:iam::${PROD}:role/payments-api`, clientRequestToken: 'tok-1' }));
    expect(again.association?.associationId).toBe(id);
    const duplicate = eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-use1', namespace: 'payments', serviceAccount: 'ledger', roleArn: `arn:aws:iam::${PROD}:role/payments-api` }));
    await expect(duplicate).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(duplicate).rejects.toThrow(`Association already exists: ${id}`);
    const updated = await eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: id, roleArn: `arn:aws:iam::${PROD}:role/filler-001` }));
    expect(updated.association?.roleArn).toBe(`arn:aws:iam::${PROD}:role/filler-001`);
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: id }));
    await expect(eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a role whose trust policy does not allow Pod Identity', async () => {
    const eks = new EKSClient(clientConfig());
    const attempt = eks.send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-use1', namespace: 'x', serviceAccount: 'y', roleArn: `arn:aws:iam::${PROD}:role/irsa-only` }));
    await expect(attempt).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(attempt).rejects.toThrow('Trust policy of the role provided is invalid');
  });

  it('answers a throttling fault with ThrottlingException after the SDK retries', async () => {
    const eks = new EKSClient({ ...clientConfig(), maxAttempts: 2 });
    const response = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ service: 'eks', operation: 'DescribeCluster', throttle: { perSecond: 0.001 } }) });
    const { id } = await response.json();
    try {
      await eks.send(new DescribeClusterCommand({ name: 'prod-use1' })).catch(() => undefined);
      await expect(eks.send(new DescribeClusterCommand({ name: 'prod-use1' }))).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 2 } });
    } finally {
      await fetch(`${sim.url}/_sim/faults/${id}`, { method: 'DELETE' });
    }
  });
});

describe('IAM', () => {
  it('returns the trust policy URL-encoded, as IAM does', async () => {
    const iam = new IAMClient(clientConfig());
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'payments-api' }));
    expect(Role?.Arn).toBe(`arn:aws:iam::${PROD}:role/payments-api`);
    expect(Role?.AssumeRolePolicyDocument).toContain('%22');
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(PI_TRUST);
    expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('maps a missing role to NoSuchEntityException', async () => {
    const iam = new IAMClient(clientConfig());
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('pages ListRoles with Marker', async () => {
    const iam = new IAMClient(clientConfig());
    let pages = 0;
    let roles = 0;
    for await (const page of paginateListRoles({ client: iam, pageSize: 100 }, {})) {
      pages += 1;
      roles += page.Roles?.length ?? 0;
    }
    // 132 declared + 250 generated for the associations
    expect(roles).toBe(382);
    expect(pages).toBe(4);
  });

  it('changes a trust policy and rejects a malformed one', async () => {
    const iam = new IAMClient(clientConfig());
    const updated = { Version: '2012-10-17', Statement: [{ Sid: 'a', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'irsa-only', PolicyDocument: JSON.stringify(updated) }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'irsa-only' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(updated);
    await expect(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'irsa-only', PolicyDocument: '{not json' }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  it('lists OIDC providers and describes one', async () => {
    const iam = new IAMClient(clientConfig());
    const { OpenIDConnectProviderList } = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    expect(OpenIDConnectProviderList?.map((p) => p.Arn)).toEqual([`arn:aws:iam::${PROD}:oidc-provider/${ISSUER.slice(8)}`]);
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: OpenIDConnectProviderList![0].Arn }));
    expect(provider.Url).toBe(ISSUER.slice(8));
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com']);
  });
});

describe('STS', () => {
  it('names the caller, and assumes a role in another account whose trust allows it', async () => {
    const sts = new STSClient(clientConfig());
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(PROD);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DATA}:role/console-reader`, RoleSessionName: 'console' }));
    const c = assumed.Credentials!;
    const asData = new STSClient({ ...clientConfig(), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    const them = await asData.send(new GetCallerIdentityCommand({}));
    expect(them.Account).toBe(DATA);
    expect(them.Arn).toBe(`arn:aws:sts::${DATA}:assumed-role/console-reader/console`);
  });

  it('refuses AssumeRole when the trust policy does not name the caller', async () => {
    const sts = new STSClient({ ...clientConfig(), credentials: credentialsFor(DATA) });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/payments-api`, RoleSessionName: 'x1' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('rejects a request signed with the wrong secret', async () => {
    const sts = new STSClient({ ...clientConfig(), credentials: { accessKeyId: credentialsFor(PROD).accessKeyId, secretAccessKey: 'wrong' } });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });
});

describe('S3', () => {
  const s3 = () => new S3Client({ ...clientConfig(), forcePathStyle: true });

  it('lists partitions with a delimiter, reads latest.json and resolves relative times', async () => {
    const prefixes: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3(), pageSize: 1 }, { Bucket: 'restate-snapshots', Prefix: 'prod/', Delimiter: '/' })) {
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    expect(prefixes).toEqual(['prod/0/', 'prod/1/']);
    const object = await s3().send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/0/latest.json' }));
    const latest = JSON.parse(await object.Body!.transformToString());
    expect(Date.now() - Date.parse(latest.created_at)).toBeGreaterThan(2 * 3600_000 - 60_000);
  });

  it('writes an object and reads it back; maps missing keys and denied buckets to their errors', async () => {
    await s3().send(new PutObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/2/latest.json', Body: '{"version":"V1"}' }));
    const head = await s3().send(new HeadObjectCommand({ Bucket: 'restate-snapshots', Key: 'prod/2/latest.json' }));
    expect(head.ContentLength).toBe(16);
    await expect(s3().send(new GetObjectCommand({ Bucket: 'restate-snapshots', Key: 'nope' }))).rejects.toBeInstanceOf(NoSuchKey);
    const denied = await s3().send(new GetObjectCommand({ Bucket: 'k3s-etcd', Key: 'x' })).catch((e) => e);
    expect(denied).toBeInstanceOf(S3ServiceException);
    expect(denied.name).toBe('AccessDenied');
    const missing = await s3().send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' })).catch((e) => e);
    expect(missing.name).toBe('NoSuchBucket');
    const { Buckets } = await s3().send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(['restate-snapshots', 'k3s-etcd']);
  });
});

const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
if (!awsCli) console.log('skipping the aws CLI checks: `aws` is not installed on this machine');

describe.skipIf(!awsCli)('the aws CLI against the simulator', () => {
  // Async on purpose: the simulator serves from this same process, so a sync exec would deadlock it.
  const run = async (...args: string[]) =>
    (await promisify(execFile)('aws', ['--endpoint-url', sim.url, '--region', 'us-east-1', '--output', 'json', ...args], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: credentialsFor(PROD).accessKeyId, AWS_SECRET_ACCESS_KEY: credentialsFor(PROD).secretAccessKey, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    })).stdout;

  it('lists and describes pod identity associations', async () => {
    const listed = JSON.parse(await run('eks', 'list-pod-identity-associations', '--cluster-name', 'prod-use1', '--namespace', 'payments'));
    expect(listed.associations.map((a: { serviceAccount: string }) => a.serviceAccount)).toContain('api');
    const id = listed.associations.find((a: { serviceAccount: string }) => a.serviceAccount === 'api').associationId;
    const described = JSON.parse(await run('eks', 'describe-pod-identity-association', '--cluster-name', 'prod-use1', '--association-id', id));
    expect(described.association.roleArn).toBe(`arn:aws:iam::${PROD}:role/payments-api`);
  });

  it('gets a role and lists buckets', async () => {
    const role = JSON.parse(await run('iam', 'get-role', '--role-name', 'payments-api'));
    expect(role.Role.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('pods.eks.amazonaws.com');
    expect(await run('s3', 'ls')).toContain('restate-snapshots');
    expect(await run('s3', 'ls', 's3://restate-snapshots/prod/')).toContain('PRE 0/');
  });
});
