import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioError } from './load';

// A bad scenario is rejected with the file, the path inside it, and the reason (scenario-format.md).

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message).toContain('bad.yaml');
    return (err as ScenarioError).issues;
  }
  throw new Error('the scenario was accepted');
}

describe('scenario validation', () => {
  it('names an unknown key and where it is', () => {
    expect(issuesOf('clusters:\n  - name: a\n    kind: k3s\n    colour: blue\n')).toContainEqual({
      path: 'clusters[0]',
      message: 'unknown key "colour"',
    });
  });

  it('names a bad account id with its path', () => {
    const issues = issuesOf('accounts:\n  - id: "12345"\n');
    expect(issues).toContainEqual({ path: 'accounts[0].id', message: 'expected a 12-digit AWS account id' });
  });

  it('rejects a time that is neither RFC 3339 nor relative', () => {
    const issues = issuesOf(
      'buckets:\n  - name: snapshots\n    objects:\n      - key: a\n        body: x\n        lastModified: yesterday\n',
    );
    expect(issues[0].path).toBe('buckets[0].objects[0].lastModified');
    expect(issues[0].message).toMatch(/RFC 3339.*relative/);
  });

  it('rejects a role ARN that is not one, and an EKS cluster without its account', () => {
    const issues = issuesOf(
      'clusters:\n  - name: prod\n    kind: eks\n    region: us-east-1\n    podIdentityAssociations:\n      - { namespace: a, serviceAccount: b, roleArn: "role/x" }\n',
    );
    expect(issues).toContainEqual({ path: 'clusters[0].podIdentityAssociations[0].roleArn', message: 'expected an IAM role ARN' });
    expect(issues).toContainEqual({ path: 'clusters[0].account', message: 'an eks cluster needs account' });
  });

  it('requires exactly one effect per fault', () => {
    const issues = issuesOf('faults:\n  - service: eks\n    operation: DescribeCluster\n    latencyMs: 5\n    hang: true\n');
    expect(issues[0].path).toBe('faults[0]');
    expect(issues[0].message).toContain('exactly one of latencyMs, error, throttle or hang');
  });

  it('reports YAML syntax errors as such', () => {
    expect(issuesOf('clusters: [\n')[0].message).toMatch(/^not valid YAML/);
  });

  it('names the object file it cannot read, and the Kubernetes object that lacks a name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-scenario-'));
    fs.writeFileSync(path.join(dir, 'missing.yaml'), 'clusters:\n  - name: a\n    kind: k3s\n    objectFiles: [nope.yaml]\n');
    expect(() => loadScenarioFile(path.join(dir, 'missing.yaml'))).toThrow(
      /clusters\[0\]\.objectFiles\[0\]: cannot read nope\.yaml: ENOENT/,
    );
    fs.writeFileSync(path.join(dir, 'objects.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {}\n');
    fs.writeFileSync(path.join(dir, 'noname.yaml'), 'clusters:\n  - name: a\n    kind: k3s\n    objectFiles: [objects.yaml]\n');
    expect(() => loadScenarioFile(path.join(dir, 'noname.yaml'))).toThrow(
      /objects\.yaml, document 0\): expected a Kubernetes object with apiVersion, kind and metadata\.name/,
    );
  });

  it('accepts a valid scenario and fills defaults', () => {
    const scenario = parseScenario('clusters:\n  - name: edge\n    kind: k3s\n', 'ok.yaml');
    expect(scenario.clusters[0]).toMatchObject({ name: 'edge', kind: 'k3s', version: '1.30', objects: [] });
  });
});
