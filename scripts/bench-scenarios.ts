import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

// Generated scenarios for the benchmarks, written to a temp dir: the sim's `generate` block builds the
// filler objects (sim/README.md), so the files stay small.

const PI_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

export interface GeneratedCluster {
  name: string;
  namespaces: number;
  serviceAccountsPerNamespace: number;
  podsPerServiceAccount: number;
  associationsPerNamespace: number;
}

export function writeBenchScenario(options: {
  clusters: GeneratedCluster[];
  awsLatencyMs?: number;
  s3LatencyMs?: number;
  buckets?: { name: string; objects: { key: string; json: unknown; lastModified?: string }[] }[];
  /** The account's customer managed policies and roles besides the generated ones (bench permissions). */
  managedPolicies?: unknown[];
  roles?: unknown[];
  /** More operations that get `awsLatencyMs` (e.g. the IAM policy reads). */
  moreAwsOperations?: [string, string][];
}): string {
  const account = '111122223333';
  const awsOperations: [string, string][] = [
    ['eks', 'DescribeCluster'],
    ['eks', 'ListAddons'],
    ['eks', 'DescribeAddon'],
    ['eks', 'ListPodIdentityAssociations'],
    ['eks', 'DescribePodIdentityAssociation'],
    ['iam', 'GetRole'],
    ['iam', 'ListRoles'],
    ['iam', 'ListOpenIDConnectProviders'],
    ['iam', 'GetOpenIDConnectProvider'],
    ...(options.moreAwsOperations ?? []),
  ];
  const s3Operations = ['ListObjectsV2', 'GetObject', 'HeadObject'];
  const faults = [
    ...(options.awsLatencyMs ? awsOperations.map(([service, operation]) => ({ service, operation, latencyMs: options.awsLatencyMs })) : []),
    ...(options.s3LatencyMs ? s3Operations.map((operation) => ({ service: 's3', operation, latencyMs: options.s3LatencyMs })) : []),
  ];
  const scenario = {
    description: 'generated for npm run bench',
    accounts: [
      {
        id: account,
        ...(options.managedPolicies ? { managedPolicies: options.managedPolicies } : {}),
        roles: [{ name: 'bench-unused-pod-identity-role', trustPolicy: PI_TRUST }, ...(options.roles ?? [])],
      },
    ],
    buckets: options.buckets ?? [],
    clusters: options.clusters.map((cluster) => ({
      name: cluster.name,
      kind: 'eks',
      account,
      region: 'us-east-1',
      version: '1.31',
      platformVersion: 'eks.12',
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      generate: {
        namespaces: cluster.namespaces,
        serviceAccountsPerNamespace: cluster.serviceAccountsPerNamespace,
        podsPerServiceAccount: cluster.podsPerServiceAccount,
        associationsPerNamespace: cluster.associationsPerNamespace,
      },
    })),
    faults,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-bench-'));
  const file = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(file, YAML.stringify(scenario, { aliasDuplicateObjects: false }));
  return file;
}

export interface FleetShape {
  clusters: number;
  accounts: number;
  namespacesPerCluster: number;
  serviceAccountsPerNamespace: number;
  podsPerServiceAccount: number;
  associationsPerNamespace: number;
  awsLatencyMs: number;
  /** eks:DescribePodIdentityAssociation calls per second and account (the sim's rateLimits). */
  describeRatePerSecond: number;
}

export interface FleetScenario {
  file: string;
  /** Account ids; the console acts as the first one's root, and assumes `readerRoleName` in the others. */
  accounts: string[];
  readerRoleName: string;
  clusters: { name: string; account: string; region: string }[];
}

/**
 * Issue 17's fleet: clusters spread round-robin over accounts, each a generated cluster whose associations use
 * roles of its own account; `latencyMs` on every EKS, IAM and STS call, and the per-account describe rate.
 */
export function writeFleetScenario(shape: FleetShape): FleetScenario {
  const accounts = Array.from({ length: shape.accounts }, (_, i) => String(111122223333 + i * 111111111111).padStart(12, '0'));
  const readerRoleName = 'bench-console-reader';
  const region = 'us-east-1';
  const clusters = Array.from({ length: shape.clusters }, (_, i) => ({
    name: `fleet-${String(i).padStart(2, '0')}`,
    account: accounts[i % accounts.length],
    region,
  }));
  const readerTrust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accounts[0]}:root` }, Action: 'sts:AssumeRole' }],
  };
  const readerPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['eks:Describe*', 'eks:List*', 'iam:Get*', 'iam:List*'], Resource: '*' }],
  };
  const scenario = {
    description: `generated for npm run bench -- fleet: ${shape.clusters} clusters over ${shape.accounts} accounts`,
    accounts: accounts.map((id, i) => ({
      id,
      roles: [
        { name: 'bench-unused-pod-identity-role', trustPolicy: PI_TRUST },
        ...(i > 0 ? [{ name: readerRoleName, trustPolicy: readerTrust, inlinePolicies: { read: readerPolicy } }] : []),
      ],
    })),
    clusters: clusters.map((cluster) => ({
      name: cluster.name,
      kind: 'eks',
      account: cluster.account,
      region,
      version: '1.31',
      platformVersion: 'eks.12',
      addons: [{ name: 'eks-pod-identity-agent', version: 'v1.3.4-eksbuild.1' }],
      generate: {
        namespaces: shape.namespacesPerCluster,
        serviceAccountsPerNamespace: shape.serviceAccountsPerNamespace,
        podsPerServiceAccount: shape.podsPerServiceAccount,
        associationsPerNamespace: shape.associationsPerNamespace,
      },
    })),
    faults: shape.awsLatencyMs
      ? (['eks', 'iam', 'sts'] as const).map((service) => ({ service, operation: '*', latencyMs: shape.awsLatencyMs }))
      : [],
    rateLimits: [{ service: 'eks', operation: 'DescribePodIdentityAssociation', perSecond: shape.describeRatePerSecond }],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-bench-fleet-'));
  const file = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(file, YAML.stringify(scenario, { aliasDuplicateObjects: false }));
  return { file, accounts, readerRoleName, clusters };
}
