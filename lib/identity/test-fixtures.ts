import type {
  ClusterState,
  EksAddon,
  FleetState,
  IamRole,
  PodIdentityAssociation,
  PolicyDocument,
  PolicyStatement,
  RoleLookup,
  SourceError,
} from '@/lib/model/cluster-state';
import type { Container, EnvVar, Node, Pod, ServiceAccount, Workload } from '@/lib/model/kube-objects';

// Small builders for FleetStates in tests: each test states only what matters to it.

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const T0 = '2026-11-01T10:00:00Z';
export const COLLECTED_AT = '2026-11-22T12:00:00Z';
export const ISSUER_ID = 'EXAMPLED539D4633E53DE1B71EXAMPLE';
export const issuerUrl = (id = ISSUER_ID, region = REGION) => `https://oidc.eks.${region}.amazonaws.com/id/${id}`;
export const issuerHost = (id = ISSUER_ID, region = REGION) => `oidc.eks.${region}.amazonaws.com/id/${id}`;
export const roleArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
export const clusterArn = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:eks:${region}:${account}:cluster/${name}`;

export const PI_ENV: EnvVar[] = [
  { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' },
  {
    name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    value: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
  },
];
export const irsaEnv = (arn: string, sts?: 'regional' | 'legacy'): EnvVar[] => [
  { name: 'AWS_ROLE_ARN', value: arn },
  { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
  ...(sts ? [{ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: sts }] : []),
];

export function serviceAccount(namespace: string, name: string, annotations: Record<string, string> = {}): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, annotations, creationTimestamp: T0 } };
}

export interface PodOptions {
  serviceAccount?: string;
  node?: string;
  env?: EnvVar[];
  containers?: Container[];
  image?: string;
  phase?: NonNullable<Pod['status']>['phase'];
  startTime?: string;
  terminating?: boolean;
  owner?: { kind: string; name: string };
  ready?: boolean;
}

export function pod(namespace: string, name: string, o: PodOptions = {}): Pod {
  const containers: Container[] = o.containers ?? [{ name: 'app', image: o.image ?? 'example/app:1.0', env: o.env ?? [] }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      creationTimestamp: o.startTime ?? '2026-11-20T10:00:00Z',
      ...(o.terminating ? { deletionTimestamp: COLLECTED_AT } : {}),
      ...(o.owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner.kind, name: o.owner.name, uid: 'u', controller: true }] }
        : {}),
    },
    spec: { ...(o.serviceAccount !== undefined ? { serviceAccountName: o.serviceAccount } : {}), nodeName: o.node ?? 'node-a', containers },
    status: {
      phase: o.phase ?? 'Running',
      startTime: o.startTime ?? '2026-11-20T10:00:00Z',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

export function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...labels } } };
}

export function agentPod(nodeName: string, ready = true): Pod {
  return pod('kube-system', `eks-pod-identity-agent-${nodeName}`, {
    node: nodeName,
    serviceAccount: 'eks-pod-identity-agent',
    ready,
    image: 'eks/eks-pod-identity-agent:0.1.0',
  });
}

export function agentDaemonSet(desired: number, ready: number): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'eks-pod-identity-agent', namespace: 'kube-system' },
    status: { desiredNumberScheduled: desired, numberReady: ready },
  };
}

export function association(namespace: string, sa: string, o: Partial<PodIdentityAssociation> = {}): PodIdentityAssociation {
  const id = o.associationId ?? `a-${namespace}-${sa}`.slice(0, 20);
  return {
    associationId: id,
    associationArn: `arn:aws:eks:${REGION}:${ACCOUNT}:podidentityassociation/prod/${id}`,
    clusterName: 'prod',
    namespace,
    serviceAccount: sa,
    roleArn: roleArn(`${sa}-role`),
    createdAt: '2026-11-10T10:00:00Z',
    ...o,
  };
}

export const podIdentityStatement = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Sid: 'AllowEksAuthToAssumeRoleForPodIdentity',
  Effect: 'Allow',
  Principal: { Service: 'pods.eks.amazonaws.com' },
  Action: ['sts:AssumeRole', 'sts:TagSession'],
  ...extra,
});

export const webIdentityStatement = (
  namespace: string,
  sa: string,
  o: { account?: string; issuer?: string; sub?: string; aud?: string; op?: string } = {},
): PolicyStatement => {
  const issuer = o.issuer ?? issuerHost();
  return {
    Sid: 'IRSA',
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${o.account ?? ACCOUNT}:oidc-provider/${issuer}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      [o.op ?? 'StringEquals']: {
        [`${issuer}:sub`]: o.sub ?? `system:serviceaccount:${namespace}:${sa}`,
        [`${issuer}:aud`]: o.aud ?? 'sts.amazonaws.com',
      },
    },
  };
};

export function iamRole(arn: string, statements: PolicyStatement[], tags?: Record<string, string>): IamRole {
  const account = /iam::(\d{12}):/.exec(arn)![1];
  const trustPolicy: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return { arn, name: arn.split('/').pop()!, account, trustPolicy, createDate: T0, ...(tags ? { tags } : {}) };
}

export const found = (role: IamRole): RoleLookup => ({ status: 'found', role });
export const missing = (): RoleLookup => ({ status: 'missing' });
export const lookupError = (arn: string): RoleLookup => ({
  status: 'error',
  error: {
    source: 'iam',
    operation: 'GetRole',
    code: 'AccessDenied',
    message: 'not authorized to perform: iam:GetRole',
    missingPermission: 'iam:GetRole',
    subject: { roleArn: arn },
  },
});

export interface ClusterOptions {
  name?: string;
  kind?: ClusterState['kind'];
  account?: string;
  version?: string;
  platformVersion?: string;
  oidcIssuer?: string;
  addons?: EksAddon[] | null;
  associations?: PodIdentityAssociation[] | null;
  serviceAccounts?: ServiceAccount[] | null;
  pods?: Pod[] | null;
  nodes?: Node[] | null;
  namespaces?: string[] | null;
  agentPods?: Pod[] | null;
  agentDaemonSet?: Workload | null;
  workloads?: Workload[] | null;
  sourceErrors?: SourceError[];
  secretKeyNames?: Record<string, string[]> | null;
  eksCluster?: null;
  /** DescribeCluster computeConfig.enabled (EKS Auto Mode). */
  autoMode?: boolean;
  /** clusters[].associationLimit from config. */
  associationLimit?: number;
  serviceIpFamily?: string;
}

/** An EKS cluster "prod" with one Linux node "node-a", a ready agent on it, and the agent add-on. */
export function eksCluster(o: ClusterOptions = {}): ClusterState {
  const name = o.name ?? 'prod';
  const account = o.account ?? ACCOUNT;
  const nodes = o.nodes === undefined ? [node('node-a')] : o.nodes;
  const namespaces =
    o.namespaces === undefined
      ? [
          ...new Set([
            'default',
            'kube-system',
            ...(o.serviceAccounts ?? []).map((s) => s.metadata.namespace!),
            ...(o.pods ?? []).map((p) => p.metadata.namespace!),
          ]),
        ]
      : o.namespaces;
  return {
    name,
    kind: o.kind ?? 'eks',
    collectedAt: COLLECTED_AT,
    eks: {
      cluster:
        o.eksCluster === null
          ? null
          : {
              name,
              arn: clusterArn(name, account),
              account,
              region: REGION,
              version: o.version ?? '1.31',
              platformVersion: o.platformVersion ?? 'eks.12',
              oidcIssuer: o.oidcIssuer ?? issuerUrl(),
              status: 'ACTIVE',
              ...(o.autoMode !== undefined ? { autoMode: o.autoMode } : {}),
              ...(o.serviceIpFamily !== undefined ? { serviceIpFamily: o.serviceIpFamily } : {}),
            },
      addons: o.addons === undefined ? [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1', status: 'ACTIVE' }] : o.addons,
      associations: o.associations === undefined ? [] : o.associations,
      ...(o.associationLimit !== undefined ? { associationLimit: o.associationLimit } : {}),
    },
    kube: {
      serviceAccounts: o.serviceAccounts === undefined ? [] : o.serviceAccounts,
      pods: o.pods === undefined ? [] : o.pods,
      nodes,
      namespaces,
      workloads: o.workloads === undefined ? [] : o.workloads,
      agentDaemonSet: o.agentDaemonSet === undefined ? agentDaemonSet((nodes ?? []).length, (nodes ?? []).length) : o.agentDaemonSet,
      agentPods: o.agentPods === undefined ? (nodes ?? []).map((n) => agentPod(n.metadata.name)) : o.agentPods,
      ...(o.secretKeyNames !== undefined ? { secretKeyNames: o.secretKeyNames } : {}),
    },
    sourceErrors: o.sourceErrors ?? [],
  };
}

export interface FleetOptions {
  roles?: Record<string, RoleLookup>;
  accounts?: FleetState['accounts'];
  sourceErrors?: SourceError[];
}

/** A fleet; by default the account has the cluster's OIDC provider registered and no ListRoles result. */
export function fleet(clusters: ClusterState[], o: FleetOptions = {}): FleetState {
  return {
    clusters,
    roles: o.roles ?? {},
    accounts: o.accounts ?? { [ACCOUNT]: { roles: null, oidcProviders: [issuerHost()] } },
    sourceErrors: o.sourceErrors ?? [],
    collectedAt: COLLECTED_AT,
  };
}

/** Roles keyed by ARN, all found. */
export function roles(...list: IamRole[]): Record<string, RoleLookup> {
  return Object.fromEntries(list.map((r) => [r.arn, found(r)]));
}

/**
 * The healthy Pod Identity SA: payments/api with an association to role api-role (trusting Pod Identity),
 * one pod admitted after the association carrying the Pod Identity env.
 */
export function healthyPodIdentity(
  o: { cluster?: ClusterOptions; statements?: PolicyStatement[]; pods?: Pod[]; association?: Partial<PodIdentityAssociation> } = {},
): FleetState {
  const role = iamRole(roleArn('api-role'), o.statements ?? [podIdentityStatement()]);
  const c = eksCluster({
    serviceAccounts: [serviceAccount('payments', 'api')],
    associations: [association('payments', 'api', { roleArn: role.arn, associationId: 'a-payments1234567', ...o.association })],
    pods: o.pods ?? [pod('payments', 'api-1', { serviceAccount: 'api', env: PI_ENV, startTime: '2026-11-12T10:00:00Z' })],
    ...o.cluster,
  });
  return fleet([c], { roles: roles(role) });
}

/** The healthy IRSA SA: shop/web annotated with role web-role, trust for this cluster's issuer, one IRSA pod. */
export function healthyIrsa(
  o: {
    cluster?: ClusterOptions;
    statements?: PolicyStatement[];
    annotations?: Record<string, string>;
    pods?: Pod[];
    fleet?: FleetOptions;
  } = {},
): FleetState {
  const role = iamRole(roleArn('web-role'), o.statements ?? [webIdentityStatement('shop', 'web')]);
  const c = eksCluster({
    serviceAccounts: [serviceAccount('shop', 'web', { 'eks.amazonaws.com/role-arn': role.arn, ...o.annotations })],
    pods: o.pods ?? [pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(role.arn, 'regional') })],
    ...o.cluster,
  });
  return fleet([c], { roles: roles(role), ...o.fleet });
}
