import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { simulatedFleetClusters } from '@/scripts/demo-identity';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { pointConsoleAt } from '../support/console-environment';
import { listAudit } from '@/lib/audit/audit-log';
import type { Principal } from '@/lib/auth/principal';
import { forgetFleetView } from '@/lib/console/queries';
import { abandonMigrationForTests, getMigration, resumeMigration, rollbackMigration, startMigration } from '@/lib/migration/run-migration';
import type { MigrationPlan, MigrationRecord } from '@/lib/migration/types';

// The IRSA → Pod Identity migration of the demo's mixed-readiness namespace (data-euw1/data-reports) against the
// simulator, every effect checked with the real SDK clients and client-node, not the console's own state.

const ROOT = path.resolve(__dirname, '../..');
const ADMIN: Principal = { subject: 'itest-admin', groups: [], teams: [], isAdmin: true, via: 'token' };
const OUTSIDER: Principal = { subject: 'itest-outsider', groups: [], teams: [], isAdmin: false, via: 'token', tokenRole: 'operator' };
const NS = 'data-reports';
const CLUSTER = 'data-euw1';
const READY = ['daily-report', 'weekly-report'];

let sim: RunningSim;
let eks: EKSClient;
let iam: IAMClient;
let core: CoreV1Api;
let restoreEnvironment: (() => void) | undefined;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wic-migration-'));
  sim = await startSim({
    scenarioFile: path.join(ROOT, 'sim', 'scenarios', 'demo.yaml'),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    rolloutReadyDelayMs: 50,
  });
  // The console as the demo runs it: its own account, and the data account's clusters through the reader role.
  const configFile = path.join(dir, 'console.yaml');
  writeFileSync(configFile, stringify({ clusters: simulatedFleetClusters(sim, '111122223333') }));
  restoreEnvironment = pointConsoleAt({ ...consoleEnvironment(sim, '111122223333'), DATA_DIR: dir, CONSOLE_CONFIG: configFile });
  const env = consoleEnvironment(sim, '444455556666');
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  eks = new EKSClient({ region: 'eu-west-1', endpoint: sim.awsUrl, credentials });
  iam = new IAMClient({ region: 'us-east-1', endpoint: sim.awsUrl, credentials });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(sim.kubeconfigPath);
  kubeconfig.setCurrentContext(kubeconfig.getContexts().find((context) => context.name.includes(CLUSTER))!.name);
  core = kubeconfig.makeApiClient(CoreV1Api);
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  restoreEnvironment?.();
});

async function associations() {
  const listed = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: CLUSTER, namespace: NS }));
  return (listed.associations ?? []).map((association) => association.serviceAccount).sort();
}

async function trustSids(name: string): Promise<(string | undefined)[]> {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));
  const policy = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: { Sid?: string }[] };
  return policy.Statement.map((statement) => statement.Sid);
}

/** Per service account: the credential env its live pods carry. */
async function podEnv(): Promise<Record<string, string[]>> {
  const pods = await core.listNamespacedPod({ namespace: NS });
  const out: Record<string, string[]> = {};
  for (const pod of pods.items) {
    if (pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') continue;
    const env = new Set(pod.spec!.containers.flatMap((container) => (container.env ?? []).map((variable) => variable.name)));
    const kind =
      env.has('AWS_CONTAINER_CREDENTIALS_FULL_URI') && !env.has('AWS_ROLE_ARN')
        ? 'pod-identity'
        : env.has('AWS_ROLE_ARN') && !env.has('AWS_CONTAINER_CREDENTIALS_FULL_URI')
          ? 'irsa'
          : 'other';
    (out[pod.spec!.serviceAccountName!] ??= []).push(kind);
  }
  return out;
}

async function post(principal: Principal, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  forgetFleetView();
  const response = await startMigration(principal, body);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function waitFor(
  id: string,
  done: (record: MigrationRecord) => boolean = (record) => record.status !== 'running',
): Promise<MigrationRecord> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const record = (await (await getMigration(ADMIN, id)).json()) as MigrationRecord;
    if (done(record)) return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`migration ${id} did not get there`);
}

const request = (dryRun: boolean, options: Record<string, unknown> = {}) => ({ dryRun, cluster: CLUSTER, namespaces: [NS], options });

describe('IRSA to Pod Identity migration against the simulator', () => {
  it('plans: the ready ones get steps, requests, commands and Terraform; the PI009 one is listed and skipped', async () => {
    const { status, json } = await post(ADMIN, request(true));
    expect(status).toBe(200);
    const plan = json.plan as MigrationPlan;
    const byName = Object.fromEntries(plan.items.map((item) => [item.name, item]));
    expect(Object.keys(byName).sort()).toEqual(['daily-report', 'report-archiver', 'weekly-report']);
    expect(byName['report-archiver']).toMatchObject({ state: 'blocked', steps: [], reasons: [{ code: 'PI009' }] });
    const daily = byName['daily-report'];
    expect(daily.state).toBe('ready');
    expect(daily.steps.map((step) => step.step)).toEqual(['trust', 'associate', 'roll']);
    expect(daily.steps[1].cli).toContain('aws eks create-pod-identity-association');
    expect(daily.steps[1].cli).toContain('--client-request-token');
    expect(daily.steps[0].request.body).toMatchObject({ RoleName: 'data-reports-daily' });
    expect(JSON.stringify(daily.steps[0].request.body)).toContain('aws:SourceArn');
    expect(daily.podsAfterRoll.every((pod) => pod.gets.includes('Pod Identity'))).toBe(true);
    expect(daily.preflight.find((check) => check.check === 'trust-policy')?.status).toBe('pass');
    expect(plan.terraform).toContain('resource "aws_eks_pod_identity_association" "data_reports_daily_report"');
    expect(plan.terraform).toContain('aws:RequestTag/kubernetes-service-account');
    // A dry run changes nothing.
    expect(await associations()).toEqual([]);
  }, 120_000);

  it('refuses an operator outside the namespace scope before anything is read or written', async () => {
    const { status } = await post(OUTSIDER, request(false));
    expect(status).toBe(403);
    expect(await associations()).toEqual([]);
  });

  it('migrates the ready ones, leaves the blocked one untouched, and a second run is a no-op that says so', async () => {
    const archiverPods = (await core.listNamespacedPod({ namespace: NS })).items
      .filter((pod) => pod.spec?.serviceAccountName === 'report-archiver')
      .map((pod) => pod.metadata!.name)
      .sort();
    const { status, json } = await post(ADMIN, request(false));
    expect(status).toBe(202);
    const record = await waitFor(json.id as string);
    expect(record.status).toBe('succeeded');
    expect(record.items.map((item) => `${item.name}:${item.status}`).sort()).toEqual([
      'daily-report:succeeded',
      'report-archiver:skipped',
      'weekly-report:succeeded',
    ]);

    expect(await associations()).toEqual(READY);
    expect(await trustSids('data-reports-daily')).toEqual(['IRSA', expect.stringMatching(/^PodIdentityMigration[0-9a-f]{16}$/)]);
    expect(await trustSids('data-reports-archiver')).toEqual(['IRSA']);
    const env = await podEnv();
    expect(env['daily-report']).toEqual(['pod-identity', 'pod-identity']);
    expect(env['weekly-report']).toEqual(['pod-identity']);
    expect(env['report-archiver']).toEqual(['irsa']);
    const archiverAfter = (await core.listNamespacedPod({ namespace: NS })).items
      .filter((pod) => pod.spec?.serviceAccountName === 'report-archiver')
      .map((pod) => pod.metadata!.name)
      .sort();
    expect(archiverAfter).toEqual(archiverPods);

    // An audit entry and a Kubernetes Event per step.
    const steps = (await listAudit({ type: 'apply-result', limit: 200 })).items.filter((entry) =>
      entry.actionType?.startsWith('migration '),
    );
    expect(
      steps
        .filter((entry) => entry.target.serviceAccount === 'daily-report')
        .map((entry) => entry.actionType)
        .sort(),
    ).toEqual(['migration associate', 'migration roll', 'migration trust']);
    const events = await core.listNamespacedEvent({ namespace: NS });
    expect(
      events.items.filter((event) => event.reason === 'PodIdentityMigration' && event.involvedObject.name === 'weekly-report'),
    ).toHaveLength(3);

    const again = await post(ADMIN, request(false));
    const second = await waitFor(again.json.id as string);
    expect(second.status).toBe('succeeded');
    expect(second.message).toMatch(/^Nothing to do/);
    expect(second.items.filter((item) => item.status !== 'skipped')).toEqual([]);
    expect(await associations()).toEqual(READY);

    // Rollback: exactly what was applied is undone, and the pods carry IRSA again.
    const rollback = await rollbackMigration(ADMIN, record.id, {});
    expect(rollback.status).toBe(202);
    const rolledBack = await waitFor(record.id);
    expect(rolledBack.status).toBe('rolled-back');
    expect(await associations()).toEqual([]);
    expect(await trustSids('data-reports-daily')).toEqual(['IRSA']);
    const back = await podEnv();
    expect(back['daily-report']).toEqual(['irsa', 'irsa']);
    expect(back['weekly-report']).toEqual(['irsa']);
  }, 240_000);

  it('a restart in the middle of a batch shows unknown outcome from the audit store, and resume finishes it', async () => {
    const { json } = await post(ADMIN, request(false, { concurrency: 1 }));
    const id = json.id as string;
    await waitFor(id, (record) => record.items.some((item) => item.status === 'running' && item.step === 'roll'));
    abandonMigrationForTests(id);

    const after = (await (await getMigration(ADMIN, id)).json()) as MigrationRecord;
    expect(after.status).toBe('unknown outcome');
    const interrupted = after.items.find((item) => item.status === 'unknown outcome')!;
    expect(interrupted.error).toMatch(/stopped during roll/);
    expect(interrupted.applied.map((applied) => applied.step)).toEqual(['trust', 'associate']);

    expect((await resumeMigration(ADMIN, id)).status).toBe(202);
    const resumed = await waitFor(id);
    expect(resumed.status).toBe('succeeded');
    expect(await associations()).toEqual(READY);
    const env = await podEnv();
    expect(env['daily-report']).toEqual(['pod-identity', 'pod-identity']);

    expect((await rollbackMigration(ADMIN, id, {})).status).toBe(202);
    expect((await waitFor(id)).status).toBe('rolled-back');
    expect(await associations()).toEqual([]);
  }, 240_000);
});
