import { expect, test, type Page } from '@playwright/test';
import { readStackInfo } from './stack-info';
import { signIn } from './support/sign-in';
import { awsJson, envOf, podsOf } from './support/sim-cli';

// Issue 15 "Done when": an operator migrates the demo's mixed-readiness namespace (data-euw1/data-reports) from
// IRSA to Pod Identity in the browser, and every effect is read back from the simulator with the aws CLI and
// kubectl. It changes the fleet, so it runs in the serialized project after the read-only specs.

test.describe.configure({ mode: 'serial' });

const CLUSTER = 'data-euw1';
const NS = 'data-reports';
const CONTEXT = 'arn:aws:eks:eu-west-1:444455556666:cluster/data-euw1';
// The data account's clusters are read through this role, as the console does (scripts/demo-identity.ts).
const DATA_ACCOUNT = { roleArn: 'arn:aws:iam::444455556666:role/WorkloadIdentityConsoleReader' };
const PLAN_URL = `/migrations?cluster=${CLUSTER}&namespace=${NS}`;
const LONG = { timeout: 180_000 };

// As in actions.spec.ts: the first page of a cold console waits for the first collection of the whole fleet.
test.beforeAll(async () => {
  test.setTimeout(240_000);
  const response = await fetch(`${readStackInfo().consoleUrl}/api/v1/serviceaccounts`, {
    headers: { authorization: 'Bearer demo-platform-automation-token' },
  });
  expect(response.status).toBe(200);
});

function associations(): string[] {
  const { associations: listed } = awsJson<{ associations: { serviceAccount: string }[] }>(
    ['eks', 'list-pod-identity-associations', '--region', 'eu-west-1', '--cluster-name', CLUSTER, '--namespace', NS],
    DATA_ACCOUNT,
  );
  return listed.map((association) => association.serviceAccount).sort();
}

function trustSids(roleName: string): (string | undefined)[] {
  const { Role } = awsJson<{ Role: { AssumeRolePolicyDocument: unknown } }>(['iam', 'get-role', '--role-name', roleName], DATA_ACCOUNT);
  const document = Role.AssumeRolePolicyDocument;
  const policy = (typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document) as { Statement: { Sid?: string }[] };
  return policy.Statement.map((statement) => statement.Sid);
}

/** The credential env each live pod of the service account carries. */
function mechanisms(serviceAccount: string): string[] {
  return podsOf(CONTEXT, NS, serviceAccount).map((pod) => {
    const env = envOf(pod);
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI && !env.AWS_ROLE_ARN) return 'pod-identity';
    if (env.AWS_ROLE_ARN && !env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return 'irsa';
    return 'mixed';
  });
}

const item = (page: Page, sa: string) => page.getByTestId('migration-item').and(page.locator(`[data-sa="${NS}/${sa}"]`));

async function applyFromPlan(page: Page, count: number) {
  await page.getByRole('button', { name: 'Apply…' }).click();
  await page
    .getByRole('group', { name: 'Confirm the migration' })
    .getByRole('button', { name: `Migrate ${count} service account(s)` })
    .click();
  await expect(page).toHaveURL(/\/migrations\/[^/?]+$/, LONG);
}

test('a viewer sees the plan, with the blocked one and why, but nothing to apply it with', async ({ page }) => {
  await signIn(page, 'dan', PLAN_URL);
  await expect(page.getByRole('heading', { name: 'Move to Pod Identity' })).toBeVisible(LONG);
  await expect(item(page, 'report-archiver')).toHaveAttribute('data-state', 'blocked', LONG);
  await expect(item(page, 'report-archiver')).toContainText('PI009');
  await expect(item(page, 'daily-report')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('migration-summary')).toHaveText(/^2 of 3 service account\(s\) can move/);
  await expect(page.getByRole('button', { name: 'Apply…' })).toHaveCount(0);
  await expect(page.getByTestId('migration-why-not')).toContainText('needs the operator role');
});

let migrationUrl = '';

test('an operator migrates the namespace: the ready ones end on Pod Identity, verified, and the blocked one is untouched', async ({
  page,
}) => {
  const archiverPods = podsOf(CONTEXT, NS, 'report-archiver').map((pod) => pod.metadata.name);
  await signIn(page, 'ada', '/migrations');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'To Pod Identity' }).click();
  await page
    .getByRole('table', { name: 'Namespaces with IRSA service accounts' })
    .getByRole('link', { name: `${CLUSTER} / ${NS}` })
    .click(LONG);
  await expect(item(page, 'daily-report')).toBeVisible(LONG);
  await expect(item(page, 'report-archiver').getByRole('checkbox')).toHaveCount(0);
  await applyFromPlan(page, 2);
  migrationUrl = new URL(page.url()).pathname;

  await expect(page.getByTestId('migration-status')).toHaveText('Done', LONG);
  await expect(item(page, 'daily-report')).toHaveAttribute('data-status', 'succeeded');
  await expect(item(page, 'weekly-report')).toHaveAttribute('data-status', 'succeeded');
  await expect(item(page, 'report-archiver')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('migration-result')).toContainText('2 service account(s) migrated and verified');

  expect(associations()).toEqual(['daily-report', 'weekly-report']);
  expect(trustSids('data-reports-daily')).toEqual(['IRSA', expect.stringMatching(/^PodIdentityMigration[0-9a-f]{16}$/)]);
  expect(trustSids('data-reports-weekly')).toEqual(['IRSA', expect.stringMatching(/^PodIdentityMigration[0-9a-f]{16}$/)]);
  expect(trustSids('data-reports-archiver')).toEqual(['IRSA']);
  expect(mechanisms('daily-report')).toEqual(['pod-identity', 'pod-identity']);
  expect(mechanisms('weekly-report')).toEqual(['pod-identity']);
  expect(mechanisms('report-archiver')).toEqual(['irsa']);
  expect(podsOf(CONTEXT, NS, 'report-archiver').map((pod) => pod.metadata.name)).toEqual(archiverPods);
});

test('a second run of the same migration is a no-op that says so', async ({ page }) => {
  await signIn(page, 'ada', PLAN_URL);
  await expect(page.getByTestId('migration-summary')).toHaveText(/^0 of 3 service account\(s\) can move/, LONG);
  await expect(item(page, 'daily-report')).toHaveAttribute('data-state', 'migrated');
  await applyFromPlan(page, 0);
  await expect(page.getByTestId('migration-status')).toHaveText('Done', LONG);
  await expect(page.getByTestId('migration-result')).toContainText('Nothing to do');
  expect(associations()).toEqual(['daily-report', 'weekly-report']);
});

test('rolling back one service account, then the batch, returns them to IRSA, verified', async ({ page }) => {
  expect(migrationUrl).not.toBe('');
  await signIn(page, 'ada', migrationUrl);
  await page.getByRole('button', { name: `Roll back ${NS}/weekly-report` }).click();
  await expect(item(page, 'weekly-report')).toHaveAttribute('data-status', 'rolled-back', LONG);
  await expect(page.getByTestId('migration-status')).toHaveText('Done', LONG);
  expect(associations()).toEqual(['daily-report']);
  expect(mechanisms('weekly-report')).toEqual(['irsa']);

  await page.getByRole('button', { name: 'Roll back the batch' }).click();
  await expect(page.getByTestId('migration-status')).toHaveText('Rolled back', LONG);
  await expect(page.getByTestId('migration-result')).toContainText('2 service account(s) rolled back and verified');
  expect(associations()).toEqual([]);
  expect(trustSids('data-reports-daily')).toEqual(['IRSA']);
  expect(trustSids('data-reports-weekly')).toEqual(['IRSA']);
  expect(mechanisms('daily-report')).toEqual(['irsa', 'irsa']);
  expect(mechanisms('weekly-report')).toEqual(['irsa']);
});
