import { afterEach, describe, expect, it } from 'vitest';
import { buildWorld } from './build-world';
import { createKubeSim, type KubeSim } from './kube/index';
import { parseScenario } from './scenario/load';
import { workloadIdentity } from './workload-credentials';
import type { SimWorld } from './world';

// What a simulated pod really acts as (scenario-format.md, "Workload writes"): the SDK chain's order, and each
// mechanism's own conditions (trust, agent, proxy, target role), read from the world at the moment of the call.

let kube: KubeSim | undefined;
afterEach(() => kube?.stop());

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/ABC';
const deployment = (namespace: string, name: string, env: unknown[] = []) =>
  `      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: ${name}, namespace: ${namespace} }, spec: { replicas: 1, selector: { matchLabels: { app: ${name} } }, template: { metadata: { labels: { app: ${name} } }, spec: { serviceAccountName: ${name}, containers: [{ name: app, image: app, env: ${JSON.stringify(env)} }] } } } }`;
const serviceAccount = (namespace: string, name: string, annotations = '{}') =>
  `      - { apiVersion: v1, kind: ServiceAccount, metadata: { name: ${name}, namespace: ${namespace}, annotations: ${annotations} } }`;

const SCENARIO = `
accounts:
  - id: "111111111111"
    oidcProviders: [ { url: "https://${ISSUER}" } ]
    users:
      - { name: etcd, accessKeyId: AKIAETCDUSER00000001, secretAccessKey: s }
    roles:
      - name: app
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Service: pods.eks.amazonaws.com }, Action: [sts:AssumeRole, sts:TagSession] } ] }
      - name: irsa
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/${ISSUER}" }, Action: sts:AssumeRoleWithWebIdentity, Condition: { StringEquals: { "${ISSUER}:sub": "system:serviceaccount:jobs:irsa", "${ISSUER}:aud": sts.amazonaws.com } } } ] }
      - name: target
        trustPolicy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: [sts:AssumeRole, sts:TagSession] } ] }
clusters:
  - name: prod
    account: "111111111111"
    region: us-east-1
    oidcIssuer: https://${ISSUER}
    addons: [ { name: eks-pod-identity-agent } ]
    podIdentityAssociations:
      - { namespace: shop, serviceAccount: tagged, roleArn: "arn:aws:iam::111111111111:role/app" }
      - { namespace: shop, serviceAccount: scoped, roleArn: "arn:aws:iam::111111111111:role/app", disableSessionTags: true, policy: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: s3:GetObject, Resource: "*" } ] } }
      - { namespace: shop, serviceAccount: proxied, roleArn: "arn:aws:iam::111111111111:role/app" }
      - { namespace: shop, serviceAccount: bypassed, roleArn: "arn:aws:iam::111111111111:role/app" }
      - { namespace: shop, serviceAccount: chained, roleArn: "arn:aws:iam::111111111111:role/app", targetRoleArn: "arn:aws:iam::111111111111:role/target" }
    objects:
${serviceAccount('shop', 'tagged')}
${deployment('shop', 'tagged')}
${serviceAccount('shop', 'scoped')}
${deployment('shop', 'scoped')}
${serviceAccount('shop', 'proxied')}
${deployment('shop', 'proxied', [
  { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
  { name: 'NO_PROXY', value: '10.0.0.0/8,.svc' },
])}
${serviceAccount('shop', 'bypassed')}
${deployment('shop', 'bypassed', [
  { name: 'https_proxy', value: 'http://proxy:3128' },
  { name: 'no_proxy', value: '169.254.0.0/16' },
])}
${serviceAccount('shop', 'chained')}
${deployment('shop', 'chained')}
${serviceAccount('jobs', 'irsa', '{ eks.amazonaws.com/role-arn: "arn:aws:iam::111111111111:role/irsa" }')}
${deployment('jobs', 'irsa')}
${serviceAccount('jobs', 'other', '{ eks.amazonaws.com/role-arn: "arn:aws:iam::111111111111:role/irsa" }')}
${deployment('jobs', 'other')}
      - { apiVersion: v1, kind: Secret, metadata: { name: etcd-s3, namespace: jobs }, data: { key: ${Buffer.from('AKIAETCDUSER00000001').toString('base64')} } }
${serviceAccount('jobs', 'keys')}
${deployment('jobs', 'keys', [
  { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'etcd-s3', key: 'key' } } },
  { name: 'AWS_SECRET_ACCESS_KEY', value: 's' },
])}
`;

function load(): { world: SimWorld; identityOf: (namespace: string, name: string) => ReturnType<typeof workloadIdentity> } {
  const loaded = { file: 'a.yaml', scenario: parseScenario(SCENARIO, 'a.yaml'), objectFileDocuments: new Map() };
  const world = buildWorld(loaded);
  kube = createKubeSim(world, loaded, { rolloutReadyDelayMs: 10 });
  const cluster = kube.clusters.get('prod')!;
  return {
    world,
    identityOf(namespace, name) {
      const pod = cluster.store
        .list(cluster.type('', 'v1', 'pods'), namespace)
        .map(({ object }) => object)
        .find((p) => (p.spec as { serviceAccountName?: string }).serviceAccountName === name)!;
      return workloadIdentity(world, cluster, pod);
    },
  };
}

const session = (identity: ReturnType<typeof workloadIdentity>) => {
  if (!identity.ok || identity.principal.kind !== 'assumed-role')
    throw new Error(`expected a role session, got ${JSON.stringify(identity)}`);
  return identity.principal.session;
};

describe('the identity a simulated pod acts with', () => {
  it('Pod Identity: the role session carries the six EKS session tags, or none and the session policy', () => {
    const { identityOf } = load();
    const tagged = session(identityOf('shop', 'tagged'));
    expect(tagged.role.name).toBe('app');
    expect(Object.keys(tagged.tags).sort()).toEqual([
      'eks-cluster-arn',
      'eks-cluster-name',
      'kubernetes-namespace',
      'kubernetes-pod-name',
      'kubernetes-pod-uid',
      'kubernetes-service-account',
    ]);
    expect(tagged.tags['kubernetes-service-account']).toBe('tagged');
    const scoped = session(identityOf('shop', 'scoped'));
    expect(scoped.tags).toEqual({});
    expect(scoped.sessionPolicies).toEqual([
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
    ]);
  });

  it('a proxy without NO_PROXY for 169.254.170.23 keeps Pod Identity from working; a covering CIDR does not', () => {
    const { identityOf } = load();
    expect(identityOf('shop', 'proxied')).toMatchObject({ ok: false, reason: expect.stringContaining('169.254.170.23') });
    expect(identityOf('shop', 'bypassed').ok).toBe(true);
  });

  it('a target role acts only when the first role may assume it, and then as the target with the session tags', () => {
    const { world, identityOf } = load();
    expect(identityOf('shop', 'chained')).toMatchObject({ ok: false, reason: expect.stringContaining('may not call sts:AssumeRole') });
    world.accounts
      .get('111111111111')!
      .roles.get('app')!
      .inlinePolicies.set('assume-target', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: 'arn:aws:iam::111111111111:role/target' }],
      });
    const chained = session(identityOf('shop', 'chained'));
    expect(chained.role.name).toBe('target');
    expect(chained.tags['kubernetes-namespace']).toBe('shop');
  });

  it("Pod Identity: the trust policy's conditions decide at credential time (source ARN, account, session tags)", () => {
    const { world, identityOf } = load();
    const app = world.accounts.get('111111111111')!.roles.get('app')!;
    const scopedTo = (condition: Record<string, unknown>) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: condition,
        },
      ],
    });
    const clusterArn = 'arn:aws:eks:us-east-1:111111111111:cluster/prod';
    app.trustPolicy = scopedTo({
      StringEquals: {
        'aws:SourceAccount': '111111111111',
        'aws:RequestTag/kubernetes-namespace': 'shop',
        'aws:RequestTag/kubernetes-service-account': 'tagged',
      },
      ArnEquals: { 'aws:SourceArn': clusterArn },
    });
    expect(session(identityOf('shop', 'tagged')).role.name).toBe('app');
    // Another service account of the same namespace, and one without session tags, are refused.
    expect(identityOf('shop', 'bypassed')).toMatchObject({ ok: false, reason: expect.stringContaining('conditions do not match') });
    expect(identityOf('shop', 'scoped')).toMatchObject({ ok: false, reason: expect.stringContaining('conditions do not match') });
    app.trustPolicy = scopedTo({ ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:us-east-1:111111111111:cluster/other' } });
    expect(identityOf('shop', 'tagged')).toMatchObject({ ok: false });
    // A service principal has no aws:PrincipalAccount: such a condition silently blocks the role (domain.md).
    app.trustPolicy = scopedTo({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } });
    expect(identityOf('shop', 'tagged')).toMatchObject({ ok: false });
    // An explicit Deny wins over the Allow.
    app.trustPolicy = {
      Version: '2012-10-17',
      Statement: [
        ...(scopedTo({ StringEquals: { 'aws:SourceAccount': '111111111111' } }).Statement as object[]),
        {
          Effect: 'Deny',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'shop' } },
        },
      ],
    };
    expect(identityOf('shop', 'tagged')).toMatchObject({ ok: false });
    expect(identityOf('shop', 'scoped').ok).toBe(true);
  });

  it("a target role's trust may require the association's external id and its session tags", () => {
    const { world, identityOf } = load();
    const account = world.accounts.get('111111111111')!;
    account.roles.get('app')!.inlinePolicies.set('assume-target', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: 'arn:aws:iam::111111111111:role/target' }],
    });
    const association = [...kube!.clusters.get('prod')!.eks!.associations.values()].find((a) => a.serviceAccount === 'chained')!;
    expect(association.externalId).toBeTruthy();
    const target = account.roles.get('target')!;
    const chain = (condition: Record<string, unknown>) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:role/app' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: condition,
        },
      ],
    });
    target.trustPolicy = chain({ StringEquals: { 'sts:ExternalId': 'not-this-association' } });
    expect(identityOf('shop', 'chained')).toMatchObject({ ok: false, reason: expect.stringContaining('does not let') });
    target.trustPolicy = chain({
      StringEquals: { 'sts:ExternalId': association.externalId, 'aws:RequestTag/kubernetes-namespace': 'shop' },
    });
    expect(session(identityOf('shop', 'chained')).role.name).toBe('target');
    target.trustPolicy = chain({ StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'other' } });
    expect(identityOf('shop', 'chained')).toMatchObject({ ok: false });
  });

  it('IRSA: the trust policy must name the cluster provider and this service account', () => {
    const { identityOf } = load();
    expect(session(identityOf('jobs', 'irsa')).role.name).toBe('irsa');
    expect(identityOf('jobs', 'other')).toMatchObject({ ok: false });
  });

  it('static keys from a Secret come first, and act as the IAM user', () => {
    const { identityOf } = load();
    const identity = identityOf('jobs', 'keys');
    expect(identity).toMatchObject({ ok: true, via: 'static-keys', principal: { kind: 'user', user: { name: 'etcd' } } });
  });
});
