import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreatePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
  ResourceLimitExceededException,
  paginateListPodIdentityAssociations,
} from '@aws-sdk/client-eks';
import { startAwsTestServer } from './test-server';

// The benchmark shape: 1,000 associations in one cluster (the EKS limit until 2025, set with associationLimit) and injected latency.

const SCENARIO = `
accounts:
  - id: "111111111111"
clusters:
  - name: big
    account: "111111111111"
    region: us-west-2
    associationLimit: 1000
    generate: { namespaces: 100, serviceAccountsPerNamespace: 10, podsPerServiceAccount: 0, associationsPerNamespace: 10 }
`;

let sim: Awaited<ReturnType<typeof startAwsTestServer>>;
let eks: EKSClient;

beforeAll(async () => {
  sim = await startAwsTestServer(SCENARIO);
  eks = new EKSClient({
    endpoint: sim.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'AKIASIM111111111111X', secretAccessKey: 'sim-secret-111111111111' },
    maxAttempts: 1,
  });
  // a role that EKS accepts, so the only reason left to refuse is the limit
  const generatedRole = sim.world.accounts.get('111111111111')!.roles.get('gen-gen-0000-sa-0000')!;
  expect(generatedRole).toBeTruthy();
});
afterAll(async () => {
  eks.destroy();
  await sim.close();
});

describe('EKS at the association limit', () => {
  it('pages all 1,000 associations in 10 pages', async () => {
    let count = 0;
    let pages = 0;
    for await (const page of paginateListPodIdentityAssociations({ client: eks, pageSize: 100 }, { clusterName: 'big' })) {
      pages++;
      count += page.associations!.length;
    }
    expect({ pages, count }).toEqual({ pages: 10, count: 1000 });
  });

  it('refuses the 1,001st association with ResourceLimitExceededException', async () => {
    await expect(
      eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'big',
          namespace: 'extra',
          serviceAccount: 'one',
          roleArn: 'arn:aws:iam::111111111111:role/gen-gen-0000-sa-0000',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceLimitExceededException);
  });

  it('adds 20 ms of injected latency to each call, and concurrent calls overlap', async () => {
    sim.world.faults.add({ id: 'lat', service: 'eks', operation: '*', latencyMs: 20, probability: 1 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, () => eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'big', maxResults: 100 }))),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(20);
    expect(elapsed).toBeLessThan(1000);
    sim.world.faults.remove('lat');
  });

  it('leaves a hung request unanswered until the client gives up', async () => {
    sim.world.faults.add({ id: 'hang', service: 'eks', operation: 'ListPodIdentityAssociations', hang: true, probability: 1 });
    const started = Date.now();
    await expect(
      eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'big' }), { abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    sim.world.faults.remove('hang');
    await expect(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'big', maxResults: 1 }))).resolves.toBeTruthy();
  });
});
