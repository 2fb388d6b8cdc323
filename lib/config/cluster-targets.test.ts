import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConsoleConfig } from './console-config';
import { resolveClusterTargets } from './cluster-targets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-config-'));

function kubeconfigFile(name: string, document: object): string {
  const file = path.join(dir, name);
  writeFileSync(file, stringify(document));
  return file;
}

const cluster = (name: string, server = 'https://127.0.0.1:6443') => ({ name, cluster: { server } });
const context = (name: string, clusterName: string, user: string) => ({ name, context: { cluster: clusterName, user } });
const zeroConfig = parseConsoleConfig({}, '(zero config)');

const PROD_ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

const fleetKubeconfig = kubeconfigFile('fleet.yaml', {
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': PROD_ARN,
  clusters: [
    cluster(PROD_ARN, 'https://ABCD.gr7.eu-west-1.eks.amazonaws.com'),
    cluster('staging-eks', 'https://EFGH.yl4.us-west-2.eks.amazonaws.com'),
    cluster('edge'),
  ],
  users: [
    {
      name: PROD_ARN,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod'],
        },
      },
    },
    {
      name: 'staging-user',
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', 'staging', '--role-arn', 'arn:aws:iam::444455556666:role/kube-admin'],
          env: [{ name: 'AWS_PROFILE', value: 'staging' }],
        },
      },
    },
    { name: 'edge-admin', user: { token: 'abc' } },
  ],
  contexts: [
    context(PROD_ARN, PROD_ARN, PROD_ARN),
    context('staging', 'staging-eks', 'staging-user'),
    context('edge', 'edge', 'edge-admin'),
  ],
});

describe('resolveClusterTargets, zero config', () => {
  it('makes every kubeconfig context a cluster, EKS ones named by their EKS name', () => {
    const targets = resolveClusterTargets(zeroConfig, { KUBECONFIG: fleetKubeconfig });
    expect(targets).toEqual([
      { name: 'prod', kind: 'eks', context: PROD_ARN, eks: { name: 'prod', region: 'eu-west-1', account: '111122223333' } },
      {
        name: 'staging',
        kind: 'eks',
        context: 'staging',
        // No --region: the API server's host names it; the account comes from the role kubectl assumes.
        eks: { name: 'staging', region: 'us-west-2', account: '444455556666' },
        assumeRoleArn: 'arn:aws:iam::444455556666:role/kube-admin',
        awsProfile: 'staging',
      },
      { name: 'edge', context: 'edge' },
    ]);
  });

  it('reads every file of a KUBECONFIG list; the first file to name a context wins, like kubectl', () => {
    const second = kubeconfigFile('second.yaml', {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [cluster('edge', 'https://10.0.0.1:6443'), cluster('lab')],
      users: [{ name: 'lab', user: { token: 't' } }],
      contexts: [context('edge', 'edge', 'lab'), context('lab', 'lab', 'lab')],
    });
    const targets = resolveClusterTargets(zeroConfig, {
      KUBECONFIG: [fleetKubeconfig, path.join(dir, 'absent.yaml'), second].join(path.delimiter),
    });
    expect(targets.map((target) => target.name)).toEqual(['prod', 'staging', 'edge', 'lab']);
  });

  it('keeps two contexts of one EKS cluster apart by their context names', () => {
    const file = kubeconfigFile('twice.yaml', {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [cluster(PROD_ARN)],
      users: [{ name: 'a', user: { token: 'a' } }],
      contexts: [context(PROD_ARN, PROD_ARN, 'a'), context('prod-readonly', PROD_ARN, 'a')],
    });
    expect(resolveClusterTargets(zeroConfig, { KUBECONFIG: file }).map((target) => target.name)).toEqual(['prod', 'prod-readonly']);
  });

  it('without any kubeconfig, in a pod, watches its own cluster; elsewhere, none', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'wic-home-'));
    expect(resolveClusterTargets(zeroConfig, { HOME: home, KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toEqual([
      { name: 'in-cluster', context: '', inCluster: true },
    ]);
    expect(resolveClusterTargets(zeroConfig, { HOME: home })).toEqual([]);
  });
});

describe('resolveClusterTargets, configured clusters', () => {
  it('uses exactly the configured clusters, with their names, roles and kinds', () => {
    const config = parseConsoleConfig(
      {
        clusters: [
          {
            name: 'payments-prod',
            context: PROD_ARN,
            kubeconfig: 'fleet.yaml',
            assumeRoleArn: 'arn:aws:iam::111122223333:role/console-reader',
          },
          { name: 'edge-k3s', context: 'edge', kubeconfig: fleetKubeconfig, kind: 'k3s' },
          { name: 'self', inCluster: true, eks: { name: 'ops', region: 'us-east-1', account: '777788889999' }, stsRegionalDefault: true },
        ],
      },
      path.join(dir, 'console.yaml'),
    );
    expect(resolveClusterTargets(config, {})).toEqual([
      {
        name: 'payments-prod',
        kind: 'eks',
        context: PROD_ARN,
        kubeconfigPath: fleetKubeconfig,
        eks: { name: 'prod', region: 'eu-west-1', account: '111122223333' },
        assumeRoleArn: 'arn:aws:iam::111122223333:role/console-reader',
      },
      { name: 'edge-k3s', kind: 'k3s', context: 'edge', kubeconfigPath: fleetKubeconfig },
      {
        name: 'self',
        kind: 'eks',
        context: '',
        inCluster: true,
        eks: { name: 'ops', region: 'us-east-1', account: '777788889999' },
        stsRegionalDefault: true,
      },
    ]);
  });

  it('names the config file, the cluster entry and the missing context', () => {
    const config = parseConsoleConfig({ clusters: [{ name: 'a', context: 'nope', kubeconfig: fleetKubeconfig }] }, '/etc/console.yaml');
    expect(() => resolveClusterTargets(config, {})).toThrow(
      `/etc/console.yaml: clusters[0]: cluster 'a': context 'nope' is not in ${fleetKubeconfig}`,
    );
  });
});
