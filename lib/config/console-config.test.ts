import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, loadConsoleConfig, parseConsoleConfig } from './console-config';
import { AWS_CONFIG_DEFAULTS } from './schema';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-console-config-'));

function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigFileError');
}

describe('loadConsoleConfig', () => {
  it('without CONSOLE_CONFIG: zero config with the AWS defaults', () => {
    const config = loadConsoleConfig({});
    expect(config.clusters).toBeUndefined();
    expect(config.aws).toEqual(AWS_CONFIG_DEFAULTS);
    expect(config.aws).toMatchObject({ concurrency: 16, s3Concurrency: 32, callTimeoutSeconds: 15, cacheTtlSeconds: 30, maxAttempts: 3 });
    expect(config.kube).toEqual({ informers: true, watchTimeoutSeconds: 300, backoffInitialMs: 500, backoffMaxMs: 30_000 });
    expect(config.sourceFile).toBeUndefined();
  });

  it('reads clusters, aws settings and snapshot sources from the file', () => {
    const file = configFile(
      'ok.yaml',
      `clusters:
  - name: prod
    context: arn:aws:eks:us-east-1:111122223333:cluster/prod
    assumeRoleArn: arn:aws:iam::111122223333:role/console-reader
aws: { concurrency: 8, cacheTtlSeconds: 10 }
snapshots:
  restate:
    - url: s3://restate-snapshots/prod
      maxAge: 6h
      writer: { cluster: prod, namespace: restate, serviceAccount: restate }
  etcd: { schedule: "0 */6 * * *" }
`,
    );
    const config = loadConsoleConfig({ CONSOLE_CONFIG: file });
    expect(config.sourceFile).toBe(file);
    expect(config.clusters?.[0]).toMatchObject({ name: 'prod', assumeRoleArn: 'arn:aws:iam::111122223333:role/console-reader' });
    expect(config.aws).toEqual({ ...AWS_CONFIG_DEFAULTS, concurrency: 8, cacheTtlSeconds: 10 });
    expect(config.snapshots?.restate[0].url).toBe('s3://restate-snapshots/prod');
    expect(config.snapshots?.etcd.schedule).toBe('0 */6 * * *');
  });

  it('names the file, the path inside it and the reason for every mistake', () => {
    const file = configFile(
      'bad.yaml',
      `clusters:
  - name: prod
    eks: { name: prod, region: us-east-1, account: "1234" }
  - name: prod
    contxt: typo
aws: { concurrency: 0 }
`,
    );
    let error: unknown;
    try {
      loadConsoleConfig({ CONSOLE_CONFIG: file });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toContain(file);
    const problems = (error as ConfigFileError).problems;
    expect(problems).toContain('clusters[0].eks.account: an AWS account id is 12 digits');
    expect(problems.some((problem) => problem.startsWith('clusters[1]') && problem.includes('contxt'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('aws.concurrency:'))).toBe(true);
  });

  it('refuses a duplicate cluster name, an unknown top-level key and contradictory settings', () => {
    expect(problemsOf(() => parseConsoleConfig({ clusters: [{ name: 'a' }, { name: 'a' }] }, 'c.yaml'))).toEqual([
      "clusters[1].name: cluster name 'a' is already used by clusters[0]",
    ]);
    expect(problemsOf(() => parseConsoleConfig({ cluster: [] }, 'c.yaml'))[0]).toMatch(/^\(top level\): .*cluster/);
    expect(problemsOf(() => parseConsoleConfig({ clusters: [{ name: 'a', inCluster: true, context: 'x' }] }, 'c.yaml'))).toEqual([
      "clusters[0].inCluster: inCluster uses the pod's service account; remove context and kubeconfig",
    ]);
    expect(
      problemsOf(() =>
        parseConsoleConfig(
          { clusters: [{ name: 'a', kind: 'k3s', eks: { name: 'a', region: 'us-east-1', account: '111122223333' } }] },
          'c.yaml',
        ),
      ),
    ).toEqual(['clusters[0].eks: a k3s cluster has no EKS identity; remove eks or set kind: eks']);
    expect(problemsOf(() => parseConsoleConfig({ clusters: [{ name: 'a', assumeRoleArn: 'console-reader' }] }, 'c.yaml'))[0]).toMatch(
      /^clusters\[0\]\.assumeRoleArn: must be an IAM role ARN/,
    );
  });

  it('says when the file is missing or not YAML', () => {
    expect(() => loadConsoleConfig({ CONSOLE_CONFIG: path.join(dir, 'absent.yaml') })).toThrow(
      /absent\.yaml: CONSOLE_CONFIG names a file that cannot be read \(ENOENT\)/,
    );
    const file = configFile('broken.yaml', 'clusters: [\n');
    expect(() => loadConsoleConfig({ CONSOLE_CONFIG: file })).toThrow(/broken\.yaml: not valid YAML/);
    const list = configFile('list.yaml', '- a\n- b\n');
    expect(() => loadConsoleConfig({ CONSOLE_CONFIG: list })).toThrow(/list\.yaml: \(top level\): must be a YAML mapping/);
  });

  it('accepts the auth and teams sections the auth module defines', () => {
    const config = parseConsoleConfig(
      {
        auth: { mode: 'none' },
        teams: [{ name: 'payments', clusters: [{ cluster: 'prod', namespaces: ['payments'], role: 'operator' }] }],
      },
      'c.yaml',
    );
    expect(config.auth?.mode).toBe('none');
    expect(config.teams[0].name).toBe('payments');
  });
});
