import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

// `npx tsx scripts/generate-demo-fleet.ts`: the demo's healthy bulk, so the UI is exercised at a realistic
// size (issue 2: "several hundred SAs and pods overall"). Writes the Kubernetes objects to
// sim/scenarios/demo-fleet/<cluster>.yaml (objectFiles of demo.yaml) and splices the IAM roles and Pod Identity
// associations they need into demo.yaml between "generated" markers; everything else in demo.yaml is left
// as written. Every service here is meant to be healthy: no finding may name one of them.
//
// How each identity is made healthy (shared/docs/domain.md):
// - Pod Identity (prod-use1): an association whose role trusts pods.eks.amazonaws.com with sts:AssumeRole and
//   sts:TagSession and no condition; pods are admitted after the association, so they carry the agent's env.
//   Every such role is used by an association (an unused one would be PI008).
// - IRSA (data-euw1): the role-arn annotation; the role trusts the cluster's registered OIDC provider with
//   sts:AssumeRoleWithWebIdentity, sub = system:serviceaccount:NS:NAME and aud = sts.amazonaws.com; regional
//   STS (the cluster default, or the annotation set to "true").
// - No AWS identity: plain service accounts (controllers, UIs, cluster add-ons that never call AWS).

type Identity = 'pod-identity' | 'irsa' | 'none';
type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'CronJob';

interface FleetService {
  namespace: string;
  name: string;
  image: string;
  identity: Identity;
  team: 'payments' | 'data' | 'platform';
  kind?: WorkloadKind;
  replicas?: number;
  /** IAM role name; defaults to "<namespace>-<name>". */
  roleName?: string;
  /** Extra service-account annotations (IRSA options that keep it healthy). */
  annotations?: Record<string, string>;
  schedule?: string;
}

interface FleetCluster {
  name: string;
  kind: 'eks' | 'k3s';
  account?: string;
  region?: string;
  oidcIssuer?: string;
  services: FleetService[];
}

const ROOT = path.join(__dirname, '..');
const SCENARIO = path.join(ROOT, 'sim', 'scenarios', 'demo.yaml');
const FLEET_DIR = path.join(ROOT, 'sim', 'scenarios', 'demo-fleet');

const PROD_ACCOUNT = '111122223333';
const DATA_ACCOUNT = '444455556666';
const DATA_ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C0FFEE0D4DA7A0000000000000DA7A1';
const PROD_ECR = `${PROD_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const DATA_ECR = `${DATA_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;

const svc = (
  namespace: string,
  team: FleetService['team'],
  identity: Identity,
  entries: [string, string, number?][],
  extra: Partial<FleetService> = {},
): FleetService[] => entries.map(([name, image, replicas]) => ({ namespace, name, image, identity, team, replicas, ...extra }));

// Cluster add-ons and shared tooling every EKS cluster runs; `identity` says which call AWS.
// The EKS add-on builds of kube-proxy and CoreDNS follow the cluster's Kubernetes minor version.
const EKS_ADDON_IMAGES: Record<string, { kubeProxy: string; coredns: string }> = {
  '1.30': { kubeProxy: 'v1.30.6-minimal-eksbuild.3', coredns: 'v1.11.1-eksbuild.13' },
  '1.31': { kubeProxy: 'v1.31.2-minimal-eksbuild.3', coredns: 'v1.11.3-eksbuild.2' },
};

function eksPlatform(
  ecrRegion: string,
  kubernetesVersion: string,
  identity: 'pod-identity' | 'irsa',
  cluster: string,
  alreadyRunning: string[] = [],
): FleetService[] {
  const eksEcr = `602401143452.dkr.ecr.${ecrRegion}.amazonaws.com`;
  const addonImages = EKS_ADDON_IMAGES[kubernetesVersion];
  if (!addonImages) throw new Error(`no EKS add-on image versions for Kubernetes ${kubernetesVersion}`);
  const services: FleetService[] = [
    ...svc('kube-system', 'platform', 'none', [
      ['coredns', `${eksEcr}/eks/coredns:${addonImages.coredns}`, 2],
      ['metrics-server', 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', 1],
    ]),
    {
      namespace: 'kube-system',
      name: 'kube-proxy',
      image: `${eksEcr}/eks/kube-proxy:${addonImages.kubeProxy}`,
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
    {
      namespace: 'kube-system',
      name: 'ebs-csi-node-sa',
      image: `${eksEcr}/eks/aws-ebs-csi-driver:v1.35.0`,
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
    {
      namespace: 'kube-system',
      name: 'aws-node',
      image: `${eksEcr}/amazon-k8s-cni:v1.18.5-eksbuild.1`,
      identity,
      team: 'platform',
      kind: 'DaemonSet',
      roleName: `AmazonEKSVPCCNIRole-${cluster}`,
    },
    {
      namespace: 'kube-system',
      name: 'aws-load-balancer-controller',
      image: 'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.3',
      identity,
      team: 'platform',
      replicas: 2,
      roleName: `AmazonEKSLoadBalancerControllerRole-${cluster}`,
    },
    {
      namespace: 'kube-system',
      name: 'ebs-csi-controller-sa',
      image: `${eksEcr}/eks/aws-ebs-csi-driver:v1.35.0`,
      identity,
      team: 'platform',
      replicas: 2,
      roleName: `AmazonEKS_EBS_CSI_DriverRole-${cluster}`,
    },
    {
      namespace: 'kube-system',
      name: 'efs-csi-controller-sa',
      image: `${eksEcr}/eks/aws-efs-csi-driver:v2.0.8`,
      identity,
      team: 'platform',
      replicas: 2,
      roleName: `AmazonEKS_EFS_CSI_DriverRole-${cluster}`,
    },
    ...svc('monitoring', 'platform', 'none', [
      ['prometheus-operator', 'quay.io/prometheus-operator/prometheus-operator:v0.77.1', 1],
      ['alertmanager', 'quay.io/prometheus/alertmanager:v0.27.0', 2],
      ['grafana', 'docker.io/grafana/grafana:11.2.2', 1],
      ['kube-state-metrics', 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0', 1],
      ['blackbox-exporter', 'quay.io/prometheus/blackbox-exporter:v0.25.0', 1],
      ['pushgateway', 'quay.io/prometheus/pushgateway:v1.10.0', 1],
    ]),
    {
      namespace: 'monitoring',
      name: 'prometheus',
      image: 'quay.io/prometheus/prometheus:v2.54.1',
      identity,
      team: 'platform',
      kind: 'StatefulSet',
      replicas: 2,
    },
    {
      namespace: 'monitoring',
      name: 'loki',
      image: 'docker.io/grafana/loki:3.2.0',
      identity,
      team: 'platform',
      kind: 'StatefulSet',
      replicas: 3,
    },
    {
      namespace: 'monitoring',
      name: 'tempo',
      image: 'docker.io/grafana/tempo:2.6.0',
      identity,
      team: 'platform',
      kind: 'StatefulSet',
      replicas: 2,
    },
    {
      namespace: 'monitoring',
      name: 'node-exporter',
      image: 'quay.io/prometheus/node-exporter:v1.8.2',
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
    {
      namespace: 'monitoring',
      name: 'fluent-bit',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2',
      identity,
      team: 'platform',
      kind: 'DaemonSet',
    },
    ...svc('ingress-nginx', 'platform', 'none', [
      ['ingress-nginx', 'registry.k8s.io/ingress-nginx/controller:v1.11.3', 2],
      ['ingress-nginx-admission', 'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4', 1],
    ]),
    ...svc('external-secrets', 'platform', 'none', [
      ['external-secrets-webhook', 'ghcr.io/external-secrets/external-secrets:v0.10.4', 1],
      ['external-secrets-cert-controller', 'ghcr.io/external-secrets/external-secrets:v0.10.4', 1],
    ]),
    {
      namespace: 'external-secrets',
      name: 'external-secrets',
      image: 'ghcr.io/external-secrets/external-secrets:v0.10.4',
      identity,
      team: 'platform',
      replicas: 2,
    },
    ...svc('argocd', 'platform', 'none', [
      ['argocd-server', 'quay.io/argoproj/argocd:v2.12.6', 2],
      ['argocd-repo-server', 'quay.io/argoproj/argocd:v2.12.6', 2],
      ['argocd-applicationset-controller', 'quay.io/argoproj/argocd:v2.12.6', 1],
      ['argocd-notifications-controller', 'quay.io/argoproj/argocd:v2.12.6', 1],
      ['argocd-dex-server', 'ghcr.io/dexidp/dex:v2.41.1', 1],
      ['argocd-redis', 'public.ecr.aws/docker/library/redis:7.4.1-alpine', 1],
    ]),
    {
      namespace: 'argocd',
      name: 'argocd-application-controller',
      image: 'quay.io/argoproj/argocd:v2.12.6',
      identity: 'none',
      team: 'platform',
      kind: 'StatefulSet',
      replicas: 1,
    },
    { namespace: 'velero', name: 'velero', image: 'docker.io/velero/velero:v1.14.1', identity, team: 'platform', replicas: 1 },
    {
      namespace: 'velero',
      name: 'velero-node-agent',
      image: 'docker.io/velero/velero:v1.14.1',
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
  ];
  return services.filter((s) => !alreadyRunning.includes(s.name));
}

const prodUse1: FleetCluster = {
  name: 'prod-use1',
  kind: 'eks',
  account: PROD_ACCOUNT,
  region: 'us-east-1',
  services: [
    // demo.yaml already runs ingress-nginx and metrics-server in the platform namespace.
    ...eksPlatform('us-east-1', '1.31', 'pod-identity', 'prod-use1', ['ingress-nginx', 'ingress-nginx-admission', 'metrics-server']),
    ...svc('payments', 'payments', 'pod-identity', [
      ['payouts', `${PROD_ECR}/payments/payouts:2.3.1`, 3],
      ['disputes', `${PROD_ECR}/payments/disputes:1.9.4`, 2],
      ['currency-rates', `${PROD_ECR}/payments/currency-rates:1.2.0`, 2],
      ['tax-engine', `${PROD_ECR}/payments/tax-engine:4.0.2`, 2],
      ['merchant-onboarding', `${PROD_ECR}/payments/merchant-onboarding:1.14.0`, 2],
      ['kyc-verifier', `${PROD_ECR}/payments/kyc-verifier:2.1.7`, 2],
      ['receipts', `${PROD_ECR}/payments/receipts:1.5.3`, 2],
      ['subscriptions', `${PROD_ECR}/payments/subscriptions:3.2.0`, 3],
      ['card-vault', `${PROD_ECR}/payments/card-vault:5.0.1`, 3],
      ['tokenizer', `${PROD_ECR}/payments/tokenizer:5.0.1`, 3],
      ['payment-links', `${PROD_ECR}/payments/payment-links:1.1.9`, 2],
      ['billing-events', `${PROD_ECR}/payments/billing-events:2.6.0`, 2],
      ['ledger-projector', `${PROD_ECR}/payments/ledger-projector:1.6.0`, 2],
      ['audit-trail', `${PROD_ECR}/payments/audit-trail:1.3.2`, 2],
      ['statements', `${PROD_ECR}/payments/statements:2.0.5`, 2],
      ['chargebacks', `${PROD_ECR}/payments/chargebacks:1.4.2`, 2],
      ['wallet', `${PROD_ECR}/payments/wallet:2.9.0`, 3],
      ['loyalty-points', `${PROD_ECR}/payments/loyalty-points:1.2.6`, 2],
      ['invoice-renderer', `${PROD_ECR}/payments/invoice-renderer:0.11.3`, 2],
      ['refund-worker', `${PROD_ECR}/payments/refund-worker:1.7.0`, 2],
      ['recon-matcher', `${PROD_ECR}/payments/recon-matcher:2.1.4`, 1],
    ]),
    ...svc('payments', 'payments', 'none', [
      ['admin-ui', `${PROD_ECR}/payments/admin-ui:7.4.0`, 2],
      ['idempotency-cache', 'public.ecr.aws/docker/library/redis:7.4.1-alpine', 1],
      ['merchant-portal', `${PROD_ECR}/payments/merchant-portal:5.2.0`, 2],
    ]),
    ...svc('payments-gateway', 'payments', 'pod-identity', [
      ['auth-gateway', `${PROD_ECR}/payments/auth-gateway:3.8.2`, 3],
      ['partner-api', `${PROD_ECR}/payments/partner-api:2.2.1`, 3],
      ['webhook-relay', `${PROD_ECR}/payments/webhook-relay:1.4.0`, 2],
    ]),
    ...svc('payments-gateway', 'payments', 'none', [
      ['edge-proxy', 'docker.io/envoyproxy/envoy:v1.31.3', 3],
      ['rate-limiter', 'docker.io/envoyproxy/ratelimit:1d3c5f0e', 2],
      ['pci-proxy', `${PROD_ECR}/payments/pci-proxy:1.0.9`, 2],
      ['bot-shield', `${PROD_ECR}/payments/bot-shield:0.6.2`, 2],
    ]),
    ...svc('payments-risk', 'payments', 'pod-identity', [
      ['risk-model-server', `${PROD_ECR}/payments/risk-model-server:0.18.2`, 3],
      ['feature-store-sync', `${PROD_ECR}/payments/feature-store-sync:0.9.0`, 1],
      ['velocity-checks', `${PROD_ECR}/payments/velocity-checks:1.7.3`, 2],
      ['sanctions-screening', `${PROD_ECR}/payments/sanctions-screening:2.4.0`, 2],
      ['device-fingerprint', `${PROD_ECR}/payments/device-fingerprint:1.1.0`, 2],
    ]),
    ...svc('payments-risk', 'payments', 'none', [
      ['rules-engine', `${PROD_ECR}/payments/rules-engine:4.1.1`, 2],
      ['alerts-consumer', `${PROD_ECR}/payments/alerts-consumer:1.0.8`, 1],
      ['case-manager', `${PROD_ECR}/payments/case-manager:3.0.2`, 1],
    ]),
    ...svc('payments-partners', 'payments', 'pod-identity', [
      ['bank-connector-eu', `${PROD_ECR}/payments/bank-connector:4.3.0`, 2],
      ['bank-connector-us', `${PROD_ECR}/payments/bank-connector:4.3.0`, 2],
      ['card-network-adapter', `${PROD_ECR}/payments/card-network-adapter:2.8.1`, 3],
      ['wallet-provider-sync', `${PROD_ECR}/payments/wallet-provider-sync:1.0.4`, 1],
      ['sftp-drop-poller', `${PROD_ECR}/payments/sftp-drop-poller:0.7.0`, 1],
      ['partner-reports', `${PROD_ECR}/payments/partner-reports:1.3.3`, 1],
    ]),
    ...svc('payments-partners', 'payments', 'none', [
      ['partner-sandbox', `${PROD_ECR}/payments/partner-sandbox:1.3.3`, 1],
      ['mock-acquirer', `${PROD_ECR}/payments/mock-acquirer:0.2.0`, 1],
    ]),
    ...svc(
      'payments-batch',
      'payments',
      'pod-identity',
      [
        ['fx-snapshot', `${PROD_ECR}/payments/fx-snapshot:1.2.0`],
        ['eod-report', `${PROD_ECR}/payments/eod-report:3.1.0`],
      ],
      { kind: 'CronJob', schedule: '15 0 * * *' },
    ),
    ...svc('platform', 'platform', 'pod-identity', [
      ['crossplane', 'xpkg.upbound.io/crossplane/crossplane:v1.17.1', 1],
      ['atlantis', 'ghcr.io/runatlantis/atlantis:v0.30.0', 1],
      ['image-sync', `${PROD_ECR}/platform/image-sync:0.4.2`, 1],
      ['cost-exporter', `${PROD_ECR}/platform/cost-exporter:0.3.1`, 1],
    ]),
    ...svc('platform', 'platform', 'none', [
      ['backstage', `${PROD_ECR}/platform/backstage:1.32.0`, 2],
      ['goldilocks', 'us-docker.pkg.dev/fairwinds-ops/oss/goldilocks:v4.13.0', 1],
      ['vpa-recommender', 'registry.k8s.io/autoscaling/vpa-recommender:1.2.1', 1],
      ['kyverno-background-controller', 'ghcr.io/kyverno/background-controller:v1.12.6', 1],
      ['kyverno-cleanup-controller', 'ghcr.io/kyverno/cleanup-controller:v1.12.6', 1],
      ['reloader', 'ghcr.io/stakater/reloader:v1.1.0', 1],
      ['descheduler', 'registry.k8s.io/descheduler/descheduler:v0.31.0', 1],
    ]),
    {
      namespace: 'platform',
      name: 'node-problem-detector',
      image: 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20',
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
  ],
};

const irsa = (namespace: string, entries: [string, string, number?][], annotations?: Record<string, string>) =>
  svc(namespace, 'data', 'irsa', entries, annotations ? { annotations } : {});

const dataEuw1: FleetCluster = {
  name: 'data-euw1',
  kind: 'eks',
  account: DATA_ACCOUNT,
  region: 'eu-west-1',
  oidcIssuer: DATA_ISSUER,
  services: [
    ...eksPlatform('eu-west-1', '1.30', 'irsa', 'data-euw1'),
    {
      namespace: 'kube-system',
      name: 'cluster-autoscaler',
      image: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.30.2',
      identity: 'irsa',
      team: 'platform',
      replicas: 1,
      roleName: 'cluster-autoscaler-data-euw1',
    },
    ...irsa('data', [
      ['feature-store', `${DATA_ECR}/data/feature-store:2.4.1`, 2],
      ['model-registry', `${DATA_ECR}/data/model-registry:1.8.0`, 1],
      ['dbt-runner', `${DATA_ECR}/data/dbt-runner:1.8.7`, 1],
      ['great-expectations', `${DATA_ECR}/data/great-expectations:1.1.3`, 1],
      ['trino-coordinator', 'docker.io/trinodb/trino:463', 1],
      ['trino-worker', 'docker.io/trinodb/trino:463', 3],
      ['spark-history', `${DATA_ECR}/data/spark:3.5.3`, 1],
      ['reverse-etl', `${DATA_ECR}/data/reverse-etl:0.12.0`, 1],
      ['airflow-worker', 'docker.io/apache/airflow:2.10.3', 3],
      ['airflow-triggerer', 'docker.io/apache/airflow:2.10.3', 1],
      ['dagster-daemon', 'docker.io/dagster/dagster-celery-k8s:1.9.2', 1],
      ['datahub-gms', 'docker.io/acryldata/datahub-gms:v0.14.1', 1],
    ]),
    ...irsa(
      'data',
      [
        ['spark-operator', 'docker.io/kubeflow/spark-operator:2.0.2', 1],
        ['data-quality-api', `${DATA_ECR}/data/data-quality-api:0.7.1`, 2],
      ],
      { 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
    ),
    ...svc('data', 'data', 'none', [
      ['schema-registry', 'docker.io/confluentinc/cp-schema-registry:7.7.1', 2],
      ['metabase', 'docker.io/metabase/metabase:v0.51.2', 1],
      ['openlineage-proxy', `${DATA_ECR}/data/openlineage-proxy:1.23.0`, 1],
      ['datahub-frontend', 'docker.io/acryldata/datahub-frontend-react:v0.14.1', 1],
      ['superset-worker', 'docker.io/apache/superset:4.0.2', 2],
    ]),
    ...irsa('data-pipelines', [
      ['ingest-clickstream', `${DATA_ECR}/data/ingest:5.2.0`, 2],
      ['ingest-orders', `${DATA_ECR}/data/ingest:5.2.0`, 2],
      ['ingest-payments', `${DATA_ECR}/data/ingest:5.2.0`, 2],
      ['ingest-crm', `${DATA_ECR}/data/ingest:5.2.0`, 1],
      ['dedupe', `${DATA_ECR}/data/dedupe:1.3.0`, 1],
      ['partitioner', `${DATA_ECR}/data/partitioner:0.8.4`, 1],
      ['ingest-inventory', `${DATA_ECR}/data/ingest:5.2.0`, 1],
      ['ingest-shipping', `${DATA_ECR}/data/ingest:5.2.0`, 1],
    ]),
    ...irsa(
      'data-pipelines',
      [
        ['export-finance', `${DATA_ECR}/data/export:2.0.1`, 1],
        ['export-partners', `${DATA_ECR}/data/export:2.0.1`, 1],
        ['export-marketing', `${DATA_ECR}/data/export:2.0.1`, 1],
      ],
      { 'eks.amazonaws.com/token-expiration': '43200' },
    ),
    ...irsa('data-ml', [
      ['training-controller', `${DATA_ECR}/ml/training-controller:0.14.0`, 1],
      ['inference-gateway', `${DATA_ECR}/ml/inference-gateway:1.3.2`, 3],
      ['embeddings-worker', `${DATA_ECR}/ml/embeddings-worker:0.6.1`, 2],
      ['mlflow', 'ghcr.io/mlflow/mlflow:v2.17.2', 1],
      ['batch-scoring', `${DATA_ECR}/ml/batch-scoring:0.9.3`, 1],
      ['drift-monitor', `${DATA_ECR}/ml/drift-monitor:0.4.0`, 1],
      ['ray-head', 'docker.io/rayproject/ray:2.39.0', 1],
      ['ray-worker', 'docker.io/rayproject/ray:2.39.0', 3],
    ]),
    ...irsa('data-analytics', [
      ['cohort-builder', `${DATA_ECR}/analytics/cohort-builder:1.5.0`, 1],
      ['attribution', `${DATA_ECR}/analytics/attribution:2.0.3`, 1],
      ['forecasting', `${DATA_ECR}/analytics/forecasting:0.9.8`, 1],
      ['ab-test-analyzer', `${DATA_ECR}/analytics/ab-test-analyzer:1.1.2`, 1],
      ['report-scheduler', `${DATA_ECR}/analytics/report-scheduler:3.4.0`, 1],
    ]),
    ...svc('data-analytics', 'data', 'none', [
      ['notebook-hub', 'quay.io/jupyterhub/k8s-hub:3.3.8', 1],
      ['query-cache', 'public.ecr.aws/docker/library/redis:7.4.1-alpine', 1],
      ['docs-site', `${DATA_ECR}/analytics/docs-site:2026.11.1`, 1],
    ]),
    ...svc('data-ml', 'data', 'none', [
      ['notebook-culler', `${DATA_ECR}/ml/notebook-culler:0.3.0`, 1],
      ['label-studio', 'docker.io/heartexlabs/label-studio:1.13.1', 1],
    ]),
    ...irsa('data-streaming', [
      ['kafka-connect', 'docker.io/confluentinc/cp-kafka-connect:7.7.1', 3],
      ['debezium', 'quay.io/debezium/server:2.7.3.Final', 1],
      ['flink-jobmanager', 'docker.io/library/flink:1.20.0', 1],
      ['flink-taskmanager', 'docker.io/library/flink:1.20.0', 3],
      ['stream-archiver', `${DATA_ECR}/data/stream-archiver:1.1.0`, 1],
    ]),
    ...svc('data-streaming', 'data', 'none', [
      ['kafka-ui', 'docker.io/provectuslabs/kafka-ui:v0.7.2', 1],
      ['cruise-control', 'docker.io/linkedin/cruise-control:2.5.138', 1],
    ]),
  ],
};

const edgeK3s: FleetCluster = {
  name: 'edge-k3s',
  kind: 'k3s',
  services: [
    ...svc('kube-system', 'platform', 'none', [
      ['coredns', 'rancher/mirrored-coredns-coredns:1.11.3', 1],
      ['local-path-provisioner-service-account', 'rancher/local-path-provisioner:v0.0.30', 1],
      ['metrics-server', 'rancher/mirrored-metrics-server:v0.7.2', 1],
      ['traefik', 'rancher/mirrored-library-traefik:2.11.10', 1],
      ['helm-controller', 'rancher/helm-controller:v0.16.5', 1],
      ['system-upgrade', 'rancher/system-upgrade-controller:v0.14.2', 1],
    ]),
    { namespace: 'kube-system', name: 'svclb', image: 'rancher/klipper-lb:v0.4.9', identity: 'none', team: 'platform', kind: 'DaemonSet' },
    ...svc('edge', 'platform', 'none', [
      ['mqtt-broker', 'docker.io/eclipse-mosquitto:2.0.20', 1],
      ['telemetry-forwarder', 'registry.example.com/edge/telemetry-forwarder:0.9.2', 2],
      ['ota-updater', 'registry.example.com/edge/ota-updater:1.4.0', 1],
      ['camera-ingest', 'registry.example.com/edge/camera-ingest:0.5.7', 2],
      ['plc-bridge', 'registry.example.com/edge/plc-bridge:2.2.1', 1],
      ['local-historian', 'docker.io/timescale/timescaledb:2.17.1-pg16', 1],
      ['edge-ui', 'registry.example.com/edge/edge-ui:1.8.0', 1],
      ['modbus-gateway', 'registry.example.com/edge/modbus-gateway:1.0.3', 1],
      ['video-retention', 'registry.example.com/edge/video-retention:0.3.8', 1],
      ['vpn-gateway', 'docker.io/linuxserver/wireguard:1.0.20210914', 1],
    ]),
    ...svc('monitoring', 'platform', 'none', [
      ['prometheus-agent', 'quay.io/prometheus/prometheus:v2.54.1', 1],
      ['kube-state-metrics', 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0', 1],
    ]),
    {
      namespace: 'monitoring',
      name: 'node-exporter',
      image: 'quay.io/prometheus/node-exporter:v1.8.2',
      identity: 'none',
      team: 'platform',
      kind: 'DaemonSet',
    },
    ...svc('fleet-agent', 'platform', 'none', [['fleet-agent', 'rancher/fleet-agent:v0.10.4', 1]]),
    ...svc('line-2', 'platform', 'none', [
      ['conveyor-controller', 'registry.example.com/edge/conveyor-controller:3.1.0', 1],
      ['quality-camera', 'registry.example.com/edge/camera-ingest:0.5.7', 1],
      ['scale-reader', 'registry.example.com/edge/scale-reader:1.0.1', 1],
      ['label-printer', 'registry.example.com/edge/label-printer:0.8.0', 1],
    ]),
  ],
};

const CLUSTERS = [prodUse1, dataEuw1, edgeK3s];

function roleNameOf(service: FleetService): string {
  return service.roleName ?? `${service.namespace}-${service.name}`.slice(0, 64);
}

function roleArnOf(cluster: FleetCluster, service: FleetService): string {
  return `arn:aws:iam::${cluster.account}:role/${roleNameOf(service)}`;
}

/** A stable age per service (20 to 400 days), so `kubectl get` and the console show a fleet that grew over time. */
function createdAt(service: FleetService): string {
  let hash = 0;
  for (const char of `${service.namespace}/${service.name}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `-${20 + (hash % 381)}d`;
}

function labelsOf(service: FleetService): Record<string, string> {
  return { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': service.namespace, team: service.team };
}

function serviceAccountOf(cluster: FleetCluster, service: FleetService): Record<string, unknown> {
  const annotations: Record<string, string> =
    service.identity === 'irsa' ? { 'eks.amazonaws.com/role-arn': roleArnOf(cluster, service), ...(service.annotations ?? {}) } : {};
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: service.name,
      namespace: service.namespace,
      labels: labelsOf(service),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      creationTimestamp: createdAt(service),
    },
  };
}

function workloadOf(service: FleetService): Record<string, unknown> {
  const kind = service.kind ?? 'Deployment';
  const selector = { matchLabels: { 'app.kubernetes.io/name': service.name } };
  const podSpec = {
    serviceAccountName: service.name,
    containers: [
      { name: service.name.replace(/-sa$/, ''), image: service.image, resources: { requests: { cpu: '100m', memory: '128Mi' } } },
    ],
  };
  const template = { metadata: { labels: labelsOf(service) }, spec: podSpec };
  const metadata = {
    name: service.name.replace(/-sa$/, ''),
    namespace: service.namespace,
    labels: labelsOf(service),
    creationTimestamp: createdAt(service),
  };
  if (kind === 'CronJob') {
    return {
      apiVersion: 'batch/v1',
      kind,
      metadata,
      spec: {
        schedule: service.schedule ?? '0 * * * *',
        jobTemplate: { spec: { template: { metadata: template.metadata, spec: { ...podSpec, restartPolicy: 'OnFailure' } } } },
      },
    };
  }
  if (kind === 'DaemonSet') return { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } };
  if (kind === 'StatefulSet')
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata,
      spec: { replicas: service.replicas ?? 1, serviceName: service.name, selector, template },
    };
  return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: service.replicas ?? 2, selector, template } };
}

const PI_TRUST: Record<string, unknown> = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

function irsaTrust(cluster: FleetCluster, service: FleetService) {
  const issuer = cluster.oidcIssuer!.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${cluster.account}:oidc-provider/${issuer}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${service.namespace}:${service.name}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

function flow(value: unknown): string {
  return YAML.stringify(value, { collectionStyle: 'flow', lineWidth: 0, defaultStringType: 'PLAIN' }).trim();
}

/** One flow-style line per list item: compact, and each role or association reads on its own line. */
function flowItems(items: Record<string, unknown>[], indent: string): string {
  return items.map((item) => `${indent}- ${flow(item)}`).join('\n');
}

/** Roles, one a line; Pod Identity roles share one trust policy through a YAML anchor. */
function roleLines(roles: { name: string; trustPolicy: unknown; tags: Record<string, string> }[], indent: string): string {
  let anchored = false;
  return roles
    .map((role) => {
      let trust = flow(role.trustPolicy);
      if (role.trustPolicy === PI_TRUST) {
        trust = anchored ? '*fleet-pod-identity-trust' : `&fleet-pod-identity-trust ${trust}`;
        anchored = true;
      }
      return `${indent}- { name: ${role.name}, trustPolicy: ${trust}, tags: ${flow(role.tags)} }`;
    })
    .join('\n');
}

const BEGIN = '# >>> generated by scripts/generate-demo-fleet.ts:';
const END = '# <<< end of generated block';

/** Replaces (or first inserts, before the line matching `before`) the marked block named `name`. */
function splice(
  text: string,
  name: string,
  indent: string,
  body: string,
  before: (line: string, index: number, lines: string[]) => boolean,
): string {
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.trim() === `${BEGIN} ${name}`);
  const block = [`${indent}${BEGIN} ${name}`, ...body.split('\n'), `${indent}${END}`];
  if (begin >= 0) {
    const end = lines.findIndex((l, i) => i > begin && l.trim() === END);
    if (end < 0) throw new Error(`demo.yaml: the generated block "${name}" has no end marker`);
    lines.splice(begin, end - begin + 1, ...block);
  } else {
    const at = lines.findIndex(before);
    if (at < 0) throw new Error(`demo.yaml: found no place for the generated block "${name}"`);
    lines.splice(at, 0, ...block);
  }
  return lines.join('\n');
}

function main() {
  let scenario = fs.readFileSync(SCENARIO, 'utf8');
  const parsed = YAML.parse(scenario, { maxAliasCount: 10_000 }) as {
    accounts: { id: string; roles?: { name: string }[] }[];
    clusters: { name: string }[];
  };
  fs.mkdirSync(FLEET_DIR, { recursive: true });
  const rolesByAccount = new Map<string, { name: string; trustPolicy: unknown; tags: Record<string, string> }[]>();
  const associationsByCluster = new Map<string, Record<string, unknown>[]>();
  for (const cluster of CLUSTERS) {
    const objects: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const service of cluster.services) {
      const key = `${service.namespace}/${service.name}`;
      if (!seen.has(key)) objects.push(serviceAccountOf(cluster, service));
      seen.add(key);
      objects.push(workloadOf(service));
      if (service.identity === 'none' || seen.has(`role:${key}`)) continue;
      seen.add(`role:${key}`);
      const roles = rolesByAccount.get(cluster.account!) ?? [];
      roles.push({
        name: roleNameOf(service),
        trustPolicy: service.identity === 'irsa' ? irsaTrust(cluster, service) : PI_TRUST,
        tags: { team: service.team, cluster: cluster.name },
      });
      rolesByAccount.set(cluster.account!, roles);
      if (service.identity === 'pod-identity') {
        const associations = associationsByCluster.get(cluster.name) ?? [];
        associations.push({
          namespace: service.namespace,
          serviceAccount: service.name,
          roleArn: roleArnOf(cluster, service),
          createdAt: createdAt(service),
        });
        associationsByCluster.set(cluster.name, associations);
      }
    }
    const header = `# Generated by scripts/generate-demo-fleet.ts for demo.yaml (${cluster.name}): healthy services at a realistic size. Do not edit by hand.\n`;
    fs.writeFileSync(
      path.join(FLEET_DIR, `${cluster.name}.yaml`),
      header + objects.map((o) => YAML.stringify(o, { lineWidth: 0 })).join('---\n'),
    );
  }

  // The hand-written stories keep their objects: a generated service account must not take one's name.
  for (const cluster of CLUSTERS) {
    const handWritten = new Set(
      (
        (
          parsed.clusters.find((c) => c.name === cluster.name) as
            { objects?: { kind: string; metadata: { name: string; namespace?: string } }[] } | undefined
        )?.objects ?? []
      )
        .filter((o) => o.kind === 'ServiceAccount')
        .map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`),
    );
    for (const service of cluster.services) {
      if (handWritten.has(`${service.namespace}/${service.name}`))
        throw new Error(`demo.yaml already has the service account ${cluster.name}/${service.namespace}/${service.name}`);
    }
  }

  // Hand-written roles must not collide with generated ones (a duplicate name is a scenario error anyway).
  const generatedNames = new Set([...rolesByAccount.values()].flat().map((r) => r.name));
  for (const account of parsed.accounts) {
    for (const role of account.roles ?? []) {
      if (generatedNames.has(role.name) && !scenario.includes(`${BEGIN} roles ${account.id}`))
        throw new Error(`demo.yaml already has a role named ${role.name}`);
    }
  }

  for (const [account, roles] of rolesByAccount) {
    const accountLine = `- id: '${account}'`;
    // Insert at the end of this account's roles: before the next account, its oidcProviders, or `clusters:`.
    scenario = splice(scenario, `roles ${account}`, '  ', roleLines(roles, '  '), (line, index, lines) => {
      const start = lines.indexOf(accountLine);
      return start >= 0 && index > start && (line.startsWith('- id:') || line === '  oidcProviders:' || line === 'clusters:');
    });
  }
  for (const cluster of CLUSTERS) {
    const clusterLine = `- name: ${cluster.name}`;
    const clusterStart = (lines: string[]) => lines.findIndex((l, i) => l === clusterLine && lines.slice(0, i).includes('clusters:'));
    const associations = associationsByCluster.get(cluster.name);
    if (associations) {
      scenario = splice(scenario, `associations ${cluster.name}`, '  ', flowItems(associations, '  '), (line, index, lines) => {
        const start = clusterStart(lines);
        // After the cluster's own associations: the next key at cluster level after podIdentityAssociations.
        const list = lines.findIndex((l, i) => i > start && l === '  podIdentityAssociations:');
        return start >= 0 && list > start && index > list && /^ {2}[a-zA-Z]/.test(line);
      });
    }
    scenario = splice(
      scenario,
      `objectFiles ${cluster.name}`,
      '  ',
      `  objectFiles:\n  - demo-fleet/${cluster.name}.yaml`,
      (line, index, lines) => {
        const start = clusterStart(lines);
        return start >= 0 && index > start && line === '  objects:';
      },
    );
  }
  fs.writeFileSync(SCENARIO, scenario);
  const serviceAccounts = CLUSTERS.reduce((n, c) => n + new Set(c.services.map((s) => `${s.namespace}/${s.name}`)).size, 0);
  const associationCount = [...associationsByCluster.values()].reduce((n, a) => n + a.length, 0);
  const roleCount = [...rolesByAccount.values()].reduce((n, r) => n + r.length, 0);
  console.log(
    `demo fleet: ${serviceAccounts} service accounts, ${roleCount} roles, ${associationCount} associations → ${path.relative(ROOT, FLEET_DIR)}/ and demo.yaml`,
  );
}

main();
