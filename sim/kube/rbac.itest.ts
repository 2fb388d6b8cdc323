import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../index';

// RBAC, tokens, reviews, OpenAPI and server-side apply, proven with kubectl itself: what kubectl prints
// against the simulator is what it prints against a real API server.

let sim: RunningSim;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function kubectlRun(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function kubectl(...args: string[]): Promise<string> {
  const run = await kubectlRun(args);
  if (run.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
};

const READER = 'system:serviceaccount:console:reader';

beforeAll(async () => {
  sim = await startSim({ scenarioFile: path.join(__dirname, '..', 'scenarios', 'minimal.yaml'), rolloutReadyDelayMs: 50 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-rbac-'));
  // Applied by the admin, with validation on (kubectl's default) and no --validate=false.
  await kubectl(
    'apply',
    '-f',
    file(
      'rbac.yaml',
      `apiVersion: v1
kind: Namespace
metadata: { name: console }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: reader, namespace: console }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: pod-reader }
rules:
  - apiGroups: [""]
    resources: [pods, serviceaccounts]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: reader-pods }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader }
subjects: [{ kind: ServiceAccount, name: reader, namespace: console }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: annotate-api, namespace: payments }
rules:
  - apiGroups: [""]
    resources: [serviceaccounts]
    resourceNames: [api]
    verbs: [patch]
  - apiGroups: [""]
    resources: [pods/eviction]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: reader-annotate, namespace: payments }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: annotate-api }
subjects: [{ kind: ServiceAccount, name: reader, namespace: console }]
`,
    ),
  );
});
afterAll(async () => sim?.stop());

describe('kubectl create token and RBAC enforcement', () => {
  let token: string;
  beforeAll(async () => {
    token = (await kubectl('create', 'token', 'reader', '-n', 'console')).trim();
  });

  it('mints a JWT for the service account that kubectl auth whoami reports', async () => {
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.sub).toBe(READER);
    expect(claims.exp - claims.iat).toBe(3600);
    const whoami = await kubectl('auth', 'whoami', '--token', token);
    expect(whoami).toMatch(new RegExp(`Username\\s+${READER}`));
    expect(whoami).toContain('system:serviceaccounts:console');
  });

  it('allows what the bound roles allow and refuses the rest with the API server 403 text', async () => {
    expect(await kubectl('get', 'pods', '-A', '--token', token)).toContain('payments');
    const secrets = await kubectlRun(['get', 'secrets', '-n', 'payments', '--token', token]);
    expect(secrets.code).not.toBe(0);
    expect(secrets.stderr).toContain(
      `Error from server (Forbidden): secrets is forbidden: User "${READER}" cannot list resource "secrets" in API group "" in the namespace "payments"`,
    );
    const nodes = await kubectlRun(['get', 'nodes', '--token', token]);
    expect(nodes.stderr).toContain(
      `nodes is forbidden: User "${READER}" cannot list resource "nodes" in API group "" at the cluster scope`,
    );
    const deploy = await kubectlRun(['get', 'deployment', 'api', '-n', 'payments', '--token', token]);
    expect(deploy.stderr).toContain(
      `deployments.apps "api" is forbidden: User "${READER}" cannot get resource "deployments" in API group "apps" in the namespace "payments"`,
    );
  });

  it('honours resourceNames: patch of one service account, not another', async () => {
    await kubectl('annotate', 'serviceaccount', 'api', '-n', 'payments', 'checked=yes', '--token', token);
    const other = await kubectlRun(['annotate', 'serviceaccount', 'default', '-n', 'payments', 'checked=yes', '--token', token]);
    expect(other.stderr).toContain(
      `serviceaccounts "default" is forbidden: User "${READER}" cannot patch resource "serviceaccounts" in API group "" in the namespace "payments"`,
    );
  });

  it('answers kubectl auth can-i from the same rules, for the token and through --as', async () => {
    const canI = async (...args: string[]) => (await kubectlRun(['auth', 'can-i', ...args])).stdout.trim();
    expect(await canI('list', 'pods', '-A', '--token', token)).toBe('yes');
    expect(await canI('watch', 'pods', '-n', 'payments', '--token', token)).toBe('yes');
    expect(await canI('delete', 'pods', '-n', 'payments', '--token', token)).toBe('no');
    expect(await canI('create', 'pods', '--subresource=eviction', '-n', 'payments', '--as', READER)).toBe('yes');
    expect(await canI('create', 'pods', '--subresource=eviction', '-n', 'reports', '--as', READER)).toBe('no');
    expect(await canI('patch', 'serviceaccount/api', '-n', 'payments', '--as', READER)).toBe('yes');
    expect(await canI('patch', 'serviceaccount/default', '-n', 'payments', '--as', READER)).toBe('no');
    expect(await canI('get', '/version', '--as', READER)).toBe('yes');
    expect(await canI('get', '/metrics', '--as', READER)).toBe('no');
    expect(await canI('delete', 'nodes')).toBe('yes'); // the admin
  });

  it('lists the rules with kubectl auth can-i --list, per namespace', async () => {
    const list = await kubectl('auth', 'can-i', '--list', '-n', 'payments', `--as=${READER}`);
    const rows = list.split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(rows).toContainEqual(['pods', '[]', '[]', '[get list watch]']);
    expect(rows).toContainEqual(['serviceaccounts', '[]', '[api]', '[patch]']);
    expect(rows).toContainEqual(['pods/eviction', '[]', '[]', '[create]']);
    expect(rows).toContainEqual(['selfsubjectaccessreviews.authorization.k8s.io', '[]', '[]', '[create]']);
    const elsewhere = await kubectl('auth', 'can-i', '--list', '-n', 'reports', `--as=${READER}`);
    expect(elsewhere).not.toContain('[patch]');
  });

  it('refuses impersonation to those who may not impersonate', async () => {
    const run = await kubectlRun(['get', 'pods', '-n', 'payments', '--token', token, '--as', 'system:serviceaccount:payments:api']);
    expect(run.stderr).toContain(
      `serviceaccounts "api" is forbidden: User "${READER}" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "payments"`,
    );
  });

  it('names a missing role in the 403, as the RBAC authorizer does', async () => {
    await kubectl('create', 'rolebinding', 'dangling', '-n', 'reports', '--role', 'no-such-role', `--serviceaccount=console:reader`);
    const run = await kubectlRun(['get', 'configmaps', '-n', 'reports', '--token', token]);
    expect(run.stderr).toContain(
      `configmaps is forbidden: User "${READER}" cannot list resource "configmaps" in API group "" in the namespace "reports": RBAC: role.rbac.authorization.k8s.io "no-such-role" not found`,
    );
  });

  it('rejects a token once its service account is gone, or once it expired', async () => {
    await kubectl('create', 'serviceaccount', 'ephemeral', '-n', 'console');
    const short = (await kubectl('create', 'token', 'ephemeral', '-n', 'console', '--duration', '10m')).trim();
    expect((await kubectlRun(['auth', 'whoami', '--token', short])).code).toBe(0);
    sim.world.clock.advance(11 * 60_000);
    const expired = await kubectlRun(['auth', 'whoami', '--token', short]);
    expect(expired.stderr).toContain('Unauthorized');
    const fresh = (await kubectl('create', 'token', 'ephemeral', '-n', 'console')).trim();
    await kubectl('delete', 'serviceaccount', 'ephemeral', '-n', 'console');
    expect((await kubectlRun(['auth', 'whoami', '--token', fresh])).stderr).toContain('Unauthorized');
    const tooShort = await kubectlRun(['create', 'token', 'reader', '-n', 'console', '--duration', '5m']);
    expect(tooShort.stderr).toContain('may not specify a duration less than 10 minutes');
  });
});

describe('kubectl apply with validation, and server-side apply', () => {
  it('validates fields through OpenAPI v3 and fieldValidation=Strict', async () => {
    const bad = await kubectlRun([
      'apply',
      '-f',
      file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: typo, namespace: console }\ndatta: { a: "1" }\n'),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('strict decoding error: unknown field "datta"');
    expect(bad.stderr).not.toContain('failed to download openapi');
    // --raw takes a path from the host; the simulator serves this cluster under /clusters/prod-use1.
    const v3 = JSON.parse(await kubectl('get', '--raw', '/clusters/prod-use1/openapi/v3'));
    expect(Object.keys(v3.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/rbac.authorization.k8s.io/v1']));
    const v2 = JSON.parse(await kubectl('get', '--raw', '/clusters/prod-use1/openapi/v2'));
    expect(v2.swagger).toBe('2.0');
    expect(v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch['x-kubernetes-group-version-kind'].kind).toBe(
      'Deployment',
    );
  });

  it('applies client-side twice (created, then configured) with validation on', async () => {
    const manifest = (value: string) =>
      file('cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: console }\ndata: { level: "${value}" }\n`);
    expect(await kubectl('apply', '-f', manifest('1'))).toContain('configmap/settings created');
    expect(await kubectl('apply', '-f', manifest('2'))).toContain('configmap/settings configured');
    expect(await kubectl('get', 'configmap', 'settings', '-n', 'console', '-o', 'jsonpath={.data.level}')).toBe('2');
  });

  it('applies server-side: creates, removes a field the manager dropped, and reports conflicts between managers', async () => {
    const manifest = (labels: string, replicas = 1) =>
      file(
        'ssa.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: console, labels: { ${labels} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`,
      );
    expect(await kubectl('apply', '--server-side', '-f', manifest('app: web, tier: front'))).toContain(
      'deployment.apps/web serverside-applied',
    );
    const fields = JSON.parse(await kubectl('get', 'deployment', 'web', '-n', 'console', '-o', 'json', '--show-managed-fields'));
    expect(fields.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' });
    expect(fields.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']).toEqual({});
    await kubectl('apply', '--server-side', '-f', manifest('app: web'));
    const labels = JSON.parse(await kubectl('get', 'deployment', 'web', '-n', 'console', '-o', 'jsonpath={.metadata.labels}'));
    expect(labels).toEqual({ app: 'web' });
    const conflict = await kubectlRun(['apply', '--server-side', '--field-manager', 'other', '-f', manifest('app: web', 3)]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas');
    await kubectl('apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', manifest('app: web', 3));
    expect(await kubectl('get', 'deployment', 'web', '-n', 'console', '-o', 'jsonpath={.spec.replicas}')).toBe('3');
  });
});
