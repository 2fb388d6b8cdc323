import path from 'node:path';
import { expect, test } from '@playwright/test';
import YAML from 'yaml';
import { repoRoot } from '../scripts/console-process';
import { startSim, type RunningSim } from '../sim/index';
import {
  CONSOLE_NAMESPACE,
  CONSOLE_USER,
  kubectl,
  mountNamespaceAvailable,
  renderOverlay,
  startInClusterConsole,
  type InClusterConsole,
} from './support/in-cluster';

// The console installed in the cluster it watches, with deploy/'s least-privilege RBAC enforced by the
// simulator: read-only renders everything and refuses actions in preflight; operator carries out every
// guided action; and every rule of the shipped roles is needed (remove one and something a user sees fails).

const CLUSTER = 'prod-use1';
const ACCOUNT = '111122223333';
const PORT = Number(process.env.E2E_PORT ?? 3100) + 20;

let sim: RunningSim;
let installed: InClusterConsole;
let base: string;

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}
interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
}

const rolesOf = (overlay: string) =>
  renderOverlay(overlay).filter((object) => object.kind === 'ClusterRole' || object.kind === 'Role') as unknown as RbacObject[];

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async () => {
  test.skip(!mountNamespaceAvailable(), 'needs a mount namespace (unshare) to place the service account token where a pod has it');
  sim = await startSim({ scenarioFile: path.join(repoRoot, 'sim', 'scenarios', 'in-cluster.yaml'), rolloutReadyDelayMs: 100 });
  // Plain `kubectl apply -k`, validation on, as the README tells a platform engineer.
  const applied = await kubectl(sim, ['apply', '-k', path.join(repoRoot, 'deploy', 'overlays', 'read-only')]);
  expect(applied).toContain('deployment.apps/workload-identity-console created');
  installed = await startInClusterConsole({
    sim,
    cluster: CLUSTER,
    account: ACCOUNT,
    region: 'us-east-1',
    port: PORT,
    log: (line) => {
      if (process.env.E2E_VERBOSE) console.log(line);
    },
  });
  base = installed.console.url;
});

test.afterAll(async () => {
  await installed?.console.stop();
  await sim?.stop();
});

async function getJson<T>(pathname: string): Promise<T> {
  const response = await fetch(`${base}${pathname}`, { headers: { accept: 'application/json' } });
  expect(response.status, `GET ${pathname}`).toBe(200);
  return (await response.json()) as T;
}

interface SourceError {
  operation: string;
  code: string;
  message: string;
}
interface Finding {
  code: string;
  evidence?: Record<string, unknown>;
}

async function clusterErrors(): Promise<{ errors: SourceError[]; findings: Finding[] }> {
  // ?refresh=1 re-reads now; the console allows one forced refresh per 2 s, and limits each principal's forced
  // refreshes (issue 10): past the burst it answers 429 with Retry-After, which a well-behaved client honours.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  for (;;) {
    const response = await fetch(`${base}/api/v1/clusters?refresh=1`, { headers: { accept: 'application/json' } });
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      expect(seconds, 'a 429 says when to come back').toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    expect(response.status, 'GET /api/v1/clusters?refresh=1').toBe(200);
    const body = (await response.json()) as { items: { findings: Finding[] }[]; errors: SourceError[] };
    return { errors: body.errors, findings: body.items.flatMap((item) => item.findings) };
  }
}

interface PreflightCheck {
  check: string;
  status: string;
  message: string;
}

async function postAction(type: string, params: Record<string, unknown>, dryRun: boolean) {
  const response = await fetch(`${base}/api/v1/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ type, dryRun, params }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function preflight(type: string, params: Record<string, unknown>): Promise<PreflightCheck[]> {
  const { status, body } = await postAction(type, params, true);
  expect(status, JSON.stringify(body)).toBe(200);
  return (body.plan as { preflight: PreflightCheck[] }).preflight;
}

async function runToEnd(type: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { status, body } = await postAction(type, params, false);
  expect(status, JSON.stringify(body)).toBe(202);
  for (let attempt = 0; attempt < 600; attempt++) {
    const record = await getJson<Record<string, unknown>>(`/api/v1/actions/${body.id}`);
    if (record.status !== 'running') return record;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`action ${type} still running`);
}

const ROLL = {
  deployment: { cluster: CLUSTER, namespace: 'payments', serviceAccount: 'api' },
  statefulset: { cluster: CLUSTER, namespace: 'ledger', serviceAccount: 'ledger' },
  daemonset: { cluster: CLUSTER, namespace: 'logs', serviceAccount: 'shipper' },
  bare: { cluster: CLUSTER, namespace: 'batch', serviceAccount: 'worker', includeBarePods: true },
};
const STS = { cluster: CLUSTER, namespace: 'reports', serviceAccount: 'exporter', value: 'true' };

const failed = (checks: PreflightCheck[]) => checks.filter((check) => check.status === 'fail').map((check) => check.message);

test('read-only: the manifests apply with validation on, and nothing they grant writes', async () => {
  for (const role of rolesOf('read-only'))
    for (const rule of role.rules ?? [])
      expect(
        rule.verbs.filter((verb) => !['get', 'list', 'watch'].includes(verb)),
        `${role.metadata.name}`,
      ).toEqual([]);
  const rows = canIRows(await kubectl(sim, ['auth', 'can-i', '--list', `--as=${CONSOLE_USER}`]));
  // Only the self-reviews every authenticated user may create (bootstrap role system:basic-user).
  expect(rows.filter((row) => !/ (get|list|watch)$/.test(row) && !/^selfsubject/.test(row))).toEqual([]);
});

test('read-only: every API and page renders with no source unreadable', async ({ page }) => {
  const { errors, findings } = await clusterErrors();
  expect(errors).toEqual([]);
  expect(findings.filter((finding) => finding.code === 'CL004')).toEqual([]);
  const accounts = await getJson<{ items: { cluster: string; namespace: string; name: string }[]; errors: SourceError[] }>(
    '/api/v1/serviceaccounts',
  );
  expect(accounts.errors).toEqual([]);
  expect(accounts.items.map((row) => `${row.namespace}/${row.name}`)).toEqual(
    expect.arrayContaining(['payments/api', 'reports/exporter', `${CONSOLE_NAMESPACE}/workload-identity-console`]),
  );
  for (const row of accounts.items) await getJson(`/api/v1/serviceaccounts/${row.cluster}/${row.namespace}/${row.name}`);
  expect((await getJson<{ errors: SourceError[] }>('/api/v1/snapshots')).errors).toEqual([]);
  for (const pathname of [
    '/',
    '/clusters',
    `/clusters/${CLUSTER}`,
    `/serviceaccounts/${CLUSTER}/payments/api`,
    '/snapshots',
    '/activity',
  ]) {
    const response = await page.goto(`${base}${pathname}`);
    expect(response?.status(), pathname).toBe(200);
    await expect(page.locator('main')).toBeVisible();
    await expect(page.getByText('CL004')).toHaveCount(0);
    await expect(page.getByText(/forbidden/i)).toHaveCount(0);
  }
});

test('the console shows its own identity: AWS caller, Kubernetes user and rules, and its service account passing its rules', async ({
  page,
}) => {
  const identity = await getJson<{
    aws: { account: string; clusters: string[]; identity: { account: string; arn: string } | null }[];
    clusters: {
      cluster: string;
      inCluster: boolean;
      user: { username: string; groups: string[] } | null;
      rules: { namespace: string; resourceRules: Rule[] }[];
      errors: SourceError[];
      self?: { namespace: string; name: string; sts: { desired: string }; findings: Finding[] };
    }[];
  }>('/api/v1/console');
  expect(identity.aws).toEqual([expect.objectContaining({ account: ACCOUNT, clusters: [CLUSTER] })]);
  expect(identity.aws[0].identity?.account).toBe(ACCOUNT);
  const [cluster] = identity.clusters;
  expect(cluster).toMatchObject({ cluster: CLUSTER, inCluster: true, errors: [] });
  expect(cluster.user?.username).toBe(CONSOLE_USER);
  expect(cluster.user?.groups).toContain(`system:serviceaccounts:${CONSOLE_NAMESPACE}`);
  // The rules the API server reports are the shipped ClusterRole's: listing pods, and no write.
  const clusterWide = cluster.rules.find((rules) => rules.namespace === CONSOLE_NAMESPACE)!;
  const podVerbs = clusterWide.resourceRules.filter((rule) => rule.resources?.includes('pods')).flatMap((rule) => rule.verbs);
  expect(podVerbs).toContain('list');
  expect(clusterWide.resourceRules.flatMap((rule) => rule.verbs).filter((verb) => ['patch', 'update', 'delete'].includes(verb))).toEqual(
    [],
  );
  // It runs in a watched cluster: its own service account passes its rules (no ID001, regional STS).
  expect(cluster.self).toMatchObject({ namespace: CONSOLE_NAMESPACE, name: 'workload-identity-console' });
  expect(cluster.self!.findings.map((finding) => finding.code)).toEqual([]);

  await page.goto(`${base}/clusters`);
  const section = page.getByRole('region', { name: "The console's own identity" });
  await expect(section.getByLabel('Kubernetes user')).toHaveText(CONSOLE_USER);
  await expect(section.getByText('The console passes its own rules: no finding.')).toBeVisible();
});

test('read-only: guided actions that write to Kubernetes are refused in preflight, naming the verb and resource', async () => {
  const refusal = async (type: string, params: Record<string, unknown>) => failed(await preflight(type, params)).join('\n');
  expect(await refusal('set-sts-regional-endpoints', STS)).toContain('Grant it "patch serviceaccounts"');
  expect(await refusal('remove-irsa-annotation', { cluster: CLUSTER, namespace: 'reports', serviceAccount: 'exporter' })).toContain(
    'Grant it "patch serviceaccounts"',
  );
  expect(await refusal('roll-pods', ROLL.deployment)).toContain('lacks patch deployments in payments');
  expect(await refusal('roll-pods', ROLL.statefulset)).toContain('lacks patch statefulsets in ledger');
  expect(await refusal('roll-pods', ROLL.daemonset)).toContain('lacks patch daemonsets in logs');
  expect(await refusal('roll-pods', ROLL.bare)).toContain('lacks create pods/eviction in batch');
  const refused = await postAction('set-sts-regional-endpoints', STS, false);
  expect(refused.status).toBe(409);
  expect((refused.body.error as { code: string }).code).toBe('preflight-failed');
  // Nothing changed.
  const annotation = await kubectl(sim, ['get', 'sa', 'exporter', '-n', 'reports', '-o', 'jsonpath={.metadata.annotations}']);
  expect(JSON.parse(annotation)['eks.amazonaws.com/sts-regional-endpoints']).toBe('false');
});

/** `kubectl auth can-i --list` rows as (resource, resourceNames, verb) triples. */
function canIRows(text: string): string[] {
  const rows: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s{2,}/);
    if (columns.length !== 4 || columns[1] !== '[]') continue; // non-resource URL rows have an empty first column
    const verbs = columns[3].replace(/^\[|\]$/g, '').split(' ');
    for (const verb of verbs) rows.push(`${columns[0]} ${columns[2]} ${verb}`);
  }
  return rows.sort();
}

function expectedRows(roles: RbacObject[], namespace: string | undefined): string[] {
  const rows: string[] = [];
  for (const role of roles) {
    if (role.kind === 'Role' && role.metadata.namespace !== namespace) continue;
    for (const rule of role.rules ?? [])
      for (const resource of rule.resources ?? [])
        for (const group of rule.apiGroups ?? [])
          for (const verb of rule.verbs)
            rows.push(`${group ? `${resource}.${group}` : resource} [${(rule.resourceNames ?? []).join(' ')}] ${verb}`);
  }
  // What every authenticated user has (bootstrap role system:basic-user).
  for (const review of [
    'selfsubjectaccessreviews.authorization.k8s.io',
    'selfsubjectrulesreviews.authorization.k8s.io',
    'selfsubjectreviews.authentication.k8s.io',
  ])
    rows.push(`${review} [] create`);
  return rows.sort();
}

test('kubectl auth can-i --list for the console service account matches the manifests, cluster-wide and in kube-system', async () => {
  for (const overlay of ['read-only', 'operator']) {
    if (overlay === 'operator') await kubectl(sim, ['apply', '-k', path.join(repoRoot, 'deploy', 'overlays', 'operator')]);
    const roles = rolesOf(overlay);
    for (const namespace of [undefined, 'kube-system']) {
      const listed = await kubectl(sim, [
        'auth',
        'can-i',
        '--list',
        `--as=${CONSOLE_USER}`,
        ...(namespace ? ['-n', namespace] : ['-n', 'default']),
      ]);
      expect(canIRows(listed), `${overlay} ${namespace ?? 'default'}`).toEqual(expectedRows(roles, namespace));
    }
  }
});

test('operator: every guided action succeeds, each leaving its Event on the service account', async () => {
  const succeeded = async (type: string, params: Record<string, unknown>) => {
    const record = await runToEnd(type, params);
    expect(record.status, `${type} ${JSON.stringify(params)}: ${JSON.stringify(record.error ?? record.result)}`).toBe('succeeded');
  };
  await succeeded('set-sts-regional-endpoints', STS);
  // IRSA → Pod Identity: the association first (the annotation's removal is refused without one).
  await succeeded('create-association', {
    cluster: CLUSTER,
    namespace: 'reports',
    serviceAccount: 'exporter',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/payments-api`,
  });
  await succeeded('remove-irsa-annotation', { cluster: CLUSTER, namespace: 'reports', serviceAccount: 'exporter' });
  for (const params of Object.values(ROLL)) await succeeded('roll-pods', params);
  await succeeded('create-association', {
    cluster: CLUSTER,
    namespace: 'payments',
    serviceAccount: 'fresh',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/payments-api`,
  });
  await succeeded('fix-trust-policy', { roleArn: `arn:aws:iam::${ACCOUNT}:role/ledger` });
  const associations = await getJson<{ items: { name: string; namespace: string; podIdentity: { associationId: string } | null }[] }>(
    '/api/v1/serviceaccounts?refresh=1&namespace=payments',
  );
  const fresh = associations.items.find((row) => row.name === 'fresh')!;
  expect(fresh.podIdentity).not.toBeNull();
  // The fixed trust policy admits only the associations that use the role: the one about to use it is named.
  await succeeded('fix-trust-policy', {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/ledger`,
    cluster: CLUSTER,
    namespace: 'payments',
    serviceAccount: 'fresh',
  });
  await succeeded('update-association', {
    cluster: CLUSTER,
    associationId: fresh.podIdentity!.associationId,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/ledger`,
  });
  await succeeded('delete-association', { cluster: CLUSTER, associationId: fresh.podIdentity!.associationId, confirm: 'fresh' });
  const events = JSON.parse(await kubectl(sim, ['get', 'events', '-n', 'reports', '-o', 'json'])) as {
    items: { involvedObject: { name: string }; source?: { component?: string } }[];
  };
  expect(
    events.items.filter((event) => event.involvedObject.name === 'exporter' && event.source?.component === 'workload-identity-console'),
  ).toHaveLength(3);
});

/** One atomic grant of a shipped role, and what a user sees fail without it. */
interface Grant {
  role: string;
  group: string;
  resource: string;
  verb: string;
  /** Resolves when the failure shows; throws if everything still works. */
  shows: () => Promise<void>;
}

function readProbe(operation: string) {
  return async () => {
    const { errors, findings } = await clusterErrors();
    expect(errors.map((error) => `${error.operation} ${error.code}`)).toContain(`${operation} Forbidden`);
    expect(findings.map((finding) => finding.code)).toContain('CL004');
  };
}

/**
 * Without watch, the informer still lists (the page shows it all) but cannot keep it live: once its watch is
 * refused, CL004 says which watch, and that the data shown is what it last listed. The watch opens just after
 * the list a refresh makes, so the refusal can come a moment after that refresh's answer.
 */
function watchProbe(operation: string) {
  return async () => {
    await expect(async () => {
      const { errors, findings } = await clusterErrors();
      expect(errors.map((error) => `${error.operation} ${error.code}`)).toContain(`${operation} Forbidden`);
      expect(findings.map((finding) => finding.code)).toContain('CL004');
    }).toPass({ timeout: 60_000 });
  };
}

function preflightProbe(type: string, params: Record<string, unknown>, missing: string) {
  return async () => expect(failed(await preflight(type, params)).join('\n')).toContain(missing);
}

test('minimality: without any one rule of the shipped roles, something a user sees fails', async () => {
  // Each read probe forces a refresh, and past the burst those come one per refill interval (lib/http/refresh-limit.ts).
  test.setTimeout(900_000);
  const grants: Grant[] = [];
  const add = (role: string, group: string, resource: string, verb: string, shows: () => Promise<void>) =>
    grants.push({ role, group, resource, verb, shows });
  for (const resource of ['serviceaccounts', 'pods', 'nodes', 'namespaces', 'configmaps']) {
    add('workload-identity-console-read', '', resource, 'list', readProbe(`list ${resource}`));
    add('workload-identity-console-read', '', resource, 'watch', watchProbe(`watch ${resource}`));
  }
  for (const resource of ['deployments', 'replicasets', 'statefulsets', 'daemonsets']) {
    add('workload-identity-console-read', 'apps', resource, 'list', readProbe(`list ${resource}`));
    add('workload-identity-console-read', 'apps', resource, 'watch', watchProbe(`watch ${resource}`));
  }
  for (const resource of ['jobs', 'cronjobs']) {
    add('workload-identity-console-read', 'batch', resource, 'list', readProbe(`list ${resource}`));
    add('workload-identity-console-read', 'batch', resource, 'watch', watchProbe(`watch ${resource}`));
  }
  add('workload-identity-console-read', 'restate.dev', 'restateclusters', 'list', readProbe('list restateclusters'));
  add('workload-identity-console-read', 'k3s.cattle.io', 'etcdsnapshotfiles', 'list', readProbe('list etcdsnapshotfiles'));
  add('workload-identity-console-read', '', 'serviceaccounts', 'get', async () => {
    const { status, body } = await postAction('set-sts-regional-endpoints', { ...STS, value: 'false' }, true);
    expect(`${status} ${JSON.stringify(body)}`).toMatch(/get serviceaccounts|cannot get resource \\?"serviceaccounts\\?"/);
  });
  add('workload-identity-console-agent', 'apps', 'daemonsets', 'get', readProbe('get daemonsets'));
  add(
    'workload-identity-console-operate',
    '',
    'serviceaccounts',
    'patch',
    preflightProbe('set-sts-regional-endpoints', { ...STS, value: 'false' }, 'patch serviceaccounts'),
  );
  add('workload-identity-console-operate', '', 'pods/eviction', 'create', async () => {
    // The operator test evicted the bare pod: a new one runs as the service account.
    await kubectl(
      sim,
      ['apply', '-f', '-'],
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'worker-again', namespace: 'batch' },
        spec: { serviceAccountName: 'worker', containers: [{ name: 'worker', image: 'busybox:1.36' }] },
      }),
    );
    await preflightProbe('roll-pods', ROLL.bare, 'create pods/eviction')();
  });
  add(
    'workload-identity-console-operate',
    'apps',
    'deployments',
    'patch',
    preflightProbe('roll-pods', ROLL.deployment, 'patch deployments'),
  );
  add(
    'workload-identity-console-operate',
    'apps',
    'statefulsets',
    'patch',
    preflightProbe('roll-pods', ROLL.statefulset, 'patch statefulsets'),
  );
  add('workload-identity-console-operate', 'apps', 'daemonsets', 'patch', preflightProbe('roll-pods', ROLL.daemonset, 'patch daemonsets'));
  add('workload-identity-console-operate', '', 'events', 'create', async () => {
    // The action still succeeds (the Event is best effort), but `kubectl describe sa` no longer says who did it.
    const before = await kubectl(sim, ['get', 'events', '-n', 'reports', '-o', 'name']);
    const record = await runToEnd('set-sts-regional-endpoints', { ...STS, value: 'false' });
    expect(record.status).toBe('succeeded');
    expect(await kubectl(sim, ['get', 'events', '-n', 'reports', '-o', 'name'])).toBe(before);
  });

  // Every atomic grant of the operator install is listed above, and nothing else.
  const shipped = rolesOf('operator').flatMap((role) =>
    (role.rules ?? []).flatMap((rule) =>
      (rule.resources ?? []).flatMap((resource) =>
        (rule.apiGroups ?? []).flatMap((group) => rule.verbs.map((verb) => `${role.metadata.name} ${group}/${resource} ${verb}`)),
      ),
    ),
  );
  expect(grants.map((grant) => `${grant.role} ${grant.group}/${grant.resource} ${grant.verb}`).sort()).toEqual(shipped.sort());

  const originals = rolesOf('operator');
  const apply = (objects: RbacObject[]) =>
    kubectl(sim, ['apply', '-f', '-'], objects.map((object) => YAML.stringify(object)).join('---\n'));
  for (const grant of grants) {
    const without = originals.map((role) =>
      role.metadata.name !== grant.role
        ? role
        : {
            ...role,
            rules: (role.rules ?? []).flatMap((rule) => {
              if (
                !(rule.apiGroups ?? []).includes(grant.group) ||
                !(rule.resources ?? []).includes(grant.resource) ||
                !rule.verbs.includes(grant.verb)
              )
                return [rule];
              const others = (rule.resources ?? []).filter((resource) => resource !== grant.resource);
              const otherVerbs = rule.verbs.filter((verb) => verb !== grant.verb);
              return [
                ...(others.length ? [{ ...rule, resources: others }] : []),
                ...(otherVerbs.length ? [{ ...rule, resources: [grant.resource], verbs: otherVerbs }] : []),
              ];
            }),
          },
    );
    await apply(without);
    await test.step(`without ${grant.verb} ${grant.resource}${grant.group ? `.${grant.group}` : ''} (${grant.role})`, grant.shows);
    await apply(originals);
  }
  // And with everything back, nothing fails.
  const { errors } = await clusterErrors();
  expect(errors).toEqual([]);
});

test('the console reads its own namespace as a watched one: its service account has no finding', async () => {
  const row = await getJson<{ findings: Finding[] }>(`/api/v1/serviceaccounts/${CLUSTER}/${CONSOLE_NAMESPACE}/workload-identity-console`);
  expect(row.findings.map((finding) => finding.code)).toEqual([]);
});
