import { expect, test, type Page } from '@playwright/test';
import { readStackInfo } from './stack-info';
import { awsJson, envOf, kubectlJson, podsOf } from './support/sim-cli';
import { signIn } from './support/sign-in';

// Issue 4 "Done when": an on-call engineer fixes every actionable story of the demo in the browser, and the
// effect is verified through the simulator with kubectl and the aws CLI, never through the console's own state.
// These tests change the demo fleet, so they run after every read-only spec (playwright.config.ts projects).

test.describe.configure({ mode: 'serial' });

// The first page of a cold console waits for the first collection of the whole fleet (roles, their policies,
// buckets), which on a busy machine can take longer than one test's budget; run alone (--no-deps), nothing
// before this spec has warmed it. The first test then measures its own work, not the console's start.
test.beforeAll(async () => {
  test.setTimeout(240_000);
  const response = await fetch(`${readStackInfo().consoleUrl}/api/v1/serviceaccounts`, {
    headers: { authorization: 'Bearer demo-platform-automation-token' },
  });
  expect(response.status).toBe(200);
});

const PROD_CONTEXT = 'arn:aws:eks:us-east-1:111122223333:cluster/prod-use1';
const DATA_CONTEXT = 'arn:aws:eks:eu-west-1:444455556666:cluster/data-euw1';

async function openServiceAccount(page: Page, cluster: string, namespace: string, name: string) {
  await page.goto(`/serviceaccounts/${cluster}/${namespace}/${name}`);
  await expect(page.getByRole('list', { name: 'Credential chain' })).toBeVisible();
}

const finding = (page: Page, code: string) => page.getByRole('list', { name: 'Findings' }).locator(`[data-finding-code="${code}"]`);

/** Applies the plan on screen and waits for the job to finish; returns the dialog. */
async function applyAndWait(page: Page, expectedStatus = 'Done') {
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('region', { name: 'Preflight checks' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByTestId('action-status')).toHaveText(expectedStatus, { timeout: 45_000 });
  return dialog;
}

test('PI005: a payments operator rolls the pods from the finding, the row goes green, and the roll is on the Activity page', async ({
  page,
}) => {
  await signIn(page, 'ann', '/');
  await openServiceAccount(page, 'prod-use1', 'payments', 'notifications');
  await expect(finding(page, 'PI005')).toBeVisible();

  await finding(page, 'PI005').getByRole('button', { name: /^Fix:/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('region', { name: 'Pods to replace' })).toContainText('Deployment/notifications');
  await expect(dialog).toContainText(
    'kubectl --context arn:aws:eks:us-east-1:111122223333:cluster/prod-use1 -n payments rollout restart deployment/notifications',
  );
  await applyAndWait(page);
  await expect(dialog.getByRole('progressbar', { name: 'Pods replaced' })).toHaveAttribute('aria-valuenow', '2');
  await expect(dialog).toContainText('2 of 2 new pod(s) carry AWS_CONTAINER_CREDENTIALS_FULL_URI');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const pods = podsOf(PROD_CONTEXT, 'payments', 'notifications');
  expect(pods).toHaveLength(2);
  for (const pod of pods) expect(envOf(pod).AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe('http://169.254.170.23/v1/credentials');
  await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible();

  const events = kubectlJson<{ items: { reason: string; involvedObject: { name: string }; message: string }[] }>(PROD_CONTEXT, [
    '-n',
    'payments',
    'get',
    'events',
  ]);
  expect(
    events.items.some(
      (event) => event.reason === 'PodsRolled' && event.involvedObject.name === 'notifications' && event.message.includes('ann'),
    ),
  ).toBe(true);

  // Issue 14, problem 7: one timeline entry for the roll (intent, progress and result folded), its steps behind a
  // toggle, the service account a link.
  await page.goto('/activity');
  const roll = page
    .getByTestId('activity-entry')
    .filter({ hasText: 'ann (oidc) applied Restart the pods' })
    .filter({ hasText: 'prod-use1/payments/notifications' });
  await expect(roll).toHaveCount(1);
  await expect(roll).toHaveAttribute('data-outcome', 'succeeded');
  await roll.getByText(/\d+ steps?/).click();
  await expect(roll).toContainText('2 of 2');
  await expect(roll.locator('time').first()).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+00:00$/);
  await roll.getByRole('link', { name: 'prod-use1/payments/notifications' }).click();
  await expect(page).toHaveURL(/\/serviceaccounts\/prod-use1\/payments\/notifications$/);
});

test('PI003: fixing the trust policy replaces the broken statement with one scoped to the association, shows who could assume it, and clears the finding', async ({
  page,
}) => {
  await signIn(page, 'ann', '/');
  await openServiceAccount(page, 'prod-use1', 'payments', 'ledger-exporter');
  await finding(page, 'PI003').getByRole('button', { name: /^Fix:/ }).click();
  const dialog = page.getByRole('dialog');
  const diff = dialog.getByLabel('Trust policy diff', { exact: true });
  await expect(diff).toContainText('-          "aws:PrincipalOrgID": "o-a1b2c3d4e5"');
  await expect(diff).toContainText('+          "aws:RequestTag/kubernetes-service-account": "ledger-exporter"');
  await expect(dialog).toContainText('before nobody; after prod-use1/payments/ledger-exporter.');
  await applyAndWait(page);
  await expect(dialog.getByRole('button', { name: 'Roll the pods of payments/ledger-exporter now' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  const { Role } = awsJson<{ Role: { AssumeRolePolicyDocument: unknown } }>(['iam', 'get-role', '--role-name', 'payments-ledger-exporter']);
  const policy =
    typeof Role.AssumeRolePolicyDocument === 'string'
      ? JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument))
      : Role.AssumeRolePolicyDocument;
  const statements = (policy as { Statement: { Sid?: string; Condition?: unknown }[] }).Statement;
  expect(statements).toHaveLength(1);
  expect(statements[0].Sid).toBe('AllowEksAuthToAssumeRoleForPodIdentity');
  expect(statements[0].Condition).toEqual({
    StringEquals: {
      'aws:SourceAccount': '111122223333',
      'aws:RequestTag/eks-cluster-arn': PROD_CONTEXT,
      'aws:RequestTag/kubernetes-namespace': 'payments',
      'aws:RequestTag/kubernetes-service-account': 'ledger-exporter',
    },
    ArnEquals: { 'aws:SourceArn': PROD_CONTEXT },
  });
  await expect(finding(page, 'PI003')).toHaveCount(0);
  await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible();

  // Issue 14, problem 7: the trust fix on the Activity page with the diff that was confirmed.
  await page.goto('/activity');
  const fix = page.locator('[data-testid="activity-entry"][data-kind="action"]').filter({ hasText: 'payments-ledger-exporter' }).first();
  await expect(fix).toHaveAttribute('data-outcome', 'succeeded');
  await fix.getByText('the trust policy diff').click();
  await expect(fix.getByLabel('Trust policy diff', { exact: true })).toContainText(
    '+          "aws:RequestTag/kubernetes-service-account": "ledger-exporter"',
  );
});

test('ST002: an admin turns regional STS on, rolls the pods from the follow-up, and the new pods carry AWS_STS_REGIONAL_ENDPOINTS', async ({
  page,
}) => {
  await signIn(page, 'ada', '/');
  await openServiceAccount(page, 'data-euw1', 'data', 'warehouse-loader');
  await finding(page, 'ST002').getByRole('button', { name: /^Fix:/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('[data-check="dry-run"]')).toHaveAttribute('data-status', 'pass');
  await expect(dialog).toContainText('annotate serviceaccount warehouse-loader --overwrite --resource-version=');
  await applyAndWait(page);
  await dialog.getByRole('button', { name: 'Roll the pods of data/warehouse-loader now' }).click();
  await applyAndWait(page);
  await expect(dialog).toContainText('AWS_STS_REGIONAL_ENDPOINTS=regional');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const serviceAccount = kubectlJson<{ metadata: { annotations: Record<string, string> } }>(DATA_CONTEXT, [
    '-n',
    'data',
    'get',
    'serviceaccount',
    'warehouse-loader',
  ]);
  expect(serviceAccount.metadata.annotations['eks.amazonaws.com/sts-regional-endpoints']).toBe('true');
  for (const pod of podsOf(DATA_CONTEXT, 'data', 'warehouse-loader')) expect(envOf(pod).AWS_STS_REGIONAL_ENDPOINTS).toBe('regional');
  await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible();
});

test('ID001: removing the IRSA annotation and rolling leaves the pods on Pod Identity only', async ({ page }) => {
  await signIn(page, 'ada', '/');
  await openServiceAccount(page, 'data-euw1', 'data', 'catalog');
  await finding(page, 'ID001').getByRole('button', { name: /^Fix:/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('[data-check="pod-identity"]')).toHaveAttribute('data-status', 'pass');
  await applyAndWait(page);
  await dialog.getByRole('button', { name: 'Roll the pods of data/catalog now' }).click();
  await applyAndWait(page);
  await dialog.getByRole('button', { name: 'Close' }).click();

  const serviceAccount = kubectlJson<{ metadata: { annotations?: Record<string, string> } }>(DATA_CONTEXT, [
    '-n',
    'data',
    'get',
    'serviceaccount',
    'catalog',
  ]);
  expect(serviceAccount.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
  for (const pod of podsOf(DATA_CONTEXT, 'data', 'catalog')) {
    expect(envOf(pod).AWS_CONTAINER_CREDENTIALS_FULL_URI).toBeTruthy();
    expect(envOf(pod).AWS_ROLE_ARN).toBeUndefined();
  }
  await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible();
});

test('PI002: fixing the Restate writer role adds sts:TagSession, Restate uploads the overdue snapshot, and the row goes green', async ({
  page,
}) => {
  await signIn(page, 'ada', '/');
  await openServiceAccount(page, 'prod-use1', 'restate-payments', 'restate');
  await finding(page, 'PI002').getByRole('button', { name: /^Fix:/ }).click();
  await applyAndWait(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  const { Role } = awsJson<{ Role: { AssumeRolePolicyDocument: unknown } }>(['iam', 'get-role', '--role-name', 'restate-snapshots']);
  const policy =
    typeof Role.AssumeRolePolicyDocument === 'string'
      ? JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument))
      : Role.AssumeRolePolicyDocument;
  expect(JSON.stringify(policy)).toContain('sts:TagSession');
  await expect(finding(page, 'PI002')).toHaveCount(0);
  await expect(finding(page, 'SN006')).toHaveCount(0);
  // Restate retries the overdue partition once uploads work; Refresh re-reads the bucket.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText("Nothing is wrong with this service account's credentials.")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
});

test('PI008: from the cluster page, an admin associates the unused Karpenter role with a service account that does not exist yet', async ({
  page,
}) => {
  await signIn(page, 'ada', '/clusters/prod-use1');
  const pi008 = page.locator('[data-finding-code="PI008"]');
  await pi008.getByRole('button', { name: /^Fix:/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Namespace').fill('karpenter');
  await dialog.getByLabel('Service account').fill('karpenter');
  await expect(dialog.getByLabel('Role', { exact: true })).toHaveValue('arn:aws:iam::111122223333:role/KarpenterController-prod-use1');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.locator('[data-check="service-account"]')).toHaveAttribute('data-status', 'warn');
  await expect(dialog.locator('[data-check="trust-policy"]')).toHaveAttribute('data-status', 'pass');
  await expect(dialog).toContainText('resource "aws_eks_pod_identity_association"');
  await applyAndWait(page);
  await dialog.getByRole('button', { name: 'Close' }).click();

  const { associations } = awsJson<{ associations: { namespace: string; serviceAccount: string; associationId: string }[] }>([
    'eks',
    'list-pod-identity-associations',
    '--region',
    'us-east-1',
    '--cluster-name',
    'prod-use1',
    '--namespace',
    'karpenter',
  ]);
  expect(associations.map((association) => association.serviceAccount)).toEqual(['karpenter']);
  const { association } = awsJson<{ association: { roleArn: string } }>([
    'eks',
    'describe-pod-identity-association',
    '--region',
    'us-east-1',
    '--cluster-name',
    'prod-use1',
    '--association-id',
    associations[0].associationId,
  ]);
  expect(association.roleArn).toBe('arn:aws:iam::111122223333:role/KarpenterController-prod-use1');
  await expect(page.locator('[data-finding-code="PI008"]')).toHaveCount(0);
});

test('a viewer cannot act: the buttons say why, the API refuses with 403, and the refusal is audited', async ({ page, baseURL }) => {
  const podsBefore = podsOf(DATA_CONTEXT, 'data-pipelines', 'ingest').map((pod) => pod.metadata.name);
  expect(podsBefore.length).toBeGreaterThan(0);
  await signIn(page, 'dan', '/');
  await openServiceAccount(page, 'data-euw1', 'data-pipelines', 'ingest');
  await expect(page.getByRole('region', { name: 'Actions' })).toContainText('actions need the operator role');
  await expect(page.getByRole('button', { name: 'Roll pods' })).toBeDisabled();

  const refused = await page.request.post('/api/v1/actions', {
    headers: { origin: baseURL! },
    data: { type: 'roll-pods', dryRun: false, params: { cluster: 'data-euw1', namespace: 'data-pipelines', serviceAccount: 'ingest' } },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('viewer');

  // The refusal in words, not JSON (issue 14, problem 7).
  await page.goto('/activity');
  const refusal = page
    .locator('[data-testid="activity-entry"][data-kind="refused"]')
    .filter({ hasText: 'data-euw1/data-pipelines/ingest' })
    .first();
  await expect(refusal).toContainText('dan (oidc) was refused Restart the pods');
  await expect(refusal).toContainText('viewer');
  await expect(refusal).not.toContainText('{');
  // Nothing was rolled: the very pods that ran before the refused request, none evicted or replaced.
  expect(
    podsOf(DATA_CONTEXT, 'data-pipelines', 'ingest')
      .map((pod) => pod.metadata.name)
      .sort(),
  ).toEqual([...podsBefore].sort());
});
