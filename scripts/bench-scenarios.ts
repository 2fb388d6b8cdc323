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
