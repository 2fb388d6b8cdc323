import { describe, expect, it } from 'vitest';
import { buildWorld, stsRegionalDefaultFor } from './build-world';
import { parseScenario } from './scenario/load';
import { trustsPodIdentity } from './aws/trust-policy';

const build = (yaml: string) => buildWorld({ file: 'w.yaml', scenario: parseScenario(yaml, 'w.yaml'), objectFileDocuments: new Map() });

const SCENARIO = `
now: "2026-03-01T12:00:00Z"
accounts:
  - id: "111111111111"
    roles:
      - { name: app, path: /svc/, trustPolicy: { Statement: [{ Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] }] } }
    oidcProviders: [{ url: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" }]
  - id: "222222222222"
    accessKeyId: AKIACUSTOMKEY0000001
buckets:
  - name: snaps
    objects: [{ key: p/latest.json, json: { created_at: "-1h" } }, { key: raw.txt, body: hello, lastModified: "-1d" }]
clusters:
  - name: prod
    account: "111111111111"
    region: eu-west-1
    version: "1.29"
    podIdentityAssociations:
      - { namespace: payments, serviceAccount: api, roleArn: "arn:aws:iam::111111111111:role/svc/app", targetRoleArn: "arn:aws:iam::222222222222:role/t" }
    generate: { namespaces: 2, serviceAccountsPerNamespace: 3, podsPerServiceAccount: 1, associationsPerNamespace: 2, roleAccount: "333333333333" }
  - name: old
    account: "111111111111"
    region: us-east-1
    version: "1.21"
    platformVersion: eks.2
  - name: edge
    kind: k3s
`;

describe('buildWorld', () => {
  const world = build(SCENARIO);

  it('starts the clock at the scenario time', () => {
    expect(world.clock.nowIso()).toMatch(/^2026-03-01T12:00:0\dZ$/);
  });

  it('derives account keys, role ARNs and ids, and OIDC provider ARNs', () => {
    const a = world.accounts.get('111111111111')!;
    expect(a.accessKeyId).toBe('AKIASIM111111111111X');
    expect(a.accessKeyId).toHaveLength(20);
    expect(a.secretAccessKey).toBe('sim-secret-111111111111');
    expect(world.accounts.get('222222222222')!.accessKeyId).toBe('AKIACUSTOMKEY0000001');
    const role = a.roles.get('app')!;
    expect(role.arn).toBe('arn:aws:iam::111111111111:role/svc/app');
    expect(role.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect([...a.oidcProviders.keys()]).toEqual(['arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC']);
  });

  it('serialises JSON objects with relative times resolved and md5 ETags', () => {
    const objects = world.buckets.get('snaps')!.objects;
    expect(JSON.parse(objects.get('p/latest.json')!.body.toString())).toEqual({ created_at: '2026-03-01T11:00:00Z' });
    expect(objects.get('raw.txt')!.etag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(objects.get('raw.txt')!.lastModified).toBe('2026-02-28T12:00:00Z');
  });

  it('builds only eks clusters, with ARN, issuer and STS default from the version table', () => {
    expect([...world.eksClusters.keys()]).toEqual(['prod', 'old']);
    const prod = world.eksClusters.get('prod')!;
    expect(prod.arn).toBe('arn:aws:eks:eu-west-1:111111111111:cluster/prod');
    expect(prod.oidcIssuer).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(build(SCENARIO).eksClusters.get('prod')!.oidcIssuer).toBe(prod.oidcIssuer);
    expect(prod.stsRegionalDefault).toBe(true);
    expect(world.eksClusters.get('old')!.stsRegionalDefault).toBe(false);
  });

  it('gives associations deterministic ids and ARNs, and an externalId with a target role', () => {
    const prod = world.eksClusters.get('prod')!;
    const api = [...prod.associations.values()].find((a) => a.serviceAccount === 'api')!;
    expect(api.associationId).toMatch(/^a-[a-z0-9]{17}$/);
    expect(api.associationArn).toBe(`arn:aws:eks:eu-west-1:111111111111:podidentityassociation/prod/${api.associationId}`);
    expect(api.externalId).toBeTruthy();
    expect(build(SCENARIO).eksClusters.get('prod')!.associations.has(api.associationId)).toBe(true);
  });

  it('generates associations for the first N service accounts of each namespace, with trusted roles', () => {
    const prod = world.eksClusters.get('prod')!;
    const generated = [...prod.associations.values()].filter((a) => a.namespace.startsWith('gen-'));
    expect(generated.map((a) => `${a.namespace}/${a.serviceAccount}`).sort()).toEqual([
      'gen-0000/sa-0000',
      'gen-0000/sa-0001',
      'gen-0001/sa-0000',
      'gen-0001/sa-0001',
    ]);
    const roleAccount = world.accounts.get('333333333333')!;
    const role = roleAccount.roles.get('gen-gen-0001-sa-0001')!;
    expect(role.arn).toBe('arn:aws:iam::333333333333:role/gen-gen-0001-sa-0001');
    expect(trustsPodIdentity(role.trustPolicy)).toBe(true);
    expect(generated.find((a) => a.namespace === 'gen-0001' && a.serviceAccount === 'sa-0001')!.roleArn).toBe(role.arn);
  });

  it('names the place of a duplicate association', () => {
    expect(() =>
      build(`
clusters:
  - name: c
    account: "111111111111"
    region: eu-west-1
    podIdentityAssociations:
      - { namespace: a, serviceAccount: b, roleArn: "arn:aws:iam::111111111111:role/x" }
      - { namespace: a, serviceAccount: b, roleArn: "arn:aws:iam::111111111111:role/y" }
`),
    ).toThrow('w.yaml: clusters[0].podIdentityAssociations[1]: a second association for a/b');
  });

  it('emits world events to listeners until they unsubscribe', () => {
    const seen: string[] = [];
    const off = world.onEvent((e) => seen.push(e.type));
    world.emit({ type: 'addon-changed', cluster: 'prod', addon: 'x' });
    off();
    world.emit({ type: 'addon-changed', cluster: 'prod', addon: 'x' });
    expect(seen).toEqual(['addon-changed']);
  });
});

describe('STS regional default table', () => {
  it('follows the documented platform-version thresholds', () => {
    expect(stsRegionalDefaultFor('1.30', 'eks.2')).toBe(true);
    expect(stsRegionalDefaultFor('1.30', 'eks.1')).toBe(false);
    expect(stsRegionalDefaultFor('1.31', 'eks.3')).toBe(false);
    expect(stsRegionalDefaultFor('1.33', 'eks.1')).toBe(true);
    expect(stsRegionalDefaultFor('1.18', 'eks.9')).toBe(false);
  });
});

describe('buildWorld: permissions', () => {
  const trust = `{ Statement: [{ Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] }] }`;

  it('builds managed policies, roles with inline/attached/boundary policies, users, bucket policies and association policies', () => {
    const world = build(`
accounts:
  - id: "111111111111"
    managedPolicies: [{ name: rw, path: /x/, document: { Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }] } }]
    roles:
      - name: app
        trustPolicy: ${trust}
        inlinePolicies: { one: { Statement: { Effect: Allow, Action: s3:GetObject, Resource: "*" } } }
        attachedPolicies: [arn:aws:iam::111111111111:policy/x/rw, arn:aws:iam::aws:policy/AdministratorAccess]
        permissionsBoundary: arn:aws:iam::111111111111:policy/x/rw
    users: [{ name: etcd, accessKeyId: AKIAETCDUSER00000001, secretAccessKey: s }]
buckets:
  - { name: bkt1, policy: { Statement: [{ Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::bkt1/*" }] } }
clusters:
  - name: c
    account: "111111111111"
    region: us-east-1
    autoMode: true
    associationLimit: 7
    podIdentityAssociations:
      - { namespace: n, serviceAccount: s, roleArn: "arn:aws:iam::111111111111:role/app", disableSessionTags: true, policy: { Statement: [{ Effect: Allow, Action: "s3:*", Resource: "*" }] } }
`);
    const account = world.accounts.get('111111111111')!;
    const role = account.roles.get('app')!;
    expect([...role.inlinePolicies.keys()]).toEqual(['one']);
    expect(role.attachedPolicies).toHaveLength(2);
    expect(account.managedPolicies.get('arn:aws:iam::111111111111:policy/x/rw')!.policyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(world.awsManagedPolicies.get('arn:aws:iam::aws:policy/AdministratorAccess')!.defaultVersionId).toBe('v1');
    expect(account.users.get('etcd')!.arn).toBe('arn:aws:iam::111111111111:user/etcd');
    expect(world.buckets.get('bkt1')!.policy).toBeTruthy();
    const cluster = world.eksClusters.get('c')!;
    expect(cluster).toMatchObject({ autoMode: true, associationLimit: 7 });
    expect(JSON.parse([...cluster.associations.values()][0].policy!).Statement[0].Action).toBe('s3:*');
  });

  it('names an attachment to a policy that does not exist, or an AWS managed policy the simulator does not know', () => {
    const role = (attached: string) => `
accounts:
  - id: "111111111111"
    roles: [{ name: app, trustPolicy: ${trust}, attachedPolicies: ["${attached}"] }]
`;
    expect(() => build(role('arn:aws:iam::111111111111:policy/missing'))).toThrow(
      /accounts\[0\]\.roles\[0\]\.attachedPolicies\[0\]: .*not a managed policy of account 111111111111/,
    );
    expect(() => build(role('arn:aws:iam::222222222222:policy/elsewhere'))).toThrow(/not a managed policy of account 111111111111/);
    expect(() => build(role('arn:aws:iam::aws:policy/NoSuchAwsPolicy'))).toThrow(/aws-managed-policies\.json/);
  });

  it('refuses a user key that another principal already uses, and a session policy with session tags on', () => {
    expect(() =>
      build(`
accounts:
  - { id: "111111111111", accessKeyId: AKIASAMEKEY000000001, users: [{ name: u, accessKeyId: AKIASAMEKEY000000001, secretAccessKey: s }] }
`),
    ).toThrow(/share the access key AKIASAMEKEY000000001/);
    expect(() =>
      build(`
clusters:
  - name: c
    account: "111111111111"
    region: us-east-1
    podIdentityAssociations: [{ namespace: n, serviceAccount: s, roleArn: "arn:aws:iam::111111111111:role/a", policy: { Statement: [] } }]
`),
    ).toThrow(/clusters\[0\]\.podIdentityAssociations\[0\]\.policy: a session policy needs disableSessionTags: true/);
  });
});
