import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  InvalidParameterException,
  ListAddonsCommand,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ThrottlingException,
  UpdatePodIdentityAssociationCommand,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import { startAwsTestServer } from './test-server';
import type { WorldEvent } from '../world';

const SCENARIO = `
now: "2026-03-01T12:00:00Z"
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
      - name: no-tag-session
        trustPolicy:
          Statement:
            - Effect: Allow
              Principal: { Service: pods.eks.amazonaws.com }
              Action: sts:AssumeRole
clusters:
  - name: prod
    account: "111111111111"
    region: eu-west-1
    version: "1.30"
    addons: [{ name: eks-pod-identity-agent, version: v1.3.4-eksbuild.1 }]
    podIdentityAssociations:
      - { namespace: payments, serviceAccount: api, roleArn: "arn:aws:iam::111111111111:role/app", createdAt: "-2d" }
      - namespace: kube-system
        serviceAccount: ebs-csi-controller-sa
        roleArn: "arn:aws:iam::111111111111:role/app"
        ownerArn: "arn:aws:eks:eu-west-1:111111111111:addon/prod/aws-ebs-csi-driver/0a1b2c3d"
    generate: { namespaces: 25, serviceAccountsPerNamespace: 10, podsPerServiceAccount: 0, associationsPerNamespace: 10 }
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
let eks: EKSClient;
const events: WorldEvent[] = [];

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
  sim.world.onEvent((e) => events.push(e));
  eks = new EKSClient({
    endpoint: sim.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: sim.world.accounts.get('111111111111')!.accessKeyId, secretAccessKey: 'sim-secret-111111111111' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  eks.destroy();
  await sim.close();
});

describe('EKS through the real SDK', () => {
  it('lists and describes the cluster with its OIDC issuer and add-ons', async () => {
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual(['prod']);
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(cluster?.arn).toBe('arn:aws:eks:eu-west-1:111111111111:cluster/prod');
    expect(cluster?.identity?.oidc?.issuer).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect((await eks.send(new ListAddonsCommand({ clusterName: 'prod' }))).addons).toEqual(['eks-pod-identity-agent']);
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: 'prod', addonName: 'eks-pod-identity-agent' }));
    expect(addon?.addonVersion).toBe('v1.3.4-eksbuild.1');
    await expect(eks.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('pages 252 associations as 100 + 100 + 52 with summaries that carry no roleArn', async () => {
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of paginateListPodIdentityAssociations({ client: eks, pageSize: 100 }, { clusterName: 'prod' })) {
      pages.push(page.associations!.length);
      for (const a of page.associations!) {
        ids.add(a.associationId!);
        expect(a).not.toHaveProperty('roleArn');
      }
    }
    expect(pages).toEqual([100, 100, 52]);
    expect(ids.size).toBe(252);
    await expect(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod', maxResults: 101 }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('filters by namespace and service account, and describes with the role', async () => {
    const { associations } = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'prod', namespace: 'payments', serviceAccount: 'api' }),
    );
    expect(associations).toHaveLength(1);
    const { association } = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId: associations![0].associationId! }),
    );
    expect(association?.roleArn).toBe('arn:aws:iam::111111111111:role/app');
    expect(association?.createdAt?.toISOString()).toBe('2026-02-27T12:00:00.000Z');
    const gen = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod', namespace: 'gen-0003' }));
    expect(gen.associations).toHaveLength(10);
    await expect(
      eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId: 'a-00000000000000000' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('creates, rejects a duplicate with 409, updates and deletes, emitting world events', async () => {
    const created = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'prod',
        namespace: 'data',
        serviceAccount: 'etl',
        roleArn: 'arn:aws:iam::111111111111:role/app',
        clientRequestToken: 'tok-1',
      }),
    );
    const id = created.association!.associationId!;
    expect(id).toMatch(/^a-[a-z0-9]{17}$/);
    const again = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'prod',
        namespace: 'data',
        serviceAccount: 'etl',
        roleArn: 'arn:aws:iam::111111111111:role/app',
        clientRequestToken: 'tok-1',
      }),
    );
    expect(again.association?.associationId).toBe(id);
    const duplicate = eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'prod',
        namespace: 'data',
        serviceAccount: 'etl',
        roleArn: 'arn:aws:iam::111111111111:role/app',
      }),
    );
    await expect(duplicate).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(duplicate).rejects.toMatchObject({ message: `Association already exists: ${id}`, $metadata: { httpStatusCode: 409 } });

    const updated = await eks.send(
      new UpdatePodIdentityAssociationCommand({
        clusterName: 'prod',
        associationId: id,
        targetRoleArn: 'arn:aws:iam::222222222222:role/target',
        disableSessionTags: true,
      }),
    );
    expect(updated.association?.targetRoleArn).toBe('arn:aws:iam::222222222222:role/target');
    expect(updated.association?.externalId).toBeTruthy();
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'prod', associationId: id }));
    await expect(eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId: id }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(
      events.filter((e) => e.type === 'association-changed' && e.associationId === id).map((e) => (e as { change: string }).change),
    ).toEqual(['created', 'updated', 'deleted']);
  });

  it('rejects a role whose trust policy lacks sts:TagSession, and a role that does not exist', async () => {
    const bad = eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'prod',
        namespace: 'x',
        serviceAccount: 'y',
        roleArn: 'arn:aws:iam::111111111111:role/no-tag-session',
      }),
    );
    await expect(bad).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(bad).rejects.toThrow('Trust policy of the role provided is invalid');
    await expect(
      eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'prod',
          namespace: 'x',
          serviceAccount: 'y',
          roleArn: 'arn:aws:iam::111111111111:role/missing',
        }),
      ),
    ).rejects.toThrow('Role provided in the request does not exist');
  });

  it('refuses to change an add-on owned association, and lists its ownerArn', async () => {
    const { associations } = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod', namespace: 'kube-system' }));
    expect(associations?.[0].ownerArn).toBe('arn:aws:eks:eu-west-1:111111111111:addon/prod/aws-ebs-csi-driver/0a1b2c3d');
    await expect(
      eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'prod', associationId: associations![0].associationId! })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('rejects unknown keys and bad signatures with the EKS error types', async () => {
    const stranger = new EKSClient({
      endpoint: sim.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    const wrongSecret = new EKSClient({
      endpoint: sim.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: sim.world.accounts.get('111111111111')!.accessKeyId, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    await expect(wrongSecret.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers ThrottlingException when a throttle fault is over its rate, even after retries', async () => {
    const res = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({
        id: 'slow-list',
        service: 'eks',
        operation: 'ListPodIdentityAssociations',
        cluster: 'prod',
        throttle: { perSecond: 0.001 },
      }),
    });
    expect(res.status).toBe(201);
    const retrying = new EKSClient({
      endpoint: sim.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: sim.world.accounts.get('111111111111')!.accessKeyId, secretAccessKey: 'sim-secret-111111111111' },
      maxAttempts: 2,
    });
    await retrying.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod' })); // the one token
    const throttled = retrying.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod' }));
    await expect(throttled).rejects.toBeInstanceOf(ThrottlingException);
    await expect(throttled).rejects.toMatchObject({ $metadata: { attempts: 2 } });
    expect((await fetch(`${sim.url}/_sim/faults/slow-list`, { method: 'DELETE' })).status).toBe(200);
    await expect(retrying.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod' }))).resolves.toBeTruthy();
  });
});
