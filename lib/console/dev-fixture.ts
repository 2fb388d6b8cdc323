import type { PolicyDocument, SourceError } from '@/lib/model/cluster-snapshot';
import { SEVERITY_RANK, type Finding, type FindingSubject, type Severity, type SuggestedAction } from '@/lib/model/finding';
import type {
  ChainStep,
  ClusterRow,
  Mechanism,
  PodDetail,
  PodMechanism,
  ServiceAccountDetail,
  ServiceAccountRow,
  SnapshotState,
  StsMode,
} from '@/lib/model/identity-row';
import { catalogEntry } from './finding-catalog';

// A realistic fleet for developing and reviewing the UI before the collector and the identity core are
// merged: five clusters (EKS, K3s, one with its Kubernetes API down, one denied GetRole), rows for every
// mechanism, severity and service-account finding code, and details with full credential chains and pods.
// Only lib/console/queries.ts imports this module; the integrator replaces it with collectFleet() and the
// identity core. CONSOLE_DEV_FIXTURE_SCALE=N adds N healthy filler rows to exercise paging at fleet size.

export interface DevFleet {
  collectedAt: string;
  clusters: ClusterRow[];
  rows: ServiceAccountRow[];
  details: Map<string, ServiceAccountDetail>;
  errors: SourceError[];
}

export function detailKey(cluster: string, namespace: string, name: string): string {
  return `${cluster}\u0000${namespace}\u0000${name}`;
}

interface ClusterFacts {
  name: string;
  kind: ClusterRow['kind'];
  account?: string;
  region?: string;
  oidcIssuer?: string;
  stsRegionalDefault?: boolean;
  agentReady: boolean;
}

const PROD: ClusterFacts = { name: 'prod-use1', kind: 'eks', account: '111122223333', region: 'us-east-1', oidcIssuer: 'oidc.eks.us-east-1.amazonaws.com/id/5C1A7F0E9B3D42A6B8E1D3C07F2A9E41', stsRegionalDefault: true, agentReady: true };
const STAGING: ClusterFacts = { name: 'staging-euw1', kind: 'eks', account: '444455556666', region: 'eu-west-1', oidcIssuer: 'oidc.eks.eu-west-1.amazonaws.com/id/0B7E2C91D4A84F3E9A61C5D2E8F7B310', stsRegionalDefault: false, agentReady: true };
const LEGACY: ClusterFacts = { name: 'legacy-apse1', kind: 'eks', account: '777788889999', region: 'ap-southeast-1', oidcIssuer: 'oidc.eks.ap-southeast-1.amazonaws.com/id/E3F1A0B2C4D64E8F9A0B1C2D3E4F5A6B', stsRegionalDefault: true, agentReady: false };
const DR: ClusterFacts = { name: 'dr-usw2', kind: 'eks', account: '111122223333', region: 'us-west-2', oidcIssuer: 'oidc.eks.us-west-2.amazonaws.com/id/9D8C7B6A5F4E3D2C1B0A9F8E7D6C5B4A', stsRegionalDefault: true, agentReady: true };
const EDGE: ClusterFacts = { name: 'edge-k3s', kind: 'k3s', agentReady: false };

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

const podIdentityTrust = (extra?: PolicyDocument['Statement']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    ...(Array.isArray(extra) ? extra : extra ? [extra] : []),
    { Sid: 'AllowEksAuthToAssumeRoleForPodIdentity', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
  ],
});

const webIdentityTrust = (c: ClusterFacts, namespace: string, name: string, subject = `system:serviceaccount:${namespace}:${name}`): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${c.account}:oidc-provider/${c.oidcIssuer}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${c.oidcIssuer}:sub`]: subject, [`${c.oidcIssuer}:aud`]: 'sts.amazonaws.com' } },
    },
  ],
});

interface PodSpec {
  mechanism: PodMechanism;
  stale?: boolean;
  node?: string;
  startedAgoSeconds: number;
  image?: string;
  sts?: 'regional' | 'legacy' | null;
  phase?: string;
  tooOldSdk?: boolean;
}

interface FindingSpec {
  code: string;
  title: string;
  evidence: Record<string, unknown>;
  action?: SuggestedAction;
}

interface Story {
  cluster: ClusterFacts;
  namespace: string;
  name: string;
  exists?: boolean;
  association?: { id: string; roleArn: string | null; targetRoleArn?: string; ownerArn?: string; createdAgoSeconds: number; disableSessionTags?: boolean };
  irsa?: { roleArn: string; audience?: string; tokenExpiration?: number | null; annotatedAgoSeconds?: number };
  stsAnnotation?: string | null;
  /** null = pods could not be read. */
  pods: PodSpec[] | null;
  roleLookup?: 'found' | 'missing' | 'denied';
  trustPolicy?: PolicyDocument;
  matchedStatementIndex?: number | null;
  findings: FindingSpec[];
  snapshots?: { state: SnapshotState; oldestAgeSeconds: number | null; sources: string[] };
}

const HOUR = 3600;
const DAY = 86_400;

function subjectOf(story: Story): FindingSubject {
  return { kind: 'serviceaccount', cluster: story.cluster.name, namespace: story.namespace, name: story.name };
}

function toFinding(story: Story, spec: FindingSpec): Finding {
  const severity: Severity = catalogEntry(spec.code)?.severity ?? 'warning';
  return { code: spec.code, severity, subject: subjectOf(story), title: spec.title, evidence: spec.evidence, ...(spec.action ? { action: spec.action } : {}) };
}

function rollPods(story: Story): SuggestedAction {
  return { type: 'roll-pods', params: { cluster: story.cluster.name, namespace: story.namespace, serviceAccount: story.name, includeBarePods: false, includeJobPods: false } };
}

function podName(story: Story, index: number): string {
  const hash = [...`${story.cluster.name}/${story.namespace}/${story.name}`].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36).slice(0, 5);
  const suffix = ((index + 1) * 2654435761 >>> 0).toString(36).slice(0, 5);
  return `${story.name}-${hash}-${suffix}`;
}

function desiredSts(story: Story): StsMode {
  if (story.stsAnnotation === 'true') return 'regional';
  if (story.stsAnnotation === 'false') return 'sdk-default';
  if (story.cluster.stsRegionalDefault === undefined) return 'unknown';
  return story.cluster.stsRegionalDefault ? 'regional' : 'sdk-default';
}

function rowMechanism(story: Story): Mechanism | 'unknown' {
  if (story.pods === null) return 'unknown';
  const kinds = new Set(story.pods.map((pod) => pod.mechanism));
  if (kinds.size > 1) return 'mixed';
  if (kinds.size === 1) return [...kinds][0];
  if (story.association && story.irsa) return 'both';
  if (story.association) return 'pod-identity';
  if (story.irsa) return 'irsa';
  return 'none';
}

function toRow(story: Story): ServiceAccountRow {
  const findings = story.findings.map((spec) => toFinding(story, spec));
  const worst = findings.reduce<Severity | null>((acc, f) => (!acc || SEVERITY_RANK[f.severity] > SEVERITY_RANK[acc] ? f.severity : acc), null);
  const running = { regional: 0, legacy: 0, unset: 0 };
  const podMechanisms: Partial<Record<PodMechanism, number>> = {};
  for (const pod of story.pods ?? []) {
    podMechanisms[pod.mechanism] = (podMechanisms[pod.mechanism] ?? 0) + 1;
    if (pod.mechanism === 'irsa' || pod.mechanism === 'both') running[pod.sts ?? 'unset'] += 1;
  }
  return {
    cluster: story.cluster.name,
    namespace: story.namespace,
    name: story.name,
    exists: story.exists ?? true,
    podIdentity: story.association
      ? { associationId: story.association.id, roleArn: story.association.roleArn, targetRoleArn: story.association.targetRoleArn ?? null, ownerArn: story.association.ownerArn ?? null, disableSessionTags: story.association.disableSessionTags ?? false }
      : null,
    irsa: story.irsa ? { roleArn: story.irsa.roleArn, audience: story.irsa.audience ?? 'sts.amazonaws.com', tokenExpiration: story.irsa.tokenExpiration ?? null } : null,
    sts: { annotation: story.stsAnnotation ?? null, desired: desiredSts(story), running },
    pods: story.pods === null ? { total: null, stale: null } : { total: story.pods.length, stale: story.pods.filter((pod) => pod.stale).length },
    mechanism: rowMechanism(story),
    ...(story.pods === null ? {} : { podMechanisms }),
    ...(story.snapshots ? { snapshots: story.snapshots } : {}),
    findings,
    worstSeverity: worst,
  };
}

// ---- details: the credential chain and the pods ----

function kubectl(story: Story, args: string): string {
  return `kubectl --context ${story.cluster.name} ${args}`;
}

function aws(story: Story, args: string): string {
  return `aws ${args}${story.cluster.region ? ` --region ${story.cluster.region}` : ''}`;
}

function has(story: Story, ...codes: string[]): FindingSpec | undefined {
  return story.findings.find((f) => codes.includes(f.code));
}

function isoAgo(now: number, seconds: number): string {
  return new Date(now - seconds * 1000).toISOString();
}

function chainOf(story: Story, now: number): ChainStep[] {
  const steps: ChainStep[] = [];
  const roleName = (arn: string | null | undefined) => arn?.split('/').pop() ?? '';
  const podsSelector = `-n ${story.namespace} get pods --field-selector spec.serviceAccountName=${story.name}`;
  const status = (fail: string[], warn: string[] = []): ChainStep['status'] => (has(story, ...fail) ? 'fail' : has(story, ...warn) ? 'warn' : 'pass');
  const evidenceOf = (base: Record<string, unknown>, ...codes: string[]) => {
    const finding = has(story, ...codes);
    return finding ? { ...base, finding: finding.code, ...finding.evidence } : base;
  };

  if (story.association) {
    const a = story.association;
    steps.push({
      step: 'association',
      title: 'A Pod Identity association maps the service account to a role',
      status: has(story, 'PI007') ? 'warn' : 'pass',
      evidence: evidenceOf({ associationId: a.id, roleArn: a.roleArn, targetRoleArn: a.targetRoleArn ?? null, ownerArn: a.ownerArn ?? null, createdAt: isoAgo(now, a.createdAgoSeconds) }, 'PI007', 'PI011'),
      commands: [aws(story, `eks list-pod-identity-associations --cluster-name ${story.cluster.name} --namespace ${story.namespace} --service-account ${story.name}`), aws(story, `eks describe-pod-identity-association --cluster-name ${story.cluster.name} --association-id ${a.id}`)],
    });
    const roleUnknown = story.roleLookup === 'denied';
    steps.push({
      step: 'role-exists',
      title: 'The role exists',
      status: roleUnknown ? 'unknown' : status(['PI001']),
      evidence: roleUnknown
        ? { roleArn: a.roleArn, error: 'AccessDenied', operation: 'iam:GetRole', message: 'The console may not call iam:GetRole on this role; its existence and trust policy are unknown.' }
        : evidenceOf({ roleArn: a.roleArn }, 'PI001'),
      commands: [`aws iam get-role --role-name ${roleName(a.roleArn)}`],
    });
    if (!has(story, 'PI001')) {
      steps.push({
        step: 'trust-policy',
        title: 'The trust policy lets pods.eks.amazonaws.com AssumeRole and TagSession',
        status: roleUnknown ? 'unknown' : status(['PI002', 'PI003']),
        evidence: roleUnknown
          ? { roleArn: a.roleArn, reason: 'The role could not be read (AccessDenied on iam:GetRole).' }
          : evidenceOf({ roleArn: a.roleArn, trustPolicy: story.trustPolicy ?? podIdentityTrust(), matchedStatementIndex: story.matchedStatementIndex ?? (has(story, 'PI002', 'PI003') ? null : 0) }, 'PI002', 'PI003'),
        commands: [`aws iam get-role --role-name ${roleName(a.roleArn)} --query Role.AssumeRolePolicyDocument`],
      });
    }
    if (a.targetRoleArn) {
      steps.push({
        step: 'target-role',
        title: "The target role trusts the association's role",
        status: status([], ['PI012']),
        evidence: evidenceOf({ targetRoleArn: a.targetRoleArn, sourceRoleArn: a.roleArn }, 'PI012'),
        commands: [`aws iam get-role --role-name ${roleName(a.targetRoleArn)} --query Role.AssumeRolePolicyDocument`],
      });
    }
    steps.push({
      step: 'agent',
      title: "The Pod Identity agent runs on the pods' nodes",
      status: status(['PI004', 'PI006']),
      evidence: evidenceOf({ addon: 'eks-pod-identity-agent', nodes: [...new Set((story.pods ?? []).map((p) => p.node ?? 'unknown'))] }, 'PI004', 'PI006'),
      commands: [kubectl(story, '-n kube-system get daemonset eks-pod-identity-agent'), kubectl(story, '-n kube-system get pods -l app.kubernetes.io/name=eks-pod-identity-agent -o wide')],
    });
    steps.push({
      step: 'pod-env',
      title: 'Running pods carry the Pod Identity env (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
      status: story.pods === null ? 'unknown' : status([], ['PI005']),
      evidence: story.pods === null ? { reason: 'Pods could not be read.' } : evidenceOf({ pods: story.pods.length, withEnv: story.pods.filter((p) => p.mechanism === 'pod-identity' || p.mechanism === 'both').length }, 'PI005'),
      commands: [kubectl(story, `${podsSelector} -o custom-columns=NAME:.metadata.name,STARTED:.status.startTime,URI:.spec.containers[*].env[?(@.name=="AWS_CONTAINER_CREDENTIALS_FULL_URI")].value`)],
    });
    steps.push({
      step: 'sdk',
      title: "The images' AWS SDKs support Pod Identity",
      status: story.pods === null ? 'unknown' : status([], ['PI009']),
      evidence: evidenceOf({ images: [...new Set((story.pods ?? []).map((p) => p.image ?? 'unknown'))] }, 'PI009'),
      commands: [kubectl(story, `${podsSelector} -o jsonpath='{range .items[*].spec.containers[*]}{.image}{"\\n"}{end}'`)],
    });
  }

  if (story.irsa) {
    const i = story.irsa;
    steps.push({
      step: 'irsa-annotation',
      title: 'The eks.amazonaws.com/role-arn annotation names a valid role ARN',
      status: status(['IR001'], ['IR007']),
      evidence: evidenceOf({ 'eks.amazonaws.com/role-arn': i.roleArn, 'eks.amazonaws.com/audience': i.audience ?? null, 'eks.amazonaws.com/token-expiration': i.tokenExpiration ?? null, ...(i.annotatedAgoSeconds === undefined ? {} : { annotationChangedAt: isoAgo(now, i.annotatedAgoSeconds) }) }, 'IR001', 'IR007'),
      commands: [kubectl(story, `-n ${story.namespace} get serviceaccount ${story.name} -o jsonpath='{.metadata.annotations}'`)],
    });
    if (!has(story, 'IR001')) {
      steps.push({
        step: 'irsa-role-exists',
        title: 'The role exists',
        status: status(['IR002']),
        evidence: evidenceOf({ roleArn: i.roleArn }, 'IR002'),
        commands: [`aws iam get-role --role-name ${roleName(i.roleArn)}`],
      });
      steps.push({
        step: 'oidc-provider',
        title: "The cluster's OIDC issuer is registered as an IAM OIDC provider",
        status: status(['IR003']),
        evidence: evidenceOf({ issuer: story.cluster.oidcIssuer ?? null, providerArn: `arn:aws:iam::${story.cluster.account}:oidc-provider/${story.cluster.oidcIssuer}` }, 'IR003'),
        commands: [`aws iam list-open-id-connect-providers`, aws(story, `eks describe-cluster --name ${story.cluster.name} --query cluster.identity.oidc.issuer`)],
      });
      if (!has(story, 'IR002')) {
        steps.push({
          step: 'irsa-trust-policy',
          title: 'The trust policy allows AssumeRoleWithWebIdentity for this service account',
          status: status(['IR004', 'IR005']),
          evidence: evidenceOf({ roleArn: i.roleArn, trustPolicy: story.trustPolicy ?? webIdentityTrust(story.cluster, story.namespace, story.name), matchedStatementIndex: story.matchedStatementIndex ?? (has(story, 'IR004', 'IR005') ? null : 0) }, 'IR004', 'IR005'),
          commands: [`aws iam get-role --role-name ${roleName(i.roleArn)} --query Role.AssumeRolePolicyDocument`],
        });
      }
    }
    steps.push({
      step: 'irsa-pod-env',
      title: 'Running pods carry AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE',
      status: story.pods === null ? 'unknown' : status([], ['IR006']),
      evidence: story.pods === null ? { reason: 'Pods could not be read.' } : evidenceOf({ pods: story.pods.length, withEnv: story.pods.filter((p) => p.mechanism === 'irsa' || p.mechanism === 'both').length }, 'IR006'),
      commands: [kubectl(story, `${podsSelector} -o custom-columns=NAME:.metadata.name,ROLE:.spec.containers[*].env[?(@.name=="AWS_ROLE_ARN")].value`)],
    });
    steps.push({
      step: 'sts-mode',
      title: 'Pods use the desired STS endpoint mode',
      status: story.pods === null ? 'unknown' : status([], ['ST001', 'ST002']),
      evidence: evidenceOf({ annotation: story.stsAnnotation ?? null, desired: desiredSts(story), clusterDefault: story.cluster.stsRegionalDefault === undefined ? 'unknown' : story.cluster.stsRegionalDefault ? 'regional' : 'global' }, 'ST001', 'ST002'),
      commands: [kubectl(story, `${podsSelector} -o custom-columns=NAME:.metadata.name,STS:.spec.containers[*].env[?(@.name=="AWS_STS_REGIONAL_ENDPOINTS")].value`)],
    });
  }

  if (story.association && story.irsa) {
    steps.push({
      step: 'one-mechanism',
      title: 'Exactly one mechanism is configured',
      status: status([], ['ID001']),
      evidence: evidenceOf({ association: story.association.id, irsaRoleArn: story.irsa.roleArn }, 'ID001'),
      commands: [kubectl(story, `-n ${story.namespace} get serviceaccount ${story.name} -o yaml`)],
    });
  }
  const staticKeys = has(story, 'ID002');
  if (staticKeys) {
    steps.push({ step: 'static-keys', title: 'No static AWS access keys override the mechanism', status: 'fail', evidence: { finding: 'ID002', ...staticKeys.evidence }, commands: [kubectl(story, `${podsSelector} -o yaml | grep -n -A3 AWS_ACCESS_KEY_ID`)] });
  }
  if (!story.association && !story.irsa && !staticKeys) {
    steps.push({
      step: 'no-mechanism',
      title: 'No AWS identity is configured for this service account',
      status: 'pass',
      evidence: { association: null, 'eks.amazonaws.com/role-arn': null, note: 'Pods get no workload credentials; an SDK falls back to the node role through IMDS unless hop limits block it.' },
      commands: [aws(story, `eks list-pod-identity-associations --cluster-name ${story.cluster.name} --namespace ${story.namespace} --service-account ${story.name}`)],
    });
  }
  return steps;
}

function envFor(story: Story, pod: PodSpec): PodDetail['env'] {
  const env: PodDetail['env'] = [];
  const add = (name: string, value: string | null, source: PodDetail['env'][number]['source'] = 'value') => env.push({ container: 'app', name, value, source });
  if (story.cluster.region) {
    add('AWS_REGION', story.cluster.region);
    add('AWS_DEFAULT_REGION', story.cluster.region);
  }
  if (pod.mechanism === 'pod-identity' || pod.mechanism === 'both') {
    add('AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials');
    add('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token');
  }
  if ((pod.mechanism === 'irsa' || pod.mechanism === 'both') && story.irsa) {
    add('AWS_ROLE_ARN', story.irsa.roleArn);
    add('AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/secrets/eks.amazonaws.com/serviceaccount/token');
    if (pod.sts) add('AWS_STS_REGIONAL_ENDPOINTS', pod.sts);
  }
  if (pod.mechanism === 'static-keys') {
    add('AWS_ACCESS_KEY_ID', null, 'secret');
    add('AWS_SECRET_ACCESS_KEY', null, 'secret');
  }
  return env;
}

function podsOf(story: Story, now: number): PodDetail[] {
  return (story.pods ?? []).map((pod, index) => ({
    name: podName(story, index),
    namespace: story.namespace,
    node: pod.node ?? `ip-10-0-${(index * 37) % 250}-${(index * 91) % 250}.${story.cluster.region ?? 'local'}.compute.internal`,
    phase: pod.phase ?? 'Running',
    startTime: isoAgo(now, pod.startedAgoSeconds),
    mechanism: pod.mechanism,
    env: envFor(story, pod),
    stale: pod.stale ?? false,
    owner: { kind: 'ReplicaSet', name: `${story.name}-${podName(story, 0).split('-').slice(-2, -1)[0]}` },
    images: [
      {
        container: 'app',
        image: pod.image ?? `123456789012.dkr.ecr.us-east-1.amazonaws.com/${story.namespace}/${story.name}:1.${index + 4}.2`,
        sdkVerdicts: pod.tooOldSdk
          ? [{ sdk: 'aws-sdk-go (argoexec)', verdict: 'too-old', note: 'argoexec before v3.6.2 bundles an AWS SDK without the container credential provider Pod Identity needs.', source: 'https://github.com/argoproj/argo-workflows/issues/13003' }]
          : [{ sdk: 'image', verdict: 'unknown', note: 'Not in the SDK compatibility table; check the SDK version the image ships.' }],
      },
    ],
  }));
}

// ---- the stories ----

const pi = (n: number, stale = false, extra: Partial<PodSpec> = {}): PodSpec[] =>
  Array.from({ length: n }, (_, i) => ({ mechanism: 'pod-identity' as const, startedAgoSeconds: (i + 1) * 3 * HOUR, stale, ...extra }));
const ir = (n: number, sts: PodSpec['sts'] = 'regional', extra: Partial<PodSpec> = {}): PodSpec[] =>
  Array.from({ length: n }, (_, i) => ({ mechanism: 'irsa' as const, startedAgoSeconds: (i + 2) * 5 * HOUR, sts, ...extra }));
const none = (n: number): PodSpec[] => Array.from({ length: n }, (_, i) => ({ mechanism: 'none' as const, startedAgoSeconds: (i + 1) * DAY }));

function stories(): Story[] {
  const P = PROD.account!;
  const S = STAGING.account!;
  const L = LEGACY.account!;
  const list: Story[] = [
    // prod-use1: Pod Identity stories
    {
      cluster: PROD, namespace: 'payments', name: 'payments-api',
      association: { id: 'a-7rkq3vbyh2mzxw1p', roleArn: role(P, 'payments/payments-api'), createdAgoSeconds: 6 * HOUR },
      pods: [...pi(3, false, { startedAgoSeconds: 2 * HOUR }), { mechanism: 'none', stale: true, startedAgoSeconds: 9 * DAY, node: 'ip-10-0-12-40.us-east-1.compute.internal' }],
      roleLookup: 'found',
      findings: [{ code: 'PI005', title: '1 of 4 pods started before the association and lack the Pod Identity env', evidence: {}, action: undefined }],
    },
    {
      cluster: PROD, namespace: 'payments', name: 'ledger-worker',
      association: { id: 'a-2xdc9w0lq5ntzs8e', roleArn: role(P, 'payments/ledger-worker'), targetRoleArn: role('999988887777', 'ledger-cross-account'), createdAgoSeconds: 40 * DAY },
      pods: pi(2), roleLookup: 'found',
      findings: [{ code: 'PI012', title: "Target role ledger-cross-account does not trust ledger-worker", evidence: { targetRoleArn: role('999988887777', 'ledger-cross-account'), sourceRoleArn: role(P, 'payments/ledger-worker'), trustedPrincipals: [role('999988887777', 'ledger-admin')] }, action: { type: 'fix-trust-policy', params: { roleArn: role('999988887777', 'ledger-cross-account') } } }],
    },
    {
      cluster: PROD, namespace: 'payments', name: 'refunds',
      association: { id: 'a-5hq0m2kzr7c3vwyd', roleArn: role(P, 'payments/refunds-v2'), createdAgoSeconds: 3 * DAY },
      pods: pi(2), roleLookup: 'missing',
      findings: [{ code: 'PI001', title: 'Role payments/refunds-v2 does not exist', evidence: { roleArn: role(P, 'payments/refunds-v2'), error: { operation: 'GetRole', code: 'NoSuchEntity', message: 'The role with name refunds-v2 cannot be found.' } }, action: { type: 'update-association', params: { cluster: PROD.name, associationId: 'a-5hq0m2kzr7c3vwyd' } } }],
    },
    {
      cluster: PROD, namespace: 'payments', name: 'settlement',
      association: { id: 'a-0vh6s1t9n4bq2kzx', roleArn: role(P, 'payments/settlement'), createdAgoSeconds: 12 * DAY },
      pods: pi(3), roleLookup: 'found',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      matchedStatementIndex: null,
      findings: [{ code: 'PI002', title: 'Trust policy of settlement allows sts:AssumeRole but not sts:TagSession for pods.eks.amazonaws.com', evidence: { roleArn: role(P, 'payments/settlement'), statementsForPrincipal: 1, missingActions: ['sts:TagSession'] }, action: { type: 'fix-trust-policy', params: { roleArn: role(P, 'payments/settlement') } } }],
    },
    {
      cluster: PROD, namespace: 'checkout', name: 'cart',
      association: { id: 'a-9pl2w8xk0vj3mqr4', roleArn: role(P, 'checkout-cart'), createdAgoSeconds: 20 * DAY },
      pods: pi(4), roleLookup: 'found',
      trustPolicy: podIdentityTrust(),
      findings: [],
    },
    {
      cluster: PROD, namespace: 'checkout', name: 'pricing',
      association: { id: 'a-3mv8z1c0qk5rt7hw', roleArn: role(P, 'checkout-pricing'), createdAgoSeconds: 30 * DAY },
      pods: pi(6), roleLookup: 'found',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PodIdentity', Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:SourceAccount': '222233334444' } } }] },
      matchedStatementIndex: null,
      findings: [{ code: 'PI003', title: 'Trust condition aws:SourceAccount = 222233334444 cannot match cluster account 111122223333', evidence: { roleArn: role(P, 'checkout-pricing'), statementIndex: 0, conditionKey: 'aws:SourceAccount', operator: 'StringEquals', expected: '222233334444', actual: P }, action: { type: 'fix-trust-policy', params: { roleArn: role(P, 'checkout-pricing') } } }],
    },
    {
      cluster: PROD, namespace: 'data', name: 'argo-workflow',
      association: { id: 'a-6tn4y2b8c1mz0kqe', roleArn: role(P, 'argo-artifacts'), createdAgoSeconds: 15 * DAY },
      pods: pi(2, false, { image: 'quay.io/argoproj/argoexec:v3.5.8', tooOldSdk: true }), roleLookup: 'found',
      findings: [{ code: 'PI009', title: 'quay.io/argoproj/argoexec:v3.5.8 ships an AWS SDK too old for Pod Identity (needs v3.6.2+)', evidence: { images: ['quay.io/argoproj/argoexec:v3.5.8'], minimum: 'v3.6.2', source: 'https://github.com/argoproj/argo-workflows/issues/13003' } }],
    },
    {
      cluster: PROD, namespace: 'kube-system', name: 'ebs-csi-controller-sa',
      association: { id: 'a-1kq7v3x9p0zm2wne', roleArn: role(P, 'AmazonEKS_EBS_CSI_DriverRole'), ownerArn: `arn:aws:eks:us-east-1:${P}:addon/prod-use1/aws-ebs-csi-driver/b6c8a1e2-4d3f-5a6b-7c8d-9e0f1a2b3c4d`, createdAgoSeconds: 90 * DAY },
      pods: pi(2), roleLookup: 'found',
      findings: [{ code: 'PI011', title: 'Owned by the aws-ebs-csi-driver add-on: change it through the add-on', evidence: { ownerArn: `arn:aws:eks:us-east-1:${P}:addon/prod-use1/aws-ebs-csi-driver/b6c8a1e2-4d3f-5a6b-7c8d-9e0f1a2b3c4d` } }],
    },
    {
      cluster: PROD, namespace: 'search', name: 'indexer', exists: false,
      association: { id: 'a-8bw1r5y7t3qn6xmc', roleArn: role(P, 'search-indexer'), createdAgoSeconds: 2 * DAY },
      pods: [], roleLookup: 'found',
      findings: [{ code: 'PI007', title: 'Association for search/indexer, but service account indexer does not exist', evidence: { associationId: 'a-8bw1r5y7t3qn6xmc', namespaceExists: true, serviceAccountExists: false }, action: { type: 'delete-association', params: { cluster: PROD.name, associationId: 'a-8bw1r5y7t3qn6xmc' } } }],
    },
    {
      cluster: PROD, namespace: 'batch', name: 'nightly-export',
      association: { id: 'a-4fj9k2m6n8p1q3rs', roleArn: role(P, 'batch-export'), createdAgoSeconds: 8 * DAY },
      pods: pi(2, false, { node: 'fargate-ip-10-0-88-14.ec2.internal' }), roleLookup: 'found',
      findings: [{ code: 'PI006', title: '2 pods run on Fargate, where Pod Identity does not work', evidence: { nodes: [{ name: 'fargate-ip-10-0-88-14.ec2.internal', label: 'eks.amazonaws.com/compute-type=fargate' }] } }],
    },
    // prod-use1: IRSA stories
    {
      cluster: PROD, namespace: 'data', name: 'etl-runner', stsAnnotation: 'true',
      irsa: { roleArn: role(P, 'data-etl'), annotatedAgoSeconds: 5 * DAY },
      pods: ir(3, 'legacy'), roleLookup: 'found',
      findings: [{ code: 'ST001', title: 'Desired regional STS, but 3 running pods use legacy', evidence: { desired: 'regional', annotation: 'true', running: { regional: 0, legacy: 3, unset: 0 } }, action: undefined }],
    },
    {
      cluster: PROD, namespace: 'data', name: 'spark-operator', stsAnnotation: 'true',
      irsa: { roleArn: role(P, 'spark-operator') },
      pods: ir(2), roleLookup: 'found', findings: [],
    },
    {
      cluster: PROD, namespace: 'data', name: 'report-builder', stsAnnotation: 'false',
      irsa: { roleArn: role(P, 'report-builder') },
      pods: ir(1, null), roleLookup: 'found',
      findings: [{ code: 'ST002', title: 'STS regional endpoints turned off by annotation: AWS recommends regional', evidence: { annotation: 'false' }, action: { type: 'set-sts-regional-endpoints', params: { cluster: PROD.name, namespace: 'data', serviceAccount: 'report-builder', value: 'true' } } }],
    },
    {
      cluster: PROD, namespace: 'kube-system', name: 'aws-load-balancer-controller', stsAnnotation: 'true',
      irsa: { roleArn: role(P, 'AmazonEKSLoadBalancerControllerRole') },
      pods: ir(2), roleLookup: 'found', findings: [],
    },
    {
      cluster: PROD, namespace: 'kube-system', name: 'external-dns',
      irsa: { roleArn: role(P, 'external-dns') },
      pods: ir(1), roleLookup: 'found',
      trustPolicy: webIdentityTrust(PROD, 'kube-system', 'external-dns', 'system:serviceaccount:default:external-dns'),
      matchedStatementIndex: null,
      findings: [{ code: 'IR005', title: 'Trust condition sub = system:serviceaccount:default:external-dns excludes kube-system/external-dns', evidence: { conditionKey: `${PROD.oidcIssuer}:sub`, operator: 'StringEquals', expected: 'system:serviceaccount:default:external-dns', actual: 'system:serviceaccount:kube-system:external-dns' } }],
    },
    {
      cluster: PROD, namespace: 'observability', name: 'otel-collector',
      irsa: { roleArn: role(P, 'otel-collector'), tokenExpiration: 100_000 },
      pods: ir(3), roleLookup: 'found',
      findings: [{ code: 'IR007', title: 'eks.amazonaws.com/token-expiration "100000" is outside 600–86400', evidence: { annotation: 'eks.amazonaws.com/token-expiration', value: '100000', allowed: '600–86400' } }],
    },
    // prod-use1: both, static keys, none, snapshots
    {
      cluster: PROD, namespace: 'ml', name: 'trainer',
      association: { id: 'a-2sd8f4g6h0j1k3lz', roleArn: role(P, 'ml-trainer'), createdAgoSeconds: 4 * DAY },
      irsa: { roleArn: role(P, 'ml-trainer-irsa') },
      pods: [...pi(2, false, { startedAgoSeconds: 3 * DAY }), { mechanism: 'both', startedAgoSeconds: 6 * DAY, sts: 'regional' }], roleLookup: 'found',
      findings: [{ code: 'ID001', title: 'Both an association and an IRSA annotation: 2 pods get Pod Identity, 1 pod carries both and uses IRSA', evidence: { associationId: 'a-2sd8f4g6h0j1k3lz', irsaRoleArn: role(P, 'ml-trainer-irsa'), pods: { 'pod-identity': 2, both: 1 } }, action: { type: 'remove-irsa-annotation', params: { cluster: PROD.name, namespace: 'ml', serviceAccount: 'trainer' } } }],
    },
    {
      cluster: PROD, namespace: 'ml', name: 'feature-store',
      association: { id: 'a-6yu8io0pa2sd4fgh', roleArn: role(P, 'ml-feature-store'), createdAgoSeconds: 3 * HOUR },
      irsa: { roleArn: role(P, 'ml-feature-store-irsa') },
      pods: [{ mechanism: 'both', startedAgoSeconds: 2 * HOUR, sts: 'regional' }, { mechanism: 'both', startedAgoSeconds: 2 * HOUR, sts: 'regional' }], roleLookup: 'found',
      findings: [{ code: 'ID001', title: 'Both an association and an IRSA annotation: both pods carry both sets of env and use IRSA', evidence: { associationId: 'a-6yu8io0pa2sd4fgh', irsaRoleArn: role(P, 'ml-feature-store-irsa'), pods: { both: 2 }, effective: 'IRSA (web identity comes before container credentials in the SDK chain)' }, action: { type: 'delete-association', params: { cluster: PROD.name, associationId: 'a-6yu8io0pa2sd4fgh' } } }],
    },
    {
      cluster: PROD, namespace: 'ml', name: 'notebook',
      pods: [{ mechanism: 'static-keys', startedAgoSeconds: 20 * DAY }], findings: [{ code: 'ID002', title: 'Container app sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from Secret notebook-aws', evidence: { container: 'app', variables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], from: 'secretKeyRef notebook-aws' } }],
    },
    {
      cluster: PROD, namespace: 'restate', name: 'restate',
      association: { id: 'a-7ce3b5d9f1h2j4kl', roleArn: role(P, 'restate-snapshots'), createdAgoSeconds: 10 * DAY },
      pods: pi(3), roleLookup: 'found',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      matchedStatementIndex: null,
      snapshots: { state: 'stale', oldestAgeSeconds: 3 * DAY + 4 * HOUR, sources: ['s3://restate-snapshots-prod/restate'] },
      findings: [
        { code: 'PI002', title: 'Trust policy of restate-snapshots has no statement for pods.eks.amazonaws.com', evidence: { roleArn: role(P, 'restate-snapshots'), statementsForPrincipal: 0 }, action: { type: 'fix-trust-policy', params: { roleArn: role(P, 'restate-snapshots') } } },
        { code: 'SN006', title: 'Snapshots of s3://restate-snapshots-prod/restate are stale and their writer cannot get credentials (PI002)', evidence: { source: 's3://restate-snapshots-prod/restate', newestSnapshotAge: '3d 4h', writerFinding: 'PI002' }, action: { type: 'open-serviceaccount', params: { cluster: PROD.name, namespace: 'restate', serviceAccount: 'restate' } } },
      ],
    },
    { cluster: PROD, namespace: 'observability', name: 'grafana', pods: none(1), findings: [] },
    { cluster: PROD, namespace: 'payments', name: 'default', pods: none(0), findings: [] },

    // staging-euw1: old platform version, agent short of ready pods, OIDC provider never registered
    {
      cluster: STAGING, namespace: 'payments', name: 'payments-api',
      association: { id: 'a-0qw9e8r7t6y5u4ip', roleArn: role(S, 'payments/payments-api'), createdAgoSeconds: 2 * DAY },
      pods: pi(3, false, { node: 'ip-10-1-4-22.eu-west-1.compute.internal' }), roleLookup: 'found',
      findings: [{ code: 'PI004', title: 'No ready eks-pod-identity-agent on ip-10-1-4-22 (3 pods of this SA run there)', evidence: { nodes: [{ name: 'ip-10-1-4-22.eu-west-1.compute.internal', agentPod: 'eks-pod-identity-agent-7xk2q', ready: false, reason: 'CrashLoopBackOff' }] } }],
    },
    {
      cluster: STAGING, namespace: 'data', name: 'etl-runner',
      irsa: { roleArn: role(S, 'data-etl') },
      pods: ir(2, null), roleLookup: 'found',
      findings: [
        { code: 'IR003', title: `OIDC issuer ${STAGING.oidcIssuer} is not registered in account ${S}`, evidence: { issuer: STAGING.oidcIssuer, account: S, registeredProviders: ['oidc.eks.eu-west-1.amazonaws.com/id/1111AAAA2222BBBB3333CCCC4444DDDD'] } },
        { code: 'ST002', title: 'Cluster default is the global STS endpoint (Kubernetes 1.27, no annotation): AWS recommends regional', evidence: { annotation: null, clusterDefault: 'global', version: '1.27' }, action: { type: 'set-sts-regional-endpoints', params: { cluster: STAGING.name, namespace: 'data', serviceAccount: 'etl-runner', value: 'true' } } },
      ],
    },
    {
      cluster: STAGING, namespace: 'checkout', name: 'cart', stsAnnotation: 'true',
      irsa: { roleArn: role(S, 'checkout-cart-old') },
      pods: ir(2), roleLookup: 'missing',
      findings: [{ code: 'IR002', title: 'Role checkout-cart-old does not exist', evidence: { roleArn: role(S, 'checkout-cart-old'), error: { operation: 'GetRole', code: 'NoSuchEntity' } } }],
    },
    {
      cluster: STAGING, namespace: 'checkout', name: 'legacy-sync', stsAnnotation: 'true',
      irsa: { roleArn: `arn:aws:iam:${S}:role/legacy-sync` },
      pods: ir(1), findings: [{ code: 'IR001', title: 'eks.amazonaws.com/role-arn "arn:aws:iam:444455556666:role/legacy-sync" is not a valid IAM role ARN', evidence: { annotation: `arn:aws:iam:${S}:role/legacy-sync`, expected: 'arn:aws:iam::<12-digit account>:role/<name>' } }],
    },
    {
      cluster: STAGING, namespace: 'data', name: 'ingest', stsAnnotation: 'true',
      irsa: { roleArn: role(S, 'data-ingest'), annotatedAgoSeconds: 1 * DAY },
      pods: [...ir(1), { mechanism: 'none', stale: true, startedAgoSeconds: 4 * DAY }], roleLookup: 'found',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${S}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/1111AAAA2222BBBB3333CCCC4444DDDD` }, Action: 'sts:AssumeRoleWithWebIdentity' }] },
      matchedStatementIndex: null,
      findings: [
        { code: 'IR004', title: "Trust policy of data-ingest trusts another cluster's OIDC provider, not staging-euw1's", evidence: { expectedFederated: `arn:aws:iam::${S}:oidc-provider/${STAGING.oidcIssuer}`, trustedFederated: [`arn:aws:iam::${S}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/1111AAAA2222BBBB3333CCCC4444DDDD`] } },
        { code: 'IR006', title: '1 of 2 pods started before the annotation and lack AWS_ROLE_ARN', evidence: {}, action: undefined },
      ],
    },
    {
      cluster: STAGING, namespace: 'checkout', name: 'pricing',
      association: { id: 'a-5tg7yh9uj1ik3ol5', roleArn: role(S, 'checkout-pricing'), createdAgoSeconds: 9 * DAY },
      pods: pi(2), roleLookup: 'found', findings: [],
    },

    // legacy-apse1: associations but no agent add-on; GetRole denied for one role
    {
      cluster: LEGACY, namespace: 'orders', name: 'orders-api',
      association: { id: 'a-3ed5rf7tg9yh1uj2', roleArn: role(L, 'orders-api'), createdAgoSeconds: 14 * DAY },
      pods: pi(2), roleLookup: 'found',
      findings: [{ code: 'PI004', title: 'The cluster has no eks-pod-identity-agent add-on: no node can serve Pod Identity credentials', evidence: { addons: ['vpc-cni', 'coredns', 'kube-proxy'] } }],
    },
    {
      cluster: LEGACY, namespace: 'orders', name: 'notifier',
      association: { id: 'a-9ij8uh7yg6tf5rd4', roleArn: role(L, 'orders-notifier'), createdAgoSeconds: 14 * DAY },
      pods: pi(1), roleLookup: 'denied',
      findings: [{ code: 'PI004', title: 'The cluster has no eks-pod-identity-agent add-on: no node can serve Pod Identity credentials', evidence: { addons: ['vpc-cni', 'coredns', 'kube-proxy'] } }],
    },
    { cluster: LEGACY, namespace: 'orders', name: 'default', pods: none(2), findings: [] },

    // dr-usw2: the Kubernetes API is unreachable; rows come from the associations alone
    { cluster: DR, namespace: 'payments', name: 'payments-api', association: { id: 'a-1qa2ws3ed4rf5tg6', roleArn: role(P, 'payments/payments-api'), createdAgoSeconds: 60 * DAY }, pods: null, roleLookup: 'found', findings: [] },
    { cluster: DR, namespace: 'checkout', name: 'cart', association: { id: 'a-7yh8uj9ik0ol1pa2', roleArn: role(P, 'checkout-cart'), createdAgoSeconds: 60 * DAY }, pods: null, roleLookup: 'found', findings: [] },

    // edge-k3s: no EKS; a static-keys workload and an etcd snapshot writer
    { cluster: EDGE, namespace: 'iot', name: 'telemetry-uploader', pods: [{ mechanism: 'static-keys', startedAgoSeconds: 30 * DAY }, { mechanism: 'static-keys', startedAgoSeconds: 30 * DAY }], findings: [{ code: 'ID002', title: 'Container app sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from envFrom Secret iot-aws-creds', evidence: { container: 'app', variables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], from: 'envFrom secretRef iot-aws-creds' } }] },
    { cluster: EDGE, namespace: 'kube-system', name: 'etcd-snapshot', pods: none(1), snapshots: { state: 'failing', oldestAgeSeconds: 2 * DAY + 6 * HOUR, sources: ['edge-k3s/s3'] }, findings: [] },
    { cluster: EDGE, namespace: 'iot', name: 'default', pods: none(3), findings: [] },
  ];
  for (const story of list) for (const f of story.findings) if (f.action === undefined && (f.code === 'PI005' || f.code === 'IR006' || f.code === 'ST001')) f.action = rollPods(story);
  return list;
}

const TEAM_NAMESPACES = ['payments', 'checkout', 'data', 'search', 'identity', 'notifications', 'catalog', 'ml'];
const APP_NAMES = ['api', 'worker', 'scheduler', 'consumer', 'exporter', 'gateway'];

/** Healthy rows: what most of a real fleet looks like, so the broken ones have something to stand out against. */
function fillerStories(count: number): Story[] {
  const stories: Story[] = [];
  const eksClusters = [PROD, STAGING];
  for (let i = 0; i < count; i++) {
    const cluster = eksClusters[i % eksClusters.length];
    const namespace = TEAM_NAMESPACES[Math.floor(i / 2) % TEAM_NAMESPACES.length] + (i >= 96 ? `-${Math.floor(i / 96)}` : '');
    const name = `${namespace.split('-')[0]}-${APP_NAMES[Math.floor(i / 16) % APP_NAMES.length]}${i >= 16 * APP_NAMES.length ? `-${i}` : ''}`;
    const podCount = 1 + (i % 4);
    if (i % 3 === 0) {
      stories.push({ cluster, namespace, name, stsAnnotation: 'true', irsa: { roleArn: role(cluster.account!, `${namespace}-${name}`) }, pods: ir(podCount), roleLookup: 'found', findings: [] });
    } else if (i % 3 === 1) {
      stories.push({ cluster, namespace, name, association: { id: `a-fill${i.toString(36).padStart(12, '0')}`, roleArn: role(cluster.account!, `${namespace}-${name}`), createdAgoSeconds: 30 * DAY }, pods: pi(podCount), roleLookup: 'found', findings: [] });
    } else {
      stories.push({ cluster, namespace, name, pods: none(podCount), findings: [] });
    }
  }
  return stories;
}

/** Identities are unique per cluster/namespace/name: the first story for one wins (the hand-written ones come first). */
function uniqueStories(all: Story[]): Story[] {
  const seen = new Set<string>();
  return all.filter((s) => {
    const key = detailKey(s.cluster.name, s.namespace, s.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** PI005/IR006 evidence: the pods that lack the env, with their start times against the change they missed. */
function withStalePodEvidence(story: Story, now: number): void {
  const pods = podsOf(story, now);
  for (const finding of story.findings) {
    if (finding.code !== 'PI005' && finding.code !== 'IR006') continue;
    const changedAgo = finding.code === 'PI005' ? story.association?.createdAgoSeconds : story.irsa?.annotatedAgoSeconds;
    const missing = finding.code === 'PI005' ? ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'] : ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'];
    finding.evidence = {
      [finding.code === 'PI005' ? 'associationCreatedAt' : 'annotationChangedAt']: changedAgo === undefined ? null : isoAgo(now, changedAgo),
      missing,
      pods: pods.filter((pod) => pod.stale).map((pod) => ({ name: pod.name, node: pod.node, startTime: pod.startTime })),
    };
  }
}

function clusterFinding(cluster: string, code: string, title: string, evidence: Record<string, unknown>, action?: SuggestedAction): Finding {
  return { code, severity: catalogEntry(code)?.severity ?? 'warning', subject: { kind: 'cluster', cluster }, title, evidence, ...(action ? { action } : {}) };
}

function sourceErrors(): SourceError[] {
  return [
    { cluster: LEGACY.name, source: 'iam', operation: 'GetRole', code: 'AccessDenied', message: `User: arn:aws:sts::${LEGACY.account}:assumed-role/console-reader/console is not authorized to perform: iam:GetRole on resource: role orders-notifier`, missingPermission: 'iam:GetRole', subject: { roleArn: role(LEGACY.account!, 'orders-notifier') } },
    { cluster: DR.name, source: 'kubernetes', operation: 'list pods', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.20.0.10:443 (https://9D8C7B6A5F4E3D2C.gr7.us-west-2.eks.amazonaws.com)' },
    { cluster: DR.name, source: 'kubernetes', operation: 'list serviceaccounts', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.20.0.10:443 (https://9D8C7B6A5F4E3D2C.gr7.us-west-2.eks.amazonaws.com)' },
  ];
}

function clusterRows(errors: SourceError[], associationCounts: Map<string, number>): ClusterRow[] {
  const cl004 = (cluster: string) =>
    errors
      .filter((e) => e.cluster === cluster)
      .map((e) => clusterFinding(cluster, 'CL004', `${e.operation} failed: ${e.code}`, { source: e.source, operation: e.operation, code: e.code, message: e.message, ...(e.missingPermission ? { missingPermission: e.missingPermission } : {}) }));
  return [
    {
      name: PROD.name, kind: 'eks', region: PROD.region, account: PROD.account, version: '1.31', platformVersion: 'eks.12', stsRegionalDefault: true,
      oidcIssuer: `https://${PROD.oidcIssuer}`, oidcProviderRegistered: true,
      podIdentityAgent: { addonVersion: 'v1.3.4-eksbuild.1', desired: 6, ready: 6 }, associationCount: associationCounts.get(PROD.name) ?? 0,
      findings: [clusterFinding(PROD.name, 'PI008', 'Role orphan-exporter trusts Pod Identity but no association uses it', { roleArn: role(PROD.account!, 'orphan-exporter'), createDate: '2026-08-14T09:12:00Z' }, { type: 'create-association', params: { cluster: PROD.name, roleArn: role(PROD.account!, 'orphan-exporter') } })],
    },
    {
      name: STAGING.name, kind: 'eks', region: STAGING.region, account: STAGING.account, version: '1.27', platformVersion: 'eks.6', stsRegionalDefault: false,
      oidcIssuer: `https://${STAGING.oidcIssuer}`, oidcProviderRegistered: false,
      podIdentityAgent: { addonVersion: 'v1.0.0-eksbuild.1', desired: 3, ready: 2 }, associationCount: 912,
      findings: [
        clusterFinding(STAGING.name, 'PI010', '912 of 1000 Pod Identity associations used', { associationCount: 912, limit: 1000, threshold: 900 }),
        clusterFinding(STAGING.name, 'CL002', 'eks-pod-identity-agent: 2 of 3 pods ready', { desired: 3, ready: 2, notReady: [{ pod: 'eks-pod-identity-agent-7xk2q', node: 'ip-10-1-4-22.eu-west-1.compute.internal', reason: 'CrashLoopBackOff' }] }),
        clusterFinding(STAGING.name, 'CL003', 'Platform version eks.6 is below eks.8, the Pod Identity minimum for Kubernetes 1.27', { version: '1.27', platformVersion: 'eks.6', minimum: 'eks.8', source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html' }),
      ],
    },
    {
      name: LEGACY.name, kind: 'eks', region: LEGACY.region, account: LEGACY.account, version: '1.29', platformVersion: 'eks.9', stsRegionalDefault: true,
      oidcIssuer: `https://${LEGACY.oidcIssuer}`, oidcProviderRegistered: true,
      podIdentityAgent: { addonVersion: null, desired: null, ready: null }, associationCount: associationCounts.get(LEGACY.name) ?? 0,
      findings: [clusterFinding(LEGACY.name, 'CL001', `${associationCounts.get(LEGACY.name) ?? 0} associations but no eks-pod-identity-agent add-on`, { addons: ['vpc-cni', 'coredns', 'kube-proxy'] }), ...cl004(LEGACY.name)],
    },
    {
      name: DR.name, kind: 'eks', region: DR.region, account: DR.account, version: '1.31', platformVersion: 'eks.12', stsRegionalDefault: true,
      oidcIssuer: `https://${DR.oidcIssuer}`, oidcProviderRegistered: true,
      podIdentityAgent: { addonVersion: 'v1.3.4-eksbuild.1', desired: null, ready: null }, associationCount: associationCounts.get(DR.name) ?? 0,
      findings: cl004(DR.name),
    },
    { name: EDGE.name, kind: 'k3s', version: 'v1.30.6+k3s1', findings: [] },
  ];
}

export function buildDevFleet(now = Date.now(), fillerCount = Number(process.env.CONSOLE_DEV_FIXTURE_SCALE ?? 36)): DevFleet {
  const all = uniqueStories([...stories(), ...fillerStories(Number.isFinite(fillerCount) ? Math.max(0, fillerCount) : 36)]);
  for (const story of all) withStalePodEvidence(story, now);
  const rows = all.map(toRow);
  const details = new Map<string, ServiceAccountDetail>();
  for (const [index, story] of all.entries()) {
    details.set(detailKey(story.cluster.name, story.namespace, story.name), { ...rows[index], chain: chainOf(story, now), podDetails: podsOf(story, now) });
  }
  const associationCounts = new Map<string, number>();
  for (const story of all) if (story.association) associationCounts.set(story.cluster.name, (associationCounts.get(story.cluster.name) ?? 0) + 1);
  const errors = sourceErrors();
  return { collectedAt: new Date(now).toISOString(), clusters: clusterRows(errors, associationCounts), rows, details, errors };
}
