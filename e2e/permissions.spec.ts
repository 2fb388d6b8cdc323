import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

// Issue 13: the "Can it…?" box on a service account's page and the fleet-wide reverse lookup, in Chromium,
// on the demo's permission stories; and both agree with SimulatePrincipalPolicy where AWS can judge.

// The AWS half of a page waits for the first collection of the fleet, slow on a loaded machine.
test.describe.configure({ timeout: 180_000 });
const FIRST_COLLECTION = { timeout: 120_000 };

const admin = { authorization: 'Bearer demo-platform-automation-token' };
const ORDERS = 'arn:aws:s3:::restate-snapshots/orders/1/latest.json';

test('the Restate writer that may not write: the box, prefilled from its needs, says denied with no allowing statement', async ({
  page,
}) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/restate-orders/restate');
  const access = page.getByRole('region', { name: 'AWS access' });
  await expect(access).toContainText('arn:aws:iam::111122223333:role/restate-orders-snapshots', FIRST_COLLECTION);
  const box = access.getByRole('form', { name: 'Can it…?' });
  await expect(box.getByLabel('Action')).toHaveValue('s3:PutObject');
  await expect(box.getByLabel('Resource')).toHaveValue('arn:aws:s3:::restate-snapshots/orders/*');
  await box.getByRole('button', { name: 'Check' }).click();
  const verdict = box.getByLabel('The console');
  await expect(verdict.locator('[data-decision]')).toHaveAttribute('data-decision', 'denied', FIRST_COLLECTION);
  await expect(verdict).toContainText('no statement applies');

  // A read it may do: allowed, naming the granting statement.
  await box.getByLabel('Action').fill('s3:GetObject');
  await box.getByLabel('Resource').fill(ORDERS);
  await box.getByRole('button', { name: 'Check' }).click();
  await expect(verdict.locator('[data-decision]').first()).toHaveAttribute('data-decision', 'allowed', FIRST_COLLECTION);
  await expect(verdict).toContainText('ReadSnapshots');
});

test('the bucket policy that denies the writer is named as the deciding statement', async ({ page }) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/restate-ledger/restate');
  const box = page.getByRole('region', { name: 'AWS access' }).getByRole('form', { name: 'Can it…?' });
  await expect(box).toBeVisible(FIRST_COLLECTION);
  await box.getByLabel('Action').fill('s3:PutObject');
  await box.getByLabel('Resource').fill('arn:aws:s3:::restate-ledger-snapshots/ledger/0/latest.json');
  await box.getByRole('button', { name: 'Check' }).click();
  const verdict = box.getByLabel('The console');
  await expect(verdict.locator('[data-decision]').first()).toHaveAttribute('data-decision', 'denied', FIRST_COLLECTION);
  await expect(verdict).toContainText('OnlyTheArchiverWrites');
  await expect(verdict).toContainText('bucket policy of restate-ledger-snapshots');
});

test("the association's session policy is shown in the identity chain, with session tags off, and narrows what the box allows", async ({
  page,
}) => {
  await signIn(page, 'ada', '/serviceaccounts/prod-use1/analytics/report-builder');
  const access = page.getByRole('region', { name: 'AWS access' });
  await expect(access).toContainText('arn:aws:iam::111122223333:role/analytics-report-builder', FIRST_COLLECTION);
  await expect(access).toContainText('off (disableSessionTags)');
  // Shown in the identity chain, and again among the policies that take part.
  await expect(access.locator('pre').filter({ hasText: 'OnlyReports' }).first()).toContainText('arn:aws:s3:::analytics-reports/*');
  const box = access.getByRole('form', { name: 'Can it…?' });
  await box.getByLabel('Action').fill('s3:GetObject');
  await box.getByLabel('Resource').fill('arn:aws:s3:::analytics-reports/analytics/q3.csv');
  await box.getByRole('button', { name: 'Check' }).click();
  // The session policy allows the read, the role's ABAC statement cannot match without the namespace tag.
  await expect(box.getByLabel('The console').locator('[data-decision]').first()).toHaveAttribute(
    'data-decision',
    'denied',
    FIRST_COLLECTION,
  );
});

test('the reverse lookup lists who may write a prefix, shares by URL, and refuses a malformed question', async ({ page }) => {
  await signIn(page, 'ada', '/access');
  await page.getByLabel('Action').fill('s3:PutObject');
  await page.getByLabel('Resource').fill('arn:aws:s3:::restate-snapshots/payments/0/latest.json');
  await page.getByRole('button', { name: 'Who can?' }).click();
  await expect(page).toHaveURL(/\/access\?action=s3%3APutObject&resource=/);
  const rows = page.locator('tbody tr');
  await expect(rows.filter({ hasText: 'restate-payments/restate' })).toContainText('Snapshots', FIRST_COLLECTION);
  await expect(rows.filter({ hasText: 'platform/ops-toolbox' })).toContainText('allowed');
  // The orders writer may only read: not listed.
  await expect(rows.filter({ hasText: 'restate-orders/restate' })).toHaveCount(0);

  // The same question by its link, in a fresh page.
  const url = page.url();
  await page.goto(url);
  await expect(rows.filter({ hasText: 'restate-payments/restate' })).toHaveCount(1);

  await page.goto('/access?action=PutObject&resource=bucket');
  // (Next's route announcer is an empty alert too: the page's own is inside main.)
  const invalid = page.getByRole('main').getByRole('alert');
  await expect(invalid).toContainText('action');
  await expect(invalid).toContainText('resource');
});

test('GET /api/v1/access: 400 without a resource; the allowed list respects the caller’s scope', async ({ request }) => {
  const bad = await request.get('/api/v1/access?action=s3:PutObject', { headers: admin });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { details: { fields: Record<string, string> } } }).error.details.fields).toHaveProperty(
    'resource',
  );

  const res = await request.get(`/api/v1/access?action=iam:PassRole&resource=*`, { headers: admin });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { cluster: string; namespace: string; name: string; decision: string }[] };
  expect(body.items.filter((i) => i.decision === 'allowed').map((i) => `${i.cluster}/${i.namespace}/${i.name}`)).toEqual([
    'prod-use1/platform/ops-toolbox',
  ]);
});

test('Ask AWS agrees with the console on every demo permission story', async ({ request }) => {
  const questions = [
    ['prod-use1', 'restate-orders', 'restate', 's3:PutObject', ORDERS],
    ['prod-use1', 'restate-orders', 'restate', 's3:GetObject', ORDERS],
    ['prod-use1', 'restate-ledger', 'restate', 's3:PutObject', 'arn:aws:s3:::restate-ledger-snapshots/ledger/0/latest.json'],
    ['prod-use1', 'analytics', 'report-builder', 's3:GetObject', 'arn:aws:s3:::analytics-reports/analytics/q3.csv'],
    ['prod-use1', 'platform', 'ops-toolbox', 'iam:PassRole', '*'],
    ['prod-use1', 'restate-payments', 'restate', 's3:PutObject', 'arn:aws:s3:::restate-snapshots/payments/0/latest.json'],
  ] as const;
  for (const [cluster, namespace, name, action, resource] of questions) {
    const res = await request.get(
      `/api/v1/serviceaccounts/${cluster}/${namespace}/${name}/permissions/simulate?${new URLSearchParams({ action, resource })}`,
      { headers: admin },
    );
    expect(res.status(), `${namespace}/${name} ${action}`).toBe(200);
    const answer = (await res.json()) as { agree: boolean | null; aws: { decision: string } | null; compared: { decision: string } };
    expect(answer.aws, `${namespace}/${name} ${action}: AWS answered`).not.toBeNull();
    expect({ story: `${namespace}/${name} ${action}`, agree: answer.agree }).toEqual({
      story: `${namespace}/${name} ${action}`,
      agree: true,
    });
  }
});
