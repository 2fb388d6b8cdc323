import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CoreV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { pointConsoleAt } from '../support/console-environment';
import { listAudit } from '@/lib/audit/audit-log';
import type { Principal } from '@/lib/auth/principal';
import type { ActionPlan, ActionRecord, PreflightCheck } from '@/lib/actions/types';
import { getAction, runAction } from '@/lib/actions/run-action';
import { currentFleetView, forgetFleetView } from '@/lib/console/queries';

// The actions through their one wrapper against the simulator, verified with the real SDK and client-node
// (not through the console's state): idempotent create, the 409 paths, the typed confirmation, a concurrent
// change to the service account, and a refusal that is audited.

const ROOT = path.resolve(__dirname, '../..');
const ADMIN: Principal = { subject: 'itest-admin', groups: [], teams: [], isAdmin: true, via: 'token' };
const OUTSIDER: Principal = { subject: 'itest-outsider', groups: [], teams: [], isAdmin: false, via: 'token', tokenRole: 'operator' };
const PAYMENTS_ROLE = 'arn:aws:iam::111122223333:role/payments-api';

let sim: RunningSim;
let eks: EKSClient;
let iam: IAMClient;
let core: CoreV1Api;
let policy: PolicyV1Api;
let restoreEnvironment: (() => void) | undefined;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-actions-'));
  sim = await startSim({
    scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'minimal.yaml'),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    rolloutReadyDelayMs: 50,
  });
  restoreEnvironment = pointConsoleAt({ ...consoleEnvironment(sim), DATA_DIR: dir }, ['CONSOLE_CONFIG']);
  const env = consoleEnvironment(sim);
  eks = new EKSClient({
    region: 'us-east-1',
    endpoint: sim.awsUrl,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  iam = new IAMClient({
    region: 'us-east-1',
    endpoint: sim.awsUrl,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(sim.kubeconfigPath);
  core = kubeconfig.makeApiClient(CoreV1Api);
  policy = kubeconfig.makeApiClient(PolicyV1Api);
});

afterAll(async () => {
  await sim?.stop();
  restoreEnvironment?.();
});

async function plan(type: string, params: Record<string, unknown>, principal = ADMIN): Promise<ActionPlan> {
  const response = await runAction(principal, { type, dryRun: true, params });
  expect(response.status).toBe(200);
  return ((await response.json()) as { plan: ActionPlan }).plan;
}

/** Applies and waits for the job to end; returns the final record. */
async function applyAndWait(type: string, params: Record<string, unknown>): Promise<ActionRecord> {
  const response = await runAction(ADMIN, { type, dryRun: false, params });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  for (let attempt = 0; attempt < 200; attempt++) {
    const record = (await (await getAction(ADMIN, id)).json()) as ActionRecord;
    if (record.status !== 'running') return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`action ${id} still running`);
}

const check = (checks: PreflightCheck[], name: string) => checks.find((candidate) => candidate.check === name);

async function associationsOf(namespace: string) {
  return (await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod-use1', namespace }))).associations ?? [];
}

// Each test sets up the association state it needs through EKS itself, so any one of them can run alone.
async function withoutAssociations(namespace: string) {
  for (const association of await associationsOf(namespace))
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: association.associationId! }));
}

/** The association of reports/exporter, created through EKS when there is none. */
async function exporterAssociation(): Promise<{ associationId: string }> {
  const [existing] = await associationsOf('reports');
  if (existing) return { associationId: existing.associationId! };
  const { association } = await eks.send(
    new CreatePodIdentityAssociationCommand({
      clusterName: 'prod-use1',
      namespace: 'reports',
      serviceAccount: 'exporter',
      roleArn: PAYMENTS_ROLE,
    }),
  );
  return { associationId: association!.associationId! };
}

describe('guided actions against the simulator', () => {
  it('creates an association for an IRSA service account: the plan warns about the annotation, EKS then holds it, and the audit has intent and result', async () => {
    await withoutAssociations('reports');
    const params = { cluster: 'prod-use1', namespace: 'reports', serviceAccount: 'exporter', roleArn: PAYMENTS_ROLE };
    const created = await plan('create-association', params);
    expect(check(created.preflight, 'irsa-annotation')).toMatchObject({ status: 'warn', offer: { type: 'remove-irsa-annotation' } });
    expect(check(created.preflight, 'trust-policy')?.status).toBe('pass');
    expect(created.terraform).toContain('resource "aws_eks_pod_identity_association"');
    expect(created.steps[0].cli).toContain('--client-request-token');

    const record = await applyAndWait('create-association', params);
    expect(record.status).toBe('succeeded');
    const associations = await associationsOf('reports');
    expect(associations.map((association) => association.serviceAccount)).toEqual(['exporter']);
    expect((record.result as { associationId: string }).associationId).toBe(associations[0].associationId);

    const entries = (await listAudit({ actor: 'itest-admin' })).items
      .filter((entry) => entry.correlationId === record.id)
      .map((entry) => entry.type);
    expect(entries).toContain('apply-intent');
    expect(entries).toContain('apply-result');
    const events = await core.listNamespacedEvent({ namespace: 'reports' });
    expect(events.items.some((event) => event.reason === 'PodIdentityAssociationCreated' && event.involvedObject.name === 'exporter')).toBe(
      true,
    );
  });

  it('a second create for the same service account is refused before any write, offering an update', async () => {
    await exporterAssociation();
    const response = await runAction(ADMIN, {
      type: 'create-association',
      dryRun: false,
      params: { cluster: 'prod-use1', namespace: 'reports', serviceAccount: 'exporter', roleArn: PAYMENTS_ROLE },
    });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; details: { checks: PreflightCheck[] } } };
    expect(body.error.code).toBe('preflight-failed');
    expect(check(body.error.details.checks, 'existing-association')?.offer?.type).toBe('update-association');
    expect(await associationsOf('reports')).toHaveLength(1);
  });

  it('updates the association to disable session tags, then deletes it only with the service account name typed', async () => {
    const association = await exporterAssociation();
    const updated = await applyAndWait('update-association', {
      cluster: 'prod-use1',
      associationId: association.associationId,
      disableSessionTags: true,
    });
    expect(updated.status).toBe('succeeded');
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: association.associationId }),
    );
    expect(described.association?.disableSessionTags).toBe(true);

    const wrong = await runAction(ADMIN, {
      type: 'delete-association',
      dryRun: false,
      params: { cluster: 'prod-use1', associationId: association.associationId, confirm: 'exporte' },
    });
    expect(wrong.status).toBe(409);
    expect(await associationsOf('reports')).toHaveLength(1);
    const deleted = await applyAndWait('delete-association', {
      cluster: 'prod-use1',
      associationId: association.associationId,
      confirm: 'exporter',
    });
    expect(deleted.status).toBe('succeeded');
    expect(await associationsOf('reports')).toHaveLength(0);
  });

  it("sets the association's session policy with session tags off, as EKS holds it; refuses it with tags on, as EKS does; removes it", async () => {
    const association = await exporterAssociation();
    const ids = { clusterName: 'prod-use1', associationId: association.associationId };
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }],
    });
    // The console refuses a policy with session tags on before any write, on the policy field...
    const refused = await runAction(ADMIN, {
      type: 'update-association',
      dryRun: false,
      params: { cluster: 'prod-use1', associationId: association.associationId, policy, disableSessionTags: false },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('disableSessionTags: true');
    // ...as EKS itself does (the same request straight through the SDK).
    await expect(eks.send(new UpdatePodIdentityAssociationCommand({ ...ids, policy, disableSessionTags: false }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    const set = await applyAndWait('update-association', {
      cluster: 'prod-use1',
      associationId: association.associationId,
      policy,
      disableSessionTags: true,
    });
    expect(set.status).toBe('succeeded');
    const described = (await eks.send(new DescribePodIdentityAssociationCommand(ids))).association;
    expect(described?.disableSessionTags).toBe(true);
    expect(JSON.parse(described?.policy ?? 'null')).toEqual(JSON.parse(policy));

    const removed = await applyAndWait('update-association', {
      cluster: 'prod-use1',
      associationId: association.associationId,
      policy: null,
      disableSessionTags: false,
    });
    expect(removed.status).toBe('succeeded');
    const after = (await eks.send(new DescribePodIdentityAssociationCommand(ids))).association;
    expect(after?.policy ?? null).toBeNull();
    expect(after?.disableSessionTags).toBe(false);
  });

  it('a change to the service account after the plan is reported as a conflict, not overwritten', async () => {
    const params = { cluster: 'prod-use1', namespace: 'reports', serviceAccount: 'exporter', value: 'true' as const };
    const planned = await plan('set-sts-regional-endpoints', params);
    expect(check(planned.preflight, 'dry-run')?.status).toBe('pass');
    // Someone else annotates the service account between the plan and the apply.
    await core.patchNamespacedServiceAccount({
      name: 'exporter',
      namespace: 'reports',
      body: [{ op: 'add', path: '/metadata/annotations/team.example.com~1owner', value: 'reports' }],
    });
    const definition = (await import('@/lib/actions/registry')).ACTIONS['set-sts-regional-endpoints'];
    const { loadActionContext, ActionError } = await import('@/lib/actions/action-context');
    const error = await definition
      .apply(params, planned, await loadActionContext(), { id: 'itest', report: () => undefined, cancelled: () => false })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as InstanceType<typeof ActionError>).plain).toMatchObject({ status: 409, code: 'conflict' });
    const serviceAccount = await core.readNamespacedServiceAccount({ name: 'exporter', namespace: 'reports' });
    expect(serviceAccount.metadata?.annotations?.['eks.amazonaws.com/sts-regional-endpoints']).toBeUndefined();
    expect(serviceAccount.metadata?.annotations?.['team.example.com/owner']).toBe('reports');
  });

  it('rolls a Deployment and reports every new pod carrying the Pod Identity env', async () => {
    const record = await applyAndWait('roll-pods', { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api' });
    expect(record).toMatchObject({ status: 'succeeded', progress: { done: 2, total: 2, withExpectedEnv: 2, newPods: 2 } });
    const pods = (await core.listNamespacedPod({ namespace: 'payments' })).items.filter(
      (pod) => pod.spec?.serviceAccountName === 'api' && !pod.metadata?.deletionTimestamp,
    );
    for (const pod of pods)
      expect(pod.spec?.containers[0].env?.some((variable) => variable.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe(true);
  });

  it('a bare pod whose eviction a PodDisruptionBudget forbids makes the roll stuck, with that reason; a running roll can be cancelled', async () => {
    await core.createNamespacedPod({
      namespace: 'payments',
      body: {
        metadata: { name: 'debug-shell', labels: { app: 'debug' } },
        spec: { serviceAccountName: 'api', containers: [{ name: 'sh', image: 'busybox:1.36' }] },
      },
    });
    await policy.createNamespacedPodDisruptionBudget({
      namespace: 'payments',
      body: { metadata: { name: 'debug' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'debug' } } } },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const planned = await plan('roll-pods', { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api', includeBarePods: true });
    expect(check(planned.preflight, 'bare-pods')).toMatchObject({ status: 'warn' });
    expect(check(planned.preflight, 'bare-pods')?.message).toContain('will NOT come back');

    process.env.CONSOLE_ROLL_STUCK_SECONDS = '1';
    try {
      const stuck = await applyAndWait('roll-pods', {
        cluster: 'prod-use1',
        namespace: 'payments',
        serviceAccount: 'api',
        includeBarePods: true,
      });
      expect(stuck.status).toBe('stuck');
      expect(stuck.error?.message).toContain('evicting debug-shell is blocked by a PodDisruptionBudget');
      expect((await core.readNamespacedPod({ name: 'debug-shell', namespace: 'payments' })).metadata?.name).toBe('debug-shell');

      process.env.CONSOLE_ROLL_STUCK_SECONDS = '60';
      const started = await runAction(ADMIN, {
        type: 'roll-pods',
        dryRun: false,
        params: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api', includeBarePods: true },
      });
      const { id } = (await started.json()) as { id: string };
      const { cancelAction } = await import('@/lib/actions/run-action');
      expect((await cancelAction(ADMIN, id)).status).toBe(202);
      let record: ActionRecord;
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        record = (await (await getAction(ADMIN, id)).json()) as ActionRecord;
      } while (record.status === 'running');
      expect(record.status).toBe('cancelled');
      expect((await cancelAction(ADMIN, id)).status).toBe(409);
    } finally {
      delete process.env.CONSOLE_ROLL_STUCK_SECONDS;
    }
  });

  it("PI012's fix trusts the association's role in its target role, with the association's external id, and only that", async () => {
    const targetArn = 'arn:aws:iam::111122223333:role/catalog-reader';
    // minimal.yaml's catalog-reader names the association's role, but with an external id of no association.
    const { association } = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: 'prod-use1',
        namespace: 'payments',
        serviceAccount: 'catalog',
        roleArn: PAYMENTS_ROLE,
        targetRoleArn: targetArn,
      }),
    );
    try {
      expect(association?.externalId).toBeTruthy();
      const findingsOfCatalog = async () => {
        forgetFleetView();
        const view = await currentFleetView();
        return (
          view.rows.find((row) => row.cluster === 'prod-use1' && row.namespace === 'payments' && row.name === 'catalog')?.findings ?? []
        );
      };
      const pi012 = (await findingsOfCatalog()).find((finding) => finding.code === 'PI012');
      expect(pi012?.action).toEqual({ type: 'fix-trust-policy', params: { roleArn: targetArn } });

      // The finding's own action plans and applies as it is.
      const planned = await plan(pi012!.action!.type, pi012!.action!.params);
      expect(check(planned.preflight, 'scoped-statement')?.status).toBe('pass');
      expect(planned.preview?.notes?.join(' ')).toContain('prod-use1/payments/catalog');
      const record = await applyAndWait(pi012!.action!.type, pi012!.action!.params);
      expect(record.status).toBe('succeeded');

      // IAM holds a statement for exactly this association: its role, its external id; the stale one is gone.
      const role = await iam.send(new GetRoleCommand({ RoleName: 'catalog-reader' }));
      const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)) as { Statement: Record<string, unknown>[] };
      expect(trust.Statement).toEqual([
        {
          Sid: 'AllowPodIdentityRoleChain',
          Effect: 'Allow',
          Principal: { AWS: PAYMENTS_ROLE },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringEquals: { 'sts:ExternalId': association!.externalId } },
        },
      ]);
      expect((await findingsOfCatalog()).map((finding) => finding.code)).not.toContain('PI012');
    } finally {
      await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: 'prod-use1', associationId: association!.associationId! }));
    }
  });

  it('invalid params are answered field by field, and a caller without an operator grant is refused and audited', async () => {
    const invalid = await runAction(ADMIN, {
      type: 'create-association',
      dryRun: true,
      params: { cluster: 'prod-use1', namespace: 'Reports', serviceAccount: 'exporter', roleArn: 'payments-api' },
    });
    expect(invalid.status).toBe(400);
    const fields = ((await invalid.json()) as { error: { details: { fields: Record<string, string> } } }).error.details.fields;
    expect(Object.keys(fields).sort()).toEqual(['params.namespace', 'params.roleArn']);

    const refused = await runAction(OUTSIDER, {
      type: 'roll-pods',
      dryRun: false,
      params: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api' },
    });
    expect(refused.status).toBe(403);
    const audit = (await listAudit({ actor: 'itest-outsider', type: 'refused' })).items;
    expect(audit[0]).toMatchObject({
      actionType: 'roll-pods',
      outcome: 'refused',
      target: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'api' },
    });
  });

  it('a result the audit store cannot write (database locked) ends the job as unknown outcome, and the console keeps working', async () => {
    const params = { cluster: 'prod-use1', namespace: 'reports', serviceAccount: 'audit-locked', roleArn: PAYMENTS_ROLE };
    const response = await runAction(ADMIN, { type: 'create-association', dryRun: false, params });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    // Another writer holds the audit database (as a backup tool or a second process might) while the job ends.
    const locker = new Database(path.join(process.env.DATA_DIR!, 'audit.sqlite'), { timeout: 0 });
    locker.exec('BEGIN EXCLUSIVE');
    let record: ActionRecord | undefined;
    try {
      // Each audit write waits out SQLite's busy timeout (5 s, synchronously) while the lock is held, so the job's
      // end comes in ~5 s steps; the deadline is generous for a loaded CI machine.
      const deadline = Date.now() + 75_000;
      while (Date.now() < deadline) {
        record = (await (await getAction(ADMIN, id)).json()) as ActionRecord;
        if (record.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect(record?.status).toBe('unknown outcome');
    // The association was made; the trail just cannot prove it, and the next action runs as usual.
    expect((await associationsOf('reports')).map((association) => association.serviceAccount)).toContain('audit-locked');
    expect((await plan('roll-pods', { cluster: 'prod-use1', namespace: 'reports', serviceAccount: 'exporter' })).type).toBe('roll-pods');
  }, 90_000);
});
