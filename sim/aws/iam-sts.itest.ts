import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { startAwsTestServer } from './test-server';

const SCENARIO = `
accounts:
  - id: "111111111111"
    oidcProviders:
      - url: https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789
    roles:
      - name: web
        path: /teams/payments/
        tags: { team: payments }
        description: "web role"
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Service: pods.eks.amazonaws.com }
              Action: [sts:AssumeRole, sts:TagSession]
  - id: "222222222222"
    accessKeyId: AKIAOTHERACCOUNTKEY1
    secretAccessKey: other-secret
    roles:
      - name: console-reader
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
        inlinePolicies:
          list-clusters: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: eks:ListClusters, Resource: "*" } ] }
      - name: locked
        trustPolicy:
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::333333333333:root" }
              Action: sts:AssumeRole
clusters:
  - name: data
    account: "222222222222"
    region: us-east-2
    generate: { namespaces: 3, serviceAccountsPerNamespace: 50, podsPerServiceAccount: 0, associationsPerNamespace: 50 }
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
const creds = { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' };
let iam: IAMClient;
let sts: STSClient;

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
  iam = new IAMClient({ endpoint: sim.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  sts = new STSClient({ endpoint: sim.url, region: 'eu-west-1', credentials: creds, maxAttempts: 1 });
});
afterAll(async () => {
  iam.destroy();
  sts.destroy();
  await sim.close();
});

describe('IAM through the real SDK', () => {
  it('returns a role with its URL-encoded trust policy, path and tags', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'web' }));
    expect(Role?.Arn).toBe('arn:aws:iam::111111111111:role/teams/payments/web');
    expect(Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(Role?.Path).toBe('/teams/payments/');
    expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    expect(Role?.AssumeRolePolicyDocument).toContain('%22pods.eks.amazonaws.com%22');
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Action).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
    ]);
    expect(Role?.CreateDate).toBeInstanceOf(Date);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'web' }))).Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ghost' }))).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ghost' }))).rejects.toThrow('The role with name ghost cannot be found.');
  });

  it('lists the generated roles in pages with Marker, and filters by PathPrefix', async () => {
    const other = new IAMClient({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAOTHERACCOUNTKEY1', secretAccessKey: 'other-secret' },
    });
    const sizes: number[] = [];
    const names = new Set<string>();
    for await (const page of paginateListRoles({ client: other, pageSize: 60 }, {})) {
      sizes.push(page.Roles!.length);
      page.Roles!.forEach((r) => names.add(r.RoleName!));
    }
    expect(sizes).toEqual([60, 60, 32]); // 150 generated + 2 declared
    expect(names.has('gen-gen-0002-sa-0049')).toBe(true);
    const first = await other.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    const scoped = await iam.send(new ListRolesCommand({ PathPrefix: '/teams/' }));
    expect(scoped.Roles?.map((r) => r.RoleName)).toEqual(['web']);
    other.destroy();
  });

  it('updates a trust policy and rejects one that is not valid JSON', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'web', PolicyDocument: JSON.stringify(policy) }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'web' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(policy);
    await expect(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'web', PolicyDocument: '{not json' }))).rejects.toBeInstanceOf(
      MalformedPolicyDocumentException,
    );
    await expect(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ghost', PolicyDocument: JSON.stringify(policy) })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('lists and reads OIDC providers', async () => {
    const { OpenIDConnectProviderList } = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const arn = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789';
    expect(OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(provider.Url).toBe('oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789');
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com']);
    await expect(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `${arn}X` }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );
  });

  it('rejects an unknown key with InvalidClientTokenId and a wrong secret with SignatureDoesNotMatch', async () => {
    const stranger = new IAMClient({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetRoleCommand({ RoleName: 'web' }))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    const wrong = new STSClient({
      endpoint: sim.url,
      region: 'eu-west-1',
      credentials: { ...creds, secretAccessKey: 'nope' },
      maxAttempts: 1,
    });
    await expect(wrong.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('STS through the real SDK', () => {
  it('identifies the caller by its account key', async () => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: '111111111111', Arn: 'arn:aws:iam::111111111111:root' });
  });

  it('assumes a role in a second account whose credentials then act there', async () => {
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/console-reader', RoleSessionName: 'console' }),
    );
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/console-reader/console');
    const session = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    const asRole = new STSClient({ endpoint: sim.url, region: 'us-east-2', credentials: session });
    const id = await asRole.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: '222222222222', Arn: 'arn:aws:sts::222222222222:assumed-role/console-reader/console' });
    const eks = new EKSClient({ endpoint: sim.url, region: 'us-east-2', credentials: session });
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual(['data']);
    // without the session token the key is not valid
    const noToken = new STSClient({
      endpoint: sim.url,
      region: 'us-east-2',
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
      maxAttempts: 1,
    });
    await expect(noToken.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    asRole.destroy();
    eks.destroy();
    noToken.destroy();
  });

  it('denies AssumeRole when the trust policy does not name the caller, with the real message', async () => {
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/locked', RoleSessionName: 'console' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message:
        'User: arn:aws:iam::111111111111:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/locked',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('rejects session credentials once the sim clock passes their expiry', async () => {
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/console-reader', RoleSessionName: 'short', DurationSeconds: 900 }),
    );
    const asRole = new STSClient({
      endpoint: sim.url,
      region: 'us-east-2',
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    await expect(asRole.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '222222222222' });
    const advanced = await fetch(`${sim.url}/_sim/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 901_000 }) });
    expect(advanced.status).toBe(200);
    await expect(asRole.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
    asRole.destroy();
  });
});
